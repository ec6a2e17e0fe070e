/**
 * Recognisers for markup that is not content: HTML/JSX tags and comments, `{{#include ...}}`-style directives,
 * `:::` container fences, decoration lines (table rules, thematic breaks, setext underlines). Shared by the
 * sentence splitter (which sees raw passage text) and the markdown parser (which sees whole documents).
 */

/** A fenced code block's opening or closing line: up to any indentation, then ``` or ~~~ (3 or more). */
export const FENCE_LINE = /^[ \t]*(?:>[ \t]?)*(`{3,}|~{3,})/u;

/** A whole line that is a directive: a `:::` container fence (with its name) or a `{{#...}}` include alone. */
export const DIRECTIVE_LINE = /^[ \t>]*(?::{3,}.*|(?:\{\{#[^}\n]*\}\}[ \t]*)+)$/u;

/** A line of decoration only: table rule `|---|`, `***`, `---`, `===`, lone `>` or `#`. */
export const DECORATION_LINE = /^[\s\-*_=|:#>`~+.]*$/u;

/** A link reference definition line: `[label]: url`. */
export const DEFINITION_LINE = /^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$/u;

/**
 * Inline markup masked out of content: HTML comments, HTML/JSX tags (`<span class="x">`, `</Listing>`,
 * `<img ... />`, possibly over several lines, quoted attributes may hold `<` and `>`) and `{{#...}}` directives. Group 1 is a run of backticks, matched
 * so that code spans can be skipped (a tag inside backticks is code, not markup).
 */
const INLINE_MARKUP =
  /(`+)|<!--[\s\S]*?-->|<\/?[A-Za-z][A-Za-z0-9.:-]*(?:\s[^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*)?\/?>|\{\{#[^}\n]*\}\}/gu;

/** How far a code span may reach for its closing backticks (code spans never cross a blank line anyway). */
const CODE_SPAN_REACH = 4000;

/** `s` with every character but line breaks replaced by a space: same length, same line structure. */
export function blankOut(s: string): string {
  return s.replace(/[^\r\n]/gu, ' ');
}

/**
 * `text[from, to)` with markup replaced by spaces, same length (so offsets carry over): HTML/JSX tags and
 * comments outside code spans, `{{#...}}` directives, and lines that are only a `:::` fence or a directive.
 * Code spans are left as they are. Linear in the length of the range.
 */
export function maskInlineMarkup(text: string, from = 0, to = text.length): string {
  const src = text.slice(from, to);
  if (!/[<{:]/u.test(src)) return src;
  const parts: string[] = [];
  let copied = 0;
  INLINE_MARKUP.lastIndex = 0;
  for (let m = INLINE_MARKUP.exec(src); m; m = INLINE_MARKUP.exec(src)) {
    const ticks = m[1];
    if (ticks !== undefined) {
      const close = findClosingTicks(src, m.index + ticks.length, ticks.length);
      if (close >= 0) INLINE_MARKUP.lastIndex = close + ticks.length;
      continue;
    }
    parts.push(src.slice(copied, m.index), blankOut(m[0]));
    copied = m.index + m[0].length;
  }
  parts.push(src.slice(copied));
  const masked = parts.join('');
  if (!masked.includes(':::') && !masked.includes('{{#')) return masked;
  return masked.replace(/^.*$/gmu, (line) => (DIRECTIVE_LINE.test(line) ? blankOut(line) : line));
}

/** Start of the next run of exactly `n` backticks at or after `from` (within reach), or -1. */
function findClosingTicks(s: string, from: number, n: number): number {
  const limit = Math.min(s.length, from + CODE_SPAN_REACH);
  let i = s.indexOf('`', from);
  while (i >= 0 && i < limit) {
    let j = i;
    while (j < s.length && s[j] === '`') j++;
    if (j - i === n) return i;
    i = s.indexOf('`', j);
  }
  return -1;
}

/** True when `s` holds a letter or a digit. */
export function hasContent(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

/** True when the lines of a code block's body are only `{{#include ...}}` directives or blank. */
export function isDirectiveOnlyCode(body: string): boolean {
  return body.split('\n').every((line) => line.trim() === '' || DIRECTIVE_LINE.test(line));
}

/**
 * `s` with sentence-ending punctuation inside code spans (`` `println!` ``, `` `x.len()` ``) replaced by `_`, same
 * length, so a sentence segmenter does not end a sentence inside code. Linear.
 */
export function hideCodeSpanPunctuation(s: string): string {
  if (!s.includes('`')) return s;
  const parts: string[] = [];
  let copied = 0;
  let i = s.indexOf('`');
  while (i >= 0) {
    let j = i;
    while (j < s.length && s[j] === '`') j++;
    const close = findClosingTicks(s, j, j - i);
    if (close < 0) {
      i = s.indexOf('`', j);
      continue;
    }
    parts.push(s.slice(copied, j), s.slice(j, close).replace(/[.!?。！？…]/gu, '_'));
    copied = close;
    i = s.indexOf('`', close + (j - i));
  }
  parts.push(s.slice(copied));
  return parts.join('');
}
