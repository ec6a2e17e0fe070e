import { createHash } from 'node:crypto';
import { markdownOutline, plainText } from './markdown.js';
import { cutAtWordBoundaries, splitSentences, trimSpan } from './text.js';
import type { Span } from './text.js';
import type { CorpusDocument, DocumentStructure, Heading, Passage, PassageSettings } from './types.js';

/**
 * Passage sizes to start from: about 500 characters (a few sentences), never more than 1000 unless a
 * single word is longer. The engine tunes `targetChars` on the eval; both values go into the index manifest.
 */
export const DEFAULT_PASSAGE_SETTINGS: PassageSettings = Object.freeze({ targetChars: 500, maxChars: 1000 });

/**
 * Version of the splitting rules below. Recorded in the index manifest with the passage settings: an index
 * built by other rules is stale and rebuilt. 2: markdown parsed (mdast), headings path, code with its lead-in.
 * 3: readable document titles (src/corpus/title.ts) in `Passage.title` and `documents.json`, the title as written
 * in `Passage.searchTitle`.
 */
export const PASSAGE_SPLITTER_VERSION = 3;

/** A paragraph shorter than this share of `targetChars` may share a passage with its neighbour. */
const SHORT_SHARE = 0.4;
/** Plain-text headings are lines no longer than this, without final punctuation. */
const MAX_PLAIN_HEADING_CHARS = 80;

/**
 * Cuts a document's body into passages of whole sentences. Rules, in order:
 * - markdown is parsed (see {@link markdownOutline}): paragraphs (joined across hard line breaks), list items,
 *   table rows and code blocks are the units; HTML/JSX tags, comments, `:::` fences, `{{#include}}` directives
 *   and link definitions are markup, never the start, end or whole of a passage;
 * - plain-text paragraphs are separated by blank lines and list items; in a file whose paragraphs are one line
 *   each (no blank lines, or long lines) by every line break;
 * - headings (markdown `#`/setext; in plain text a short line without final punctuation followed by a
 *   paragraph) are not passages but give the `section` and `headings` path of the passages below them;
 * - a code block joins the passage before it when that passage ends with its lead-in (a paragraph ending in
 *   ":", or a "Filename: ..." label) and the two fit `maxChars`; when only the lead-in sentence fits with the
 *   code, that sentence moves to the code's passage;
 * - a passage grows sentence by sentence within its paragraph up to `targetChars`; a paragraph shorter than
 *   40 % of the target shares a passage with the next paragraph of the same section, and a short next
 *   paragraph is taken in whole while the passage stays within the target; a short tail of a paragraph stays
 *   with the sentences before it;
 * - a sentence longer than `maxChars` is cut at word boundaries (a code block at line breaks);
 * - lines of markdown decoration only (`|---|`, `***`) never start or end a passage.
 *
 * Every passage satisfies `doc.text.slice(start, end) === text`, is trimmed and non-empty; passages are in
 * order and do not overlap.
 */
export function splitPassages(doc: CorpusDocument, settings: PassageSettings = DEFAULT_PASSAGE_SETTINGS): Passage[] {
  const target = Math.max(1, settings.targetChars);
  const max = Math.max(target, settings.maxChars);
  const shortLimit = target * SHORT_SHARE;
  const { units, headings, masked } = parseBlocks(doc);
  const spans: { start: number; end: number; section: number }[] = [];
  interface Current {
    start: number;
    end: number;
    section: number;
    standalone: boolean;
    /** The passage ends with a lead-in unit (see `Unit.leadIn`); `lastAtom` is where its last sentence starts. */
    leadIn: boolean;
    lastAtom: number;
    /** The passage ends with a code block. */
    code: boolean;
  }
  const state: { cur: Current | null } = { cur: null };
  const flush = (): void => {
    if (state.cur) spans.push({ start: state.cur.start, end: state.cur.end, section: state.cur.section });
    state.cur = null;
  };

  for (const unit of units) {
    const unitLength = unit.end - unit.start;
    const sentences = unit.whole && unitLength <= max ? [unit] : splitSentences(masked, unit.start, unit.end);
    const atoms: Span[] = [];
    for (const s of sentences) {
      if (s.end - s.start <= max) atoms.push(s);
      else if (unit.code) atoms.push(...cutAtLines(doc.text, s.start, s.end, max));
      else atoms.push(...cutAtWordBoundaries(doc.text, s.start, s.end, max));
    }
    atoms.forEach((atom, i) => {
      const c = state.cur;
      if (c) {
        const grown = atom.end - c.start;
        const current = c.end - c.start;
        let join: boolean;
        if (i === 0 && unit.code && c.leadIn && c.section === unit.section) {
          join = grown <= max;
          if (!join && c.lastAtom > c.start && atom.end - c.lastAtom <= max) {
            // Only the lead-in sentence fits with the code: it moves to the code's passage.
            const leadStart = c.lastAtom;
            const cut = trimSpan(masked, c.start, leadStart);
            if (cut) {
              c.end = cut.end;
              flush();
              state.cur = { ...c, start: leadStart, end: atom.end, leadIn: false, lastAtom: atom.start, code: true };
              return;
            }
          }
        } else if (i === 0 && unit.afterMarkup === true) {
          // Across markup only to complete a fragment (a lead-in whose listing was an include).
          join = c.section === unit.section && !c.standalone && !c.code && !unit.leadIn && current < shortLimit && grown <= max;
        } else if (i === 0) {
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
          c.leadIn = unit.leadIn && i === atoms.length - 1;
          c.lastAtom = atom.start;
          c.code = unit.code;
          return;
        }
        flush();
      }
      state.cur = {
        start: atom.start,
        end: atom.end,
        section: unit.section,
        standalone: unit.standalone,
        leadIn: unit.leadIn && i === atoms.length - 1,
        lastAtom: atom.start,
        code: unit.code,
      };
    });
  }
  flush();

  const lineStarts = lineStartOffsets(doc.text);
  const searchTitle = doc.rawTitle ?? doc.title;
  const paths = headingPaths(headings, searchTitle);
  const pageStarts = doc.structure?.pageStarts;
  return spans.map((span, ordinal) => {
    const text = doc.text.slice(span.start, span.end);
    const hash8 = createHash('sha256').update(text).digest('hex').slice(0, 8);
    return {
      id: `${doc.path}#${ordinal}-${hash8}`,
      doc: doc.path,
      title: doc.title,
      ...(searchTitle !== doc.title ? { searchTitle } : {}),
      section: headings[span.section]?.text ?? '',
      headings: paths[span.section] ?? [],
      start: span.start,
      end: span.end,
      lineStart: lineAt(lineStarts, span.start),
      lineEnd: lineAt(lineStarts, span.end - 1),
      ordinal,
      text,
      ...(pageStarts ? { page: lineAt(pageStarts, span.start) } : {}),
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

/**
 * For each heading, the path of headings down to it (outermost first): each heading is under the nearest
 * heading before it of a lower level. The document's first heading is left out when it is the title as written
 * (it is already `Passage.searchTitle ?? Passage.title`).
 */
function headingPaths(headings: readonly Heading[], title: string): string[][] {
  const stack: Heading[] = [];
  return headings.map((h) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= h.level) stack.pop();
    stack.push(h);
    return stack.filter((s) => !(s === headings[0] && s.text === title)).map((s) => s.text);
  });
}

/**
 * The readable text of a passage for embedding: the title as written and heading path on the first line
 * ("References and Borrowing › Mutable References"), then the passage's plain text (markdown markup, URLs and
 * HTML removed, see {@link plainText}). Plain-text passages only have their whitespace collapsed.
 */
export function embeddingText(passage: Passage): string {
  const path = [passage.searchTitle ?? passage.title, ...passage.headings].filter((h, i, all) => h !== '' && all.indexOf(h) === i);
  const body = passage.doc.toLowerCase().endsWith('.md') ? plainText(passage.text) : passage.text.replace(/\s+/gu, ' ').trim();
  return path.length > 0 ? `${path.join(' › ')}\n${body}` : body;
}

/**
 * Cuts a code block `text[start, end)` longer than `maxChars` into pieces at line breaks: the closing fence is
 * dropped and the opening fence stays with the first line of code, so no piece is a bare fence. A line longer
 * than the limit is cut at word boundaries.
 */
function cutAtLines(text: string, start: number, end: number, maxChars: number): Span[] {
  const out: Span[] = [];
  const lastNl = text.lastIndexOf('\n', end - 1);
  const stop = lastNl > start && /^[ \t]*(?:`{3,}|~{3,})[ \t]*\r?$/u.test(text.slice(lastNl + 1, end)) ? lastNl : end;
  const firstNl = text.indexOf('\n', start);
  // The first cut comes after the first line of code (the line after the opening fence), if there is one.
  let minCut = firstNl < 0 || firstNl >= stop ? start : text.indexOf('\n', firstNl + 1);
  if (minCut < 0 || minCut > stop) minCut = stop;
  let pos = start;
  while (pos < stop) {
    const span = trimSpan(text, pos, stop);
    if (!span) break;
    if (span.end - span.start <= maxChars) {
      out.push(span);
      break;
    }
    const nl = text.lastIndexOf('\n', span.start + maxChars);
    if (nl > span.start && nl >= minCut) {
      const piece = trimSpan(text, span.start, nl);
      if (piece) out.push(piece);
      pos = nl + 1;
    } else {
      const next = text.indexOf('\n', Math.max(span.start, minCut === stop ? span.start : minCut) + 1);
      const lineEnd = next < 0 || next > stop ? stop : next;
      out.push(...cutAtWordBoundaries(text, span.start, lineEnd, maxChars));
      pos = lineEnd;
    }
    minCut = 0;
  }
  return out;
}

/**
 * The document's text with its markup replaced by spaces (same length): what passages and sentences are cut
 * from. Letters and digits left in it are all in some passage or heading.
 */
export function maskedText(doc: CorpusDocument): string {
  return parseBlocks(doc).masked;
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
  /** Ends with a colon (or is a "Filename: ..." label), so it introduces what follows and never joins the passage before it. */
  readonly leadIn: boolean;
  /** A code block: attaches to a lead-in before it; cut at line breaks when too long. */
  readonly code: boolean;
  /**
   * Markup stands between this unit and the one before (an HTML element such as `<Listing>`, an include-only
   * code block, a `<span class="filename">`): a text unit then starts a new passage unless the passage so far
   * is a short fragment, so passages seldom carry dropped markup inside them. Code still attaches to its
   * lead-in across such wrappers.
   */
  readonly afterMarkup?: boolean;
}

interface Blocks {
  readonly headings: Heading[];
  readonly units: Unit[];
  /** The text with markup blanked (same length as the document's text); the text itself for plain text. */
  readonly masked: string;
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

const LIST_ITEM = /^[ \t]*(?:[-*+•][ \t]+\S|\d{1,3}[.)][ \t]+\S|\p{L}\)[ \t]+\S)/u;
const TABLE_ROW = /^[ \t]*\|/u;
const DECORATION_ONLY = /^[\s\-*_=|:#>`~+.]*$/u;
const TERMINAL_PUNCT = /[.!?:;,…。！？；：，][\p{Pe}\p{Pf}"'*_]*$/u;
const LABEL_LINE = /^(?:author|by|автор)\s*:/iu;
const URL_LIKE = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S/iu;

function parseBlocks(doc: CorpusDocument): Blocks {
  if (doc.structure) return structuredBlocks(doc.text, doc.structure);
  if (doc.path.toLowerCase().endsWith('.md')) return parseMarkdown(doc);
  return parsePlainText(doc.text, splitLines(doc.text, doc.bodyStart));
}

/** A "Filename: src/main.rs" label (the Rust book's `<span class="filename">`) introduces the code below it. */
const FILENAME_LABEL = /^file[ -]?name:[ \t]*\S+$/iu;

function makeUnit(text: string, start: number, end: number, section: number, whole: boolean, code = false): Unit | null {
  const span = trimSpan(text, start, end);
  if (!span) return null;
  const body = text.slice(span.start, span.end);
  if (!code && DECORATION_ONLY.test(body)) return null;
  return {
    ...span,
    section,
    standalone: LABEL_LINE.test(body) && !body.includes('\n'),
    whole: whole || code || LIST_ITEM.test(body),
    leadIn: !code && (/:[\p{Pe}\p{Pf}"'*_]*$/u.test(body) || FILENAME_LABEL.test(body)),
    code,
  };
}

function withLines(text: string, headings: Heading[]): Heading[] {
  const starts = lineStartOffsets(text);
  return headings.map((h) => ({ ...h, line: lineAt(starts, h.start) }));
}

/** Markup in the text between two units: a tag, a comment, an include directive, a code fence, a `:::` fence. */
const MARKUP_GAP = /<[A-Za-z!/]|\{\{#|```|~~~|:::/u;

/** Units of a markdown document from its parse tree (see {@link markdownOutline}); sentences split on the masked text. */
function parseMarkdown(doc: CorpusDocument): Blocks {
  const outline = markdownOutline(doc.text, doc.bodyStart);
  const units: Unit[] = [];
  let previousEnd = doc.bodyStart;
  for (const b of outline.blocks) {
    const unit = makeUnit(outline.masked, b.start, b.end, b.section, b.kind === 'row', b.kind === 'code');
    if (!unit) continue;
    const gap = doc.text.slice(previousEnd, unit.start);
    units.push(MARKUP_GAP.test(gap) ? { ...unit, afterMarkup: true } : unit);
    previousEnd = unit.end;
  }
  // A "Filename: ..." label whose listing was an include (dropped) labels nothing: it is markup too.
  const labels = units.filter((u, i) => FILENAME_LABEL.test(outline.masked.slice(u.start, u.end)) && units[i + 1]?.code !== true);
  if (labels.length === 0) return { headings: withLines(doc.text, outline.headings), units, masked: outline.masked };
  const parts: string[] = [];
  let copied = 0;
  for (const l of labels) {
    parts.push(outline.masked.slice(copied, l.start), ' '.repeat(l.end - l.start));
    copied = l.end;
  }
  parts.push(outline.masked.slice(copied));
  const dropped = new Set(labels);
  return {
    headings: withLines(doc.text, outline.headings),
    units: units.filter((u) => !dropped.has(u)),
    masked: parts.join(''),
  };
}

/** Units of an extracted document (HTML, DOCX, PDF): the blocks and headings its reader found. */
function structuredBlocks(text: string, structure: DocumentStructure): Blocks {
  const units = structure.blocks
    .map((b) => makeUnit(text, b.start, b.end, b.section, false))
    .filter((u): u is Unit => u !== null);
  return { headings: withLines(text, [...structure.headings]), units, masked: text };
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
  return { headings: withLines(text, headings), units, masked: text };
}
