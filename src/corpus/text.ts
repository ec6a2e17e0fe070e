import { foldTerm } from '../language/fold.js';
import {
  DECORATION_LINE,
  FENCE_LINE,
  hideCodeSpanPunctuation,
  isDirectiveOnlyCode,
  maskInlineMarkup,
} from './markup.js';

/** A half-open range `[start, end)` of JavaScript string indices into some text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** True for the characters `String.prototype.trim` removes (includes NBSP, BOM, line and paragraph separators). */
export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && ch !== '' && ch.trim() === '';
}

/** Narrows `[start, end)` of `text` to exclude surrounding whitespace; `null` when nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  while (s < e && isSpace(text[s])) s++;
  while (e > s && isSpace(text[e - 1])) e--;
  return s < e ? { start: s, end: e } : null;
}

/**
 * Words after which a full stop does not end a sentence, folded and without their final dot. Single letters
 * (initials such as "D. A.", Russian "т. е.", "г.", "С.") are handled separately, in every script.
 * Words that often end sentences ("etc.", "млн.") are left out: the segmenter already keeps them when a
 * lowercase word follows.
 */
const ABBREVIATIONS: ReadonlySet<string> = new Set(
  [
    // English
    'e.g i.e cf vs viz approx ca al no nos vol vols pp ed eds fig figs tab eq ch sec art para mr mrs ms dr prof',
    'st jr sr gen col lt gov sen rep hon inc ltd co corp dept est jan feb mar apr jun jul aug sep sept oct nov dec',
    'u.s u.k u.n a.m p.m',
    // Russian
    'т.е т.к т.н т.д т.п т.о гг вв ст стр рис табл им ул пр проф акад доц см ср напр ок тыс руб долл англ кит',
    'каз рус вып изд',
  ]
    .join(' ')
    .split(' '),
);

/** Labels of numbered captions: "Figure 1. The north-west border" is one sentence. */
const CAPTION_LABELS: ReadonlySet<string> = new Set(
  'figure fig table chart diagram map scheme рисунок рис таблица табл схема диаграмма карта'.split(' '),
);
const CAPTION_END = /(?:^|[^\p{L}\p{N}])(\p{L}+)\.?[ \t]+\p{N}+(?:\.\p{N}+)*\.$/u;

/** The word (letters, inner dots allowed) right before a final full stop, or null. */
const WORD_BEFORE_DOT = /(?:^|[^\p{L}\p{N}])(\p{L}+(?:\.\p{L}+)*)\.[\p{Pe}\p{Pf}"']*$/u;

/**
 * True when the segmenter's break after `before` (the end of a segment, whitespace removed) is most likely
 * wrong: the segment ends with an initial, an abbreviation, or a caption label and its number.
 */
function endsWithAbbreviation(before: string): boolean {
  const caption = CAPTION_END.exec(before)?.[1];
  if (caption !== undefined && CAPTION_LABELS.has(foldTerm(caption))) return true;
  const word = WORD_BEFORE_DOT.exec(before)?.[1];
  if (word === undefined) return false;
  return [...word].length === 1 || ABBREVIATIONS.has(foldTerm(word));
}

/** A list item's first line: a bullet, or a number/letter with `.` or `)`. Group 1: the number, if any. */
const LIST_ITEM = /^[ \t]*(?:[-*+•][ \t]+\S|(\d{1,9})[.)][ \t]+\S|\p{L}\)[ \t]+\S|[–—][ \t]+\S)/u;
/** Items that start a list by themselves: bullets and "1." (as in CommonMark, where only 1 interrupts a paragraph). */
const LIST_START = /^[ \t]*(?:[-*+•][ \t]+\S|1[.)][ \t]+\S)/u;
const HEADING_LINE = /^[ \t]{0,3}#{1,6}(?:[ \t]|$)/u;
const TABLE_ROW = /^[ \t]*\|/u;
const QUOTE_LINE = /^[ \t]{0,3}>/u;

/** A run of lines split into sentences together, or a fenced code block kept whole. */
interface Block {
  readonly start: number;
  end: number;
  readonly kind: 'text' | 'quote' | 'item' | 'line' | 'code';
}

/**
 * Cuts `[from, to)` of `text` into blocks, line by line: fenced code blocks (kept whole, dropped when they hold
 * only `{{#include}}` directives); blank lines and markup-only lines (`masked` is `text[from, to)` with markup
 * blanked) separate blocks; a heading, a table row, a list item or the start of a block quote starts a block;
 * any other line continues the block before it. Linear in the length of the range.
 */
function scanBlocks(text: string, masked: string, from: number, to: number): Block[] {
  const blocks: Block[] = [];
  let cur: Block | null = null;
  let inList = false;
  let fence: { start: number; marker: string; bodyStart: number } | null = null;
  const closeCode = (end: number, bodyEnd: number): void => {
    if (!fence) return;
    if (!isDirectiveOnlyCode(text.slice(fence.bodyStart, bodyEnd))) blocks.push({ start: fence.start, end, kind: 'code' });
    fence = null;
  };
  let pos = from;
  while (pos < to) {
    const nl = text.indexOf('\n', pos);
    const stop = nl < 0 || nl >= to ? to : nl;
    const next = stop < to ? stop + 1 : to;
    const lineEnd = stop > pos && text[stop - 1] === '\r' ? stop - 1 : stop;
    const raw = text.slice(pos, lineEnd);
    const fenceMatch = FENCE_LINE.exec(raw);
    if (fence) {
      const marker = fenceMatch?.[1];
      if (marker !== undefined && marker[0] === fence.marker[0] && marker.length >= fence.marker.length && raw.trim().replace(/^(?:>[ \t]?)*/u, '') === marker) {
        closeCode(lineEnd, pos);
      }
      pos = next;
      continue;
    }
    if (fenceMatch?.[1] !== undefined) {
      cur = null;
      fence = { start: pos, marker: fenceMatch[1], bodyStart: next };
      pos = next;
      continue;
    }
    const line = masked.slice(pos - from, lineEnd - from);
    if (line.trim() === '' || DECORATION_LINE.test(line)) {
      cur = null;
      if (line.trim() === '') inList = false;
      pos = next;
      continue;
    }
    let kind: Block['kind'] | null = null;
    const item = LIST_ITEM.exec(line);
    if (HEADING_LINE.test(line) || TABLE_ROW.test(line)) kind = 'line';
    else if (item && (LIST_START.test(line) || inList || cur?.kind === 'item')) kind = 'item';
    else if (QUOTE_LINE.test(line) && cur?.kind !== 'quote') kind = 'quote';
    else if (!cur || cur.kind === 'line') kind = 'text';
    if (kind === 'item') inList = true;
    if (kind === null && cur) {
      cur.end = lineEnd;
    } else {
      cur = { start: pos, end: lineEnd, kind: kind ?? 'text' };
      blocks.push(cur);
    }
    pos = next;
  }
  if (fence !== null) closeCode(to, to);
  return blocks;
}

/**
 * The text the segmenter sees for a block, same length as `masked[start, end)`: line breaks become spaces (a
 * hard-wrapped line never ends a sentence), and so do block quote markers, heading markers and the outer pipes
 * of a table row, so sentences start and end on words.
 */
function flattenBlock(masked: string, start: number, end: number, kind: Block['kind']): string {
  let s = masked.slice(start, end);
  if (kind === 'quote' || s.includes('>')) s = s.replace(/(^|\n)([ \t]{0,3}(?:>[ \t]?)+)/gu, (_m, a: string, b: string) => a + ' '.repeat(b.length));
  if (kind === 'line') {
    s = s
      .replace(/^([ \t]{0,3}#{1,6})(?=[ \t]|$)/u, (m) => ' '.repeat(m.length))
      .replace(/[ \t]#+[ \t]*$/u, (m) => ' '.repeat(m.length))
      .replace(/^[ \t]*\|/u, (m) => ' '.repeat(m.length))
      .replace(/\|[ \t]*$/u, (m) => ' '.repeat(m.length));
  }
  return hideCodeSpanPunctuation(s.replace(/[\r\n\u2028\u2029]/gu, ' '));
}

/** Intl.Segmenter is given at most this many characters at a time: its sentence iteration is quadratic in V8. */
const SEGMENT_WINDOW = 8192;

/**
 * The sentence segments of `s` (as offsets), by `Intl.Segmenter` over windows of {@link SEGMENT_WINDOW}
 * characters: each window's segments but the last (which the window may have cut) are kept, and the next
 * window starts at that last segment. A window without any break is carried over into the next one. Linear.
 */
function* segmentSentences(s: string): Generator<Span> {
  let base = 0;
  let carried = -1;
  while (base < s.length) {
    const end = Math.min(s.length, base + SEGMENT_WINDOW);
    const segs: Span[] = [];
    for (const seg of sentenceSegmenter.segment(s.slice(base, end))) {
      segs.push({ start: base + seg.index, end: base + seg.index + seg.segment.length });
    }
    const keep = end === s.length ? segs : segs.slice(0, -1);
    if (keep.length === 0) {
      // No break inside the window: one long sentence goes on into the next window.
      if (carried < 0) carried = base;
      base = end;
      continue;
    }
    for (const seg of keep) {
      yield carried >= 0 ? { start: carried, end: seg.end } : seg;
      carried = -1;
    }
    base = keep[keep.length - 1]?.end ?? end;
  }
  if (carried >= 0) yield { start: carried, end: s.length };
}

/** The first and last non-space positions of `s[start, end)`, shifted by `offset`; null when blank. */
function trimIn(s: string, start: number, end: number, offset: number): Span | null {
  let a = start;
  let b = end;
  while (a < b && isSpace(s[a])) a++;
  while (b > a && isSpace(s[b - 1])) b--;
  return a < b ? { start: a + offset, end: b + offset } : null;
}

/**
 * Splits `text[start, end)` into sentences for quoting. The range is first cut into blocks (see
 * {@link scanBlocks}): a fenced code block is one unit; blank lines, headings, list items, table rows and the
 * start of a block quote separate; a single line break inside a paragraph never ends a sentence. Markup is
 * never a sentence and never starts or ends one: HTML/JSX tags and comments, `:::` fences, `{{#include}}`
 * directives, table rules and other decoration lines. Each block is split with `Intl.Segmenter`, then what the
 * segmenter gets wrong on documents like ours is repaired: no break after initials ("Rakhimzhanova D. A."),
 * abbreviations ("e.g.", "т. е.", "г.", "No. 4"), inside URLs, or before a piece without letters. Linear in
 * the length of the range.
 *
 * @returns spans with absolute offsets into `text`, trimmed, non-empty, in order.
 */
export function splitSentences(text: string, start = 0, end = text.length): Span[] {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  const masked = maskInlineMarkup(text, from, to);
  const out: Span[] = [];
  for (const block of scanBlocks(text, masked, from, to)) {
    if (block.kind === 'code') {
      const span = trimSpan(text, block.start, block.end);
      if (span) out.push(span);
      continue;
    }
    const flat = flattenBlock(masked, block.start - from, block.end - from, block.kind);
    const first = out.length;
    let previous: Span | undefined;
    for (const seg of segmentSentences(flat)) {
      const span = trimIn(flat, seg.start, seg.end, block.start);
      if (!span) continue;
      const merged = out.length > first ? out[out.length - 1] : undefined;
      if (merged && previous && shouldJoin(text, previous, span, block.start)) {
        out[out.length - 1] = { start: merged.start, end: span.end };
      } else {
        out.push(span);
      }
      previous = span;
    }
  }
  return out;
}

/**
 * Whether the segmenter's break between two of its segments of one block should be undone. Yes after an
 * initial or an abbreviation; after a segment without letters that starts a line (the "1." of a list item);
 * inside a URL; and before a segment without letters ("2021." or "№ 4." in a citation), no sentence by itself.
 */
function shouldJoin(text: string, previous: Span, next: Span, blockStart: number): boolean {
  if (!hasLetter(text, next)) return true;
  // "https://site/?id=1": an ASCII "?" or "." directly followed by a Latin or Cyrillic letter or a digit.
  if (previous.end === next.start && /[.?!]$/u.test(text.slice(previous.end - 1, previous.end)) && URL_TAIL.test(text.slice(next.start, next.start + 1))) {
    return true;
  }
  const before = text.slice(Math.max(previous.start, previous.end - 40), previous.end);
  if (endsWithAbbreviation(before)) return true;
  return !hasLetter(text, previous) && startsLine(text, previous.start, blockStart);
}

const URL_TAIL = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{N}_=&%/#-]/u;

function hasLetter(text: string, span: Span): boolean {
  return /\p{L}/u.test(text.slice(span.start, span.end));
}

/** True when only spaces, tabs or block quote markers stand between `offset` and the start of its line or block. */
function startsLine(text: string, offset: number, blockStart: number): boolean {
  let i = offset - 1;
  while (i >= blockStart && (text[i] === ' ' || text[i] === '\t' || text[i] === '>')) i--;
  return i < blockStart || text[i] === '\n';
}

/**
 * Cuts `text[start, end)` into pieces of at most `maxChars` characters, at whitespace where possible and never
 * inside a grapheme (surrogate pairs, emoji sequences, combining marks). Pieces are trimmed and non-empty.
 */
export function cutAtWordBoundaries(text: string, start: number, end: number, maxChars: number): Span[] {
  const limit = Math.max(1, Math.floor(maxChars));
  const out: Span[] = [];
  let pos = start;
  while (pos < end) {
    const span = trimSpan(text, pos, end);
    if (!span) break;
    if (span.end - span.start <= limit) {
      out.push(span);
      break;
    }
    const hardEnd = span.start + limit;
    let cut = -1;
    for (let i = hardEnd; i > span.start + Math.floor(limit / 2); i--) {
      if (isSpace(text[i])) {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = graphemeBoundaryAtOrBefore(text, span.start, hardEnd);
    const piece = trimSpan(text, span.start, cut);
    if (piece) out.push(piece);
    pos = cut;
  }
  return out;
}

/** The last grapheme boundary in `(from, at]`, or the first one after `from` when a grapheme is longer. */
function graphemeBoundaryAtOrBefore(text: string, from: number, at: number): number {
  let best = -1;
  const window = text.slice(from, Math.min(text.length, at + 64));
  for (const g of graphemeSegmenter.segment(window)) {
    const boundary = from + g.index + g.segment.length;
    if (boundary <= at) best = boundary;
    else {
      if (best < 0) best = boundary;
      break;
    }
  }
  return best < 0 ? Math.min(text.length, at) : best;
}
