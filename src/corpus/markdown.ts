import type { Nodes, Parents, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { blankOut, DIRECTIVE_LINE, FENCE_LINE, hasContent, isDirectiveOnlyCode, maskInlineMarkup } from './markup.js';
import type { Span } from './text.js';
import type { Heading } from './types.js';

/*
 * GFM without autolink literals: the `micromark-extension-gfm` bundle's autolink-literal construct is about
 * ten times slower than the rest of the parser and quadratic on long hard-wrapped paragraphs (46 s for a
 * 2 MB one); a bare URL in text needs no parsing to be read or quoted.
 */
const MICROMARK_EXTENSIONS = [gfmTable(), gfmStrikethrough(), gfmFootnote(), gfmTaskListItem()];
const MDAST_EXTENSIONS = [gfmFromMarkdown()];

/** Parses `text[from, to)` as GFM; node offsets plus `base` are offsets into `text`. */
export function parseMarkdown(text: string, from = 0, to = text.length): { root: Root; base: number } {
  // micromark drops a leading byte order mark and counts offsets without it.
  const base = text.charCodeAt(from) === 0xfeff ? from + 1 : from;
  const root = fromMarkdown(text.slice(base, to), {
    extensions: MICROMARK_EXTENSIONS,
    mdastExtensions: MDAST_EXTENSIONS,
  });
  return { root, base };
}

/** What a block of a markdown document is, for passage building. */
export type BlockKind = 'paragraph' | 'item' | 'row' | 'code';

/** A content block of a document: a paragraph (or the text of an HTML block), list item, table row or code. */
export interface MarkdownBlock extends Span {
  readonly kind: BlockKind;
  /** Index of the heading above in the outline's headings, -1 before the first one. */
  readonly section: number;
}

/** A markdown document's structure, from its parse tree. */
export interface MarkdownOutline {
  /** Headings in order; `line` is left 0 (the caller numbers lines). */
  readonly headings: Heading[];
  /** Content blocks in order, trimmed of whitespace and markup; none is only markup. */
  readonly blocks: MarkdownBlock[];
  /**
   * The document's text with every piece of markup replaced by spaces (same length, line breaks kept): HTML
   * and JSX tags and comments, `:::` and `{{#include}}` lines, link definitions, thematic breaks, code blocks
   * holding only include directives. Split sentences on this to keep markup out of them.
   */
  readonly masked: string;
}

/** Blocks and list items longer than this are not kept whole; their children become blocks. */
const WHOLE_ITEM_CHARS = 1000;

/**
 * Parses a markdown document's body (from `bodyStart`) into headings and content blocks with exact offsets.
 * Paragraphs are joined across hard line breaks (they are one block); a paragraph is cut at lines that are
 * only markup (`:::` fences, `{{#include}}`); HTML blocks are reduced to the text between their tags (none
 * for `<Listing>`, comments, `<img>`); list items are one block when short and simple; tables give a block
 * per row; fenced and indented code is one block.
 */
export function markdownOutline(text: string, bodyStart: number): MarkdownOutline {
  const { root, base } = parseMarkdown(text, bodyStart);
  const ranges: { start: number; end: number; mask: 'all' | 'inline' }[] = [];
  const headings: Heading[] = [];
  const pending: { start: number; end: number; kind: BlockKind; section: number }[] = [];
  const at = (n: Nodes): Span | null => {
    const s = n.position?.start.offset;
    const e = n.position?.end.offset;
    return s === undefined || e === undefined ? null : { start: s + base, end: e + base };
  };

  const addBlock = (span: Span | null, kind: BlockKind): void => {
    if (span && span.end > span.start) pending.push({ ...span, kind, section: headings.length - 1 });
  };
  const maskInline = (n: Parents): void => {
    for (const child of n.children as Nodes[]) {
      if (child.type === 'html') {
        const span = at(child);
        if (span) ranges.push({ ...span, mask: 'all' });
      } else if ('children' in child) {
        maskInline(child);
      }
    }
  };
  const visit = (node: RootContent): void => {
    const span = at(node);
    switch (node.type) {
      case 'heading': {
        maskInline(node);
        const plain = inlineText(node.children).replace(/\s+/gu, ' ').trim();
        if (span && plain !== '') headings.push({ text: plain, level: node.depth, start: span.start, end: span.end, line: 0 });
        return;
      }
      case 'paragraph':
        maskInline(node);
        addBlock(span, 'paragraph');
        return;
      case 'html':
        if (span) ranges.push({ ...span, mask: 'inline' });
        addBlock(span, 'paragraph');
        return;
      case 'code': {
        if (!span) return;
        if (isDirectiveOnlyCode(node.value)) ranges.push({ ...span, mask: 'all' });
        else addBlock(span, 'code');
        return;
      }
      case 'list':
        for (const item of node.children) {
          const itemSpan = at(item);
          if (itemSpan && itemSpan.end - itemSpan.start <= WHOLE_ITEM_CHARS && isSimpleItem(item)) {
            maskInline(item);
            addBlock(itemSpan, 'item');
          } else {
            // The item's parts become blocks of their own; its marker ("1.", "-") is markup then.
            const first = item.children[0] ? at(item.children[0]) : null;
            if (itemSpan && first && first.start > itemSpan.start) ranges.push({ start: itemSpan.start, end: first.start, mask: 'all' });
            for (const child of item.children) visit(child);
          }
        }
        return;
      case 'table':
        for (const row of node.children) {
          maskInline(row);
          addBlock(at(row), 'row');
        }
        return;
      case 'blockquote':
      case 'footnoteDefinition':
        for (const child of node.children) visit(child);
        return;
      case 'definition':
      case 'thematicBreak':
        if (span) ranges.push({ ...span, mask: 'all' });
        return;
      default:
        // Anything else with children (extensions): visit them; leaves without text are ignored.
        if ('children' in node) for (const child of node.children as RootContent[]) visit(child);
    }
  };
  for (const node of root.children) visit(node);

  const masked = buildMask(text, ranges);
  const blocks: MarkdownBlock[] = [];
  for (const p of pending) {
    if (p.kind === 'code') {
      blocks.push({ start: p.start, end: p.end, kind: p.kind, section: p.section });
      continue;
    }
    for (const piece of contentPieces(masked, p.start, p.end)) blocks.push({ ...piece, kind: p.kind, section: p.section });
  }
  return { headings, blocks, masked };
}

/** A list item of paragraphs and nested lists only (no code, HTML or tables): one block. */
function isSimpleItem(node: Nodes): boolean {
  if (node.type === 'code' || node.type === 'html' || node.type === 'table' || node.type === 'blockquote') return false;
  if (node.type === 'paragraph' || node.type === 'heading') return true;
  return 'children' in node ? (node.children as Nodes[]).every(isSimpleItem) : true;
}

/**
 * The masked text: `text` with `all` ranges blanked and markup inside `inline` ranges (HTML blocks) blanked, then
 * directive lines (`:::`, `{{#include}}`) and inline `{{#...}}` blanked everywhere. Linear: ranges never overlap
 * (inline HTML lies inside paragraphs, which are not ranges; HTML blocks, code, definitions are leaves).
 */
function buildMask(text: string, ranges: readonly { start: number; end: number; mask: 'all' | 'inline' }[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let copied = 0;
  for (const r of sorted) {
    const start = Math.max(r.start, copied);
    if (r.end <= start) continue;
    parts.push(text.slice(copied, start));
    // In an HTML block markdown is not parsed: a fence line there is text, but markup all the same.
    parts.push(
      r.mask === 'all'
        ? blankOut(text.slice(start, r.end))
        : maskInlineMarkup(text, start, r.end).replace(/^.*$/gmu, (line) => (FENCE_LINE.test(line) ? blankOut(line) : line)),
    );
    copied = r.end;
  }
  parts.push(text.slice(copied));
  return maskDirectives(parts.join(''));
}

function maskDirectives(s: string): string {
  if (!s.includes(':::') && !s.includes('{{#')) return s;
  return s.replace(/^.*$/gmu, (line) => (DIRECTIVE_LINE.test(line) ? blankOut(line) : line)).replace(/\{\{#[^}\n]*\}\}/gu, blankOut);
}

/** `masked[start, end)` cut at lines that are blank once markup is gone, each piece trimmed; pieces with content only. */
function contentPieces(masked: string, start: number, end: number): Span[] {
  const out: Span[] = [];
  let pieceStart = start;
  let pos = start;
  const push = (s: number, e: number): void => {
    let a = s;
    let b = e;
    while (a < b && isBlank(masked[a])) a++;
    while (b > a && isBlank(masked[b - 1])) b--;
    if (a < b && hasContent(masked.slice(a, b))) out.push({ start: a, end: b });
  };
  while (pos < end) {
    const nl = masked.indexOf('\n', pos);
    const stop = nl < 0 || nl >= end ? end : nl;
    if (masked.slice(pos, stop).trim() === '' && pos > pieceStart) {
      push(pieceStart, pos);
      pieceStart = stop;
    }
    pos = stop + 1;
  }
  push(pieceStart, end);
  return out;
}

function isBlank(ch: string | undefined): boolean {
  return ch !== undefined && ch.trim() === '';
}

/** The readable text of inline nodes: text and code kept, emphasis and link markup and URLs dropped, HTML dropped. */
function inlineText(nodes: readonly Nodes[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') out += n.value;
    else if (n.type === 'inlineCode') out += n.value;
    else if (n.type === 'break') out += ' ';
    else if (n.type === 'html' || n.type === 'image' || n.type === 'imageReference' || n.type === 'footnoteReference') continue;
    else if ('children' in n) out += inlineText(n.children as Nodes[]);
  }
  return out;
}

/**
 * The readable text of a markdown slice (a passage's text): emphasis markers, link URLs, images, HTML tags and
 * comments, inline code backticks, `:::` and `{{#include}}` lines and table pipes removed; words, inline code and
 * code blocks kept. Blocks go on their own lines, whitespace inside a block is collapsed.
 */
export function plainText(markdownSlice: string): string {
  const { root } = parseMarkdown(markdownSlice);
  const lines: string[] = [];
  const push = (s: string): void => {
    const clean = maskDirectives(s)
      .replace(/\{\{#[^}\n]*\}\}/gu, ' ')
      .replace(/[^\S\n]+/gu, ' ')
      .replace(/ ?\n ?/gu, '\n')
      .trim();
    if (clean !== '') lines.push(clean);
  };
  const visit = (node: Nodes): void => {
    switch (node.type) {
      case 'heading':
      case 'paragraph':
      case 'tableCell':
        push(inlineText(node.children).replace(/\s+/gu, ' '));
        return;
      case 'tableRow':
        push(node.children.map((c) => inlineText(c.children).replace(/\s+/gu, ' ').trim()).filter((c) => c !== '').join(' | '));
        return;
      case 'code':
        if (!isDirectiveOnlyCode(node.value)) push(node.value);
        return;
      case 'inlineCode':
      case 'text':
        push(node.value);
        return;
      case 'html':
        push(maskInlineMarkup(node.value).replace(/\s+/gu, ' '));
        return;
      case 'definition':
      case 'thematicBreak':
      case 'image':
        return;
      default:
        if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
    }
  };
  visit(root);
  return lines.join('\n');
}

/**
 * The readable text of one line of inline markdown (a heading's or a label's text): as {@link plainText}, on one
 * line. Parsed as a heading's content, so "1. Intro" stays "1. Intro" rather than becoming a list.
 */
export function inlinePlainText(line: string): string {
  return plainText(`# ${line.replace(/[\r\n]+/gu, ' ')}`).replace(/\s+/gu, ' ').trim();
}
