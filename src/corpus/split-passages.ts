import { createHash } from 'node:crypto';
import { cleanMarkdownInline, cutAtWordBoundaries, splitSentences, trimSpan } from './text.js';
import type { Span } from './text.js';
import type { CorpusDocument, Heading, Passage, PassageSettings } from './types.js';

/**
 * Passage sizes to start from: about 500 characters (a few sentences), never more than 1000 unless a
 * single word is longer. The engine tunes `targetChars` on the eval; both values go into the index manifest.
 */
export const DEFAULT_PASSAGE_SETTINGS: PassageSettings = Object.freeze({ targetChars: 500, maxChars: 1000 });

/** A paragraph shorter than this share of `targetChars` may share a passage with its neighbour. */
const SHORT_SHARE = 0.4;
/** Plain-text headings are lines no longer than this, without final punctuation. */
const MAX_PLAIN_HEADING_CHARS = 80;

/**
 * Cuts a document's body into passages of whole sentences. Rules, in order:
 * - paragraphs are separated by blank lines; in markdown also by list items, table rows and headings; in a
 *   plain-text file whose paragraphs are one line each (no blank lines, or long lines) by every line break;
 * - headings (markdown `#`/setext; in plain text a short line without final punctuation followed by a
 *   paragraph) are not passages but give the `section` of the passages below them;
 * - a passage grows sentence by sentence within its paragraph up to `targetChars`; a paragraph shorter than
 *   40 % of the target shares a passage with the next paragraph of the same section, and a short next
 *   paragraph is taken in whole while the passage stays within the target; a short tail of a paragraph stays
 *   with the sentences before it;
 * - a sentence longer than `maxChars` is cut at word boundaries;
 * - lines of markdown decoration only (`|---|`, `***`) never start or end a passage.
 *
 * Every passage satisfies `doc.text.slice(start, end) === text`, is trimmed and non-empty; passages are in
 * order and do not overlap.
 */
export function splitPassages(doc: CorpusDocument, settings: PassageSettings = DEFAULT_PASSAGE_SETTINGS): Passage[] {
  const target = Math.max(1, settings.targetChars);
  const max = Math.max(target, settings.maxChars);
  const shortLimit = target * SHORT_SHARE;
  const { units, headings } = parseBlocks(doc);
  const spans: { start: number; end: number; section: number }[] = [];
  const state: { cur: { start: number; end: number; section: number; standalone: boolean } | null } = { cur: null };
  const flush = (): void => {
    if (state.cur) spans.push({ start: state.cur.start, end: state.cur.end, section: state.cur.section });
    state.cur = null;
  };

  for (const unit of units) {
    const unitLength = unit.end - unit.start;
    const sentences = unit.whole && unitLength <= max ? [unit] : splitSentences(doc.text, unit.start, unit.end);
    const atoms: Span[] = [];
    for (const s of sentences) {
      atoms.push(...(s.end - s.start > max ? cutAtWordBoundaries(doc.text, s.start, s.end, max) : [s]));
    }
    atoms.forEach((atom, i) => {
      const c = state.cur;
      if (c) {
        const grown = atom.end - c.start;
        const current = c.end - c.start;
        let join: boolean;
        if (i === 0) {
          join =
            c.section === unit.section &&
            !c.standalone &&
            !unit.standalone &&
            ((current < shortLimit && grown <= max) ||
              (unitLength < shortLimit && unit.end - c.start <= target && !unit.leadIn));
        } else {
          const last = atoms[atoms.length - 1] ?? atom;
          const restFitsTail = last.end - atom.start < shortLimit && last.end - c.start <= max;
          join = grown <= target || (current < shortLimit && grown <= max) || restFitsTail;
        }
        if (join) {
          c.end = atom.end;
          return;
        }
        flush();
      }
      state.cur = { start: atom.start, end: atom.end, section: unit.section, standalone: unit.standalone };
    });
  }
  flush();

  const lineStarts = lineStartOffsets(doc.text);
  return spans.map((span, ordinal) => {
    const text = doc.text.slice(span.start, span.end);
    const hash8 = createHash('sha256').update(text).digest('hex').slice(0, 8);
    return {
      id: `${doc.path}#${ordinal}-${hash8}`,
      doc: doc.path,
      title: doc.title,
      section: headings[span.section]?.text ?? '',
      start: span.start,
      end: span.end,
      lineStart: lineAt(lineStarts, span.start),
      lineEnd: lineAt(lineStarts, span.end - 1),
      ordinal,
      text,
    };
  });
}

/**
 * The headings of a document's body, in order, with their text cleaned of markdown and the span of the
 * heading line. Plain-text headings (see {@link splitPassages}) get level 2, as if the title were level 1.
 */
export function findHeadings(doc: CorpusDocument): Heading[] {
  return parseBlocks(doc).headings;
}

/** 1-based line of `offset`: the number of "\n" before it, plus one. */
function lineAt(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

interface Line {
  readonly start: number;
  /** End of the line's content: before "\n" and a "\r" preceding it. */
  readonly end: number;
  readonly text: string;
}

/** A paragraph-like run of text: one paragraph, list item, table row or code block. */
interface Unit extends Span {
  /** Index of the heading above in the heading list, -1 before the first heading. */
  readonly section: number;
  /** Shares a passage with nothing else (an `Author:` line). */
  readonly standalone: boolean;
  /** A list item, table row or code block: kept whole in one passage when it fits `maxChars`. */
  readonly whole: boolean;
  /** Ends with a colon, so it introduces what follows and never joins the passage before it. */
  readonly leadIn: boolean;
}

interface Blocks {
  readonly headings: Heading[];
  readonly units: Unit[];
}

function splitLines(text: string, from: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const stop = nl < 0 ? text.length : nl;
    const end = stop > start && text[stop - 1] === '\r' ? stop - 1 : stop;
    lines.push({ start, end, text: text.slice(start, end) });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/u;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/u;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/u;
const FENCE = /^ {0,3}(```|~~~)/u;
const LIST_ITEM = /^[ \t]*(?:[-*+•–—][ \t]+\S|\d{1,3}[.)][ \t]+\S|\p{L}[.)][ \t]+\S)/u;
const TABLE_ROW = /^[ \t]*\|/u;
const DECORATION_ONLY = /^[\s\-*_=|:#>`~+.]*$/u;
const TERMINAL_PUNCT = /[.!?:;,…。！？；：，][\p{Pe}\p{Pf}"'*_]*$/u;
const LABEL_LINE = /^(?:author|by|автор)\s*:/iu;
const URL_LIKE = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S/iu;

function parseBlocks(doc: CorpusDocument): Blocks {
  const lines = splitLines(doc.text, doc.bodyStart);
  return doc.path.toLowerCase().endsWith('.md') ? parseMarkdown(doc.text, lines) : parsePlainText(doc.text, lines);
}

function makeUnit(text: string, start: number, end: number, section: number, whole: boolean): Unit | null {
  const span = trimSpan(text, start, end);
  if (!span) return null;
  const body = text.slice(span.start, span.end);
  if (DECORATION_ONLY.test(body)) return null;
  return {
    ...span,
    section,
    standalone: LABEL_LINE.test(body) && !body.includes('\n'),
    whole: whole || LIST_ITEM.test(body),
    leadIn: /:[\p{Pe}\p{Pf}"'*_]*$/u.test(body),
  };
}

function makeHeading(text: string, line: Line, level: number, raw: string): Heading | null {
  const span = trimSpan(text, line.start, line.end);
  const clean = cleanMarkdownInline(raw) || raw.trim();
  if (!span || clean === '') return null;
  return { text: clean, level, start: span.start, end: span.end, line: 0 };
}

function withLines(text: string, headings: Heading[]): Heading[] {
  const starts = lineStartOffsets(text);
  return headings.map((h) => ({ ...h, line: lineAt(starts, h.start) }));
}

function parseMarkdown(text: string, lines: readonly Line[]): Blocks {
  const headings: Heading[] = [];
  const units: Unit[] = [];
  const state: {
    para: { start: number; end: number; lines: number; table: boolean; fence: boolean; first: Line } | null;
  } = { para: null };
  let inFence = false;
  const flush = (): void => {
    const para = state.para;
    if (para) {
      const unit = makeUnit(text, para.start, para.end, headings.length - 1, para.table || para.fence);
      if (unit) units.push(unit);
    }
    state.para = null;
  };
  const open = (line: Line, table: boolean, fence = false): void => {
    state.para = { start: line.start, end: line.end, lines: 1, table, fence, first: line };
  };
  const addHeading = (h: Heading | null): void => {
    if (h) headings.push(h);
  };

  for (const line of lines) {
    const t = line.text;
    if (inFence) {
      if (state.para) state.para.end = line.end;
      if (FENCE.test(t)) {
        inFence = false;
        flush();
      }
      continue;
    }
    if (FENCE.test(t)) {
      flush();
      open(line, false, true);
      inFence = true;
      continue;
    }
    if (t.trim() === '') {
      flush();
      continue;
    }
    const atx = ATX_HEADING.exec(t);
    if (atx) {
      flush();
      addHeading(makeHeading(text, line, atx[1]?.length ?? 1, atx[2] ?? ''));
      continue;
    }
    const p = state.para;
    const setext = SETEXT_UNDERLINE.exec(t);
    if (setext && p && p.lines === 1 && !p.table && !LIST_ITEM.test(p.first.text)) {
      addHeading(makeHeading(text, p.first, setext[1]?.startsWith('=') ? 1 : 2, p.first.text));
      state.para = null;
      continue;
    }
    if (THEMATIC_BREAK.test(t)) {
      flush();
      continue;
    }
    const table = TABLE_ROW.test(t);
    if (!p || table || p.table || LIST_ITEM.test(t)) {
      flush();
      open(line, table);
    } else {
      p.end = line.end;
      p.lines++;
    }
  }
  flush();
  return { headings: withLines(text, headings), units };
}

/** A line that could be a plain-text heading: short, has a letter, no final punctuation, not a URL or list. */
function isHeadingCandidate(line: string): boolean {
  const t = line.trim();
  return (
    t.length > 0 &&
    t.length <= MAX_PLAIN_HEADING_CHARS &&
    /\p{L}/u.test(t) &&
    !/^\p{Ll}/u.test(t) &&
    !TERMINAL_PUNCT.test(t) &&
    !URL_LIKE.test(t) &&
    !LIST_ITEM.test(t) &&
    !LABEL_LINE.test(t) &&
    !TABLE_ROW.test(t)
  );
}

function parsePlainText(text: string, lines: readonly Line[]): Blocks {
  const nonBlank = lines.filter((l) => l.text.trim() !== '');
  const hasBlankLines = nonBlank.length < lines.length - (lines.at(-1)?.text.trim() === '' ? 1 : 0);
  const lengths = nonBlank.map((l) => l.text.length).sort((a, b) => a - b);
  const median = lengths[lengths.length >> 1] ?? 0;
  const linePerParagraph = !hasBlankLines || median > 120;

  const raw: Span[] = [];
  if (linePerParagraph) {
    for (const l of nonBlank) raw.push({ start: l.start, end: l.end });
  } else {
    let para: { start: number; end: number } | null = null;
    for (const l of lines) {
      if (l.text.trim() === '') {
        if (para) raw.push(para);
        para = null;
      } else if (!para || LIST_ITEM.test(l.text)) {
        if (para) raw.push(para);
        para = { start: l.start, end: l.end };
      } else {
        para.end = l.end;
      }
    }
    if (para) raw.push(para);
  }

  const spans = raw.map((s) => trimSpan(text, s.start, s.end)).filter((s): s is Span => s !== null);
  const candidate = spans.map((s) => {
    const body = text.slice(s.start, s.end);
    return !body.includes('\n') && isHeadingCandidate(body);
  });
  const headings: Heading[] = [];
  const units: Unit[] = [];
  spans.forEach((s, i) => {
    if (candidate[i] === true && i + 1 < spans.length && candidate[i + 1] === false) {
      const body = text.slice(s.start, s.end);
      headings.push({ text: body.replace(/\s+/gu, ' '), level: 2, start: s.start, end: s.end, line: 0 });
      return;
    }
    const unit = makeUnit(text, s.start, s.end, headings.length - 1, false);
    if (unit) units.push(unit);
  });
  return { headings: withLines(text, headings), units };
}
