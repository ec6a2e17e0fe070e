import type { DocumentStructure, Heading, StructureBlock } from '../types.js';

/** The text of an extracted document and its structure, offsets into `text`. */
export interface ExtractedText {
  readonly text: string;
  readonly structure: DocumentStructure;
  /** The document's own title (HTML `<title>`, PDF metadata), when it has one. */
  readonly title?: string;
}

/**
 * Builds an extracted document's text from headings and blocks, one after the other with a blank line between
 * them, recording each one's offsets. Whitespace inside a heading or block is collapsed to single spaces (line
 * breaks kept where `keepLines` asks), so the text reads well when quoted.
 */
export class TextBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly headings: Heading[] = [];
  private readonly blocks: StructureBlock[] = [];
  private readonly pageStarts: number[] = [];

  /** Adds a heading (level 1–6); an empty one is dropped. */
  addHeading(text: string, level: number): void {
    const clean = collapse(text, false);
    if (clean === '') return;
    const start = this.append(clean);
    this.headings.push({ text: clean, level: Math.min(6, Math.max(1, level)), start, end: this.length, line: 0 });
  }

  /** Adds a content block; one without a letter or digit is dropped. */
  addBlock(text: string, keepLines = false): void {
    const clean = collapse(text, keepLines);
    if (!/[\p{L}\p{N}]/u.test(clean)) return;
    const start = this.append(clean);
    this.blocks.push({ start, end: this.length, section: this.headings.length - 1 });
  }

  /** Marks where the next page starts (PDF). */
  startPage(): void {
    this.pageStarts.push(this.parts.length === 0 ? 0 : this.length + 2);
  }

  /** True when no block has been added (a heading-only or empty document). */
  get empty(): boolean {
    return this.blocks.length === 0;
  }

  build(title?: string): ExtractedText {
    const structure: DocumentStructure = {
      headings: this.headings,
      blocks: this.blocks,
      ...(this.pageStarts.length > 0 ? { pageStarts: this.pageStarts } : {}),
    };
    const cleanTitle = title === undefined ? '' : collapse(title, false);
    return { text: this.parts.join(''), structure, ...(cleanTitle !== '' ? { title: cleanTitle } : {}) };
  }

  private append(s: string): number {
    if (this.parts.length > 0) {
      this.parts.push('\n\n');
      this.length += 2;
    }
    const start = this.length;
    this.parts.push(s);
    this.length += s.length;
    return start;
  }
}

/** Whitespace runs as one space (or one line break, when `keepLines` and the run holds one), trimmed; soft hyphens and control characters dropped. */
function collapse(s: string, keepLines: boolean): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = s.replace(/[\u00AD\u200B]/gu, '').replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu, ' ');
  if (!keepLines) return cleaned.replace(/\s+/gu, ' ').trim();
  return cleaned
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/gu, ' ').trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/gu, '');
}
