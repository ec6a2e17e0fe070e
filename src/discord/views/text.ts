/**
 * Text hygiene for everything the bot shows: user questions and document text alike are untrusted.
 *
 * Three steps, always in this order:
 * 1. `cleanText` removes what can hide, reorder or smuggle text (control characters, ANSI escapes, bidi overrides,
 *    zalgo stacks, lone surrogates) and collapses whitespace to single spaces;
 * 2. `escapeUnits` maps each code point to its markdown-safe form (backslash escapes, a zero-width space after `@`),
 *    so the output renders as the literal input and can never form a mention, a masked link or a code block;
 * 3. the `fit*` functions cut on whole units (never inside an escape or a surrogate pair) to a length budget.
 *
 * Lengths are JavaScript string lengths (UTF-16 code units), never fewer than the code points Discord counts.
 *
 * Markdown documents keep their inline formatting: `markSource` turns their bold, italics, code and links into
 * private-use marks of the same length (offsets stay exact), the steps above treat each mark as one unit, and
 * `renderMarks` turns the marks that still have their partner after a cut back into Discord markdown. A link
 * shows its text only: a document cannot make the bot post a masked link.
 */

/** The ellipsis that marks a cut. */
export const ELLIPSIS = '…';

const ZWSP = '\u200b';

/* eslint-disable no-control-regex -- matching control characters is the point */
// ANSI CSI and OSC sequences (a lone ESC goes with the controls below).
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// C0 controls but tab/newline/CR, DEL, C1 controls, bidi embeddings/overrides/isolates and marks, BOM,
// interlinear annotations, object replacement.
const INVISIBLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffc]/g;
/* eslint-enable no-control-regex */
// More than two combining marks on one base character: keep two.
const ZALGO = /(\p{M}{2})\p{M}+/gu;
const SPACES = /[\s\u2028\u2029\u00a0]+/g;
// Half of a surrogate pair on its own: not text, and not valid in the JSON Discord accepts.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// A word hyphenated at a line end by a PDF conversion ("informa-\ntion", or "informa- tion" once lines were
// joined): display only, offsets are taken before cleaning. "pre- and post-war" keeps its hyphen.
const HYPHENATED =
  /(\p{Ll}{2,})-(?:[ \t]*\r?\n[ \t]*| )(?!(?:and|or|to|nor|и|или|а|либо)(?![\p{L}\p{N}]))(\p{Ll})/gu;

// A backslash escape in a markdown source (CommonMark: any ASCII punctuation), which renders as the character.
const MARKDOWN_ESCAPE = /\\([!-/:-@[-`{-~])/g;

/** Characters Discord markdown gives a meaning to anywhere in a line. */
const ESCAPED = new Set(['\\', '*', '_', '~', '`', '|', '[', ']', '(', ')', '<', '>', '#']);

/**
 * Removes control characters, ANSI escapes, bidi overrides and zalgo stacks, and collapses every run of whitespace
 * (newlines included) to one space. Edges are kept as one space when present, so pieces of one text can be cleaned
 * separately and joined; use `.trim()` on a whole text. With `markdownSource`, the text comes from a markdown file
 * and its backslash escapes (`\$`) are resolved to what the file shows when rendered (`$`).
 */
export function cleanText(text: string, markdownSource = false): string {
  return (markdownSource ? text.replace(MARKDOWN_ESCAPE, '$1') : text)
    .replace(HYPHENATED, '$1$2')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(ANSI, '')
    .replace(INVISIBLE, '')
    .replace(ZALGO, '$1')
    .replace(SPACES, ' ');
}

/**
 * Splits clean text into display units: one per code point, each already escaped for Discord markdown.
 * `@` is followed by a zero-width space so `@everyone`, `@here` and `<@123>` can neither ping nor render as a mention.
 * A list marker (`-`, `+`, `1.`) at the start is escaped too, since the text may begin a line.
 */
export function escapeUnits(text: string): string[] {
  const units: string[] = [];
  let code = false;
  for (const ch of text) {
    if (MARKS.has(ch)) {
      if (ch === MARK.codeOpen) code = true;
      else if (ch === MARK.codeClose) code = false;
      units.push(ch);
    } else if (code && ch !== '@') units.push(ch === '`' ? "'" : ch);
    else if (ESCAPED.has(ch)) units.push(`\\${ch}`);
    else if (ch === '@') units.push(`@${ZWSP}`);
    else units.push(ch);
  }
  const lead = /^ ?(?:[-+]|\d{1,9}\.)/.exec(text);
  if (lead) {
    const last = lead[0].length - 1; // marker chars are ASCII: code unit index = unit index
    units[last] = `\\${units[last] ?? ''}`;
  }
  return units;
}

/** Private-use marks standing for a markdown document's inline formatting (see `markSource`). */
const MARK = {
  boldOpen: '\ue000',
  boldClose: '\ue001',
  italicOpen: '\ue002',
  italicClose: '\ue003',
  codeOpen: '\ue004',
  codeClose: '\ue005',
  hidden: '\ue006',
} as const;
const MARKS = new Set<string>(Object.values(MARK));
const ANY_MARK = /[\ue000-\ue006]/g;

/**
 * Replaces a markdown document's inline formatting by marks of the same length, so that spans into the text stay
 * valid: `**bold**`/`__bold__`, `*italic*`/`_italic_`, `` `code` `` and `[text](url)` (shown as its text).
 * Marks already in the text (private-use characters) are removed first.
 */
export function markSource(text: string): string {
  return text
    .replace(ANY_MARK, ' ')
    .replace(/(?<!\\)`([^`\n]+)`/g, `${MARK.codeOpen}$1${MARK.codeClose}`)
    .replace(
      /(?<![\\\w])\[([^\]\n]{1,200})\]\(([^()\s]{1,500})\)/g,
      (_m, t: string, url: string) => `${MARK.hidden}${t}${MARK.hidden.repeat(url.length + 3)}`,
    )
    .replace(
      /(?<!\\)(\*\*|__)(?=\S)([^\n]+?)(?<=[^\s\\])\1/g,
      (_m, _d: string, inner: string) => `${MARK.boldOpen.repeat(2)}${inner}${MARK.boldClose.repeat(2)}`,
    )
    .replace(
      /(?<![\\\w*])([*_])(?=[^\s*_])([^\n*_]+?)(?<=[^\s\\])\1(?![\w*])/g,
      (_m, _d: string, inner: string) => `${MARK.italicOpen}${inner}${MARK.italicClose}`,
    );
}

/** Removes bold marks (for text shown inside the bot's own bold). */
export function dropBoldMarks(text: string): string {
  return text.replace(/[\ue000\ue001]/g, '');
}

/**
 * Turns marks into Discord markdown: each closing mark with an opening one before it in the same text becomes
 * `*`, `_` or `` ` `` (and so do their partners); the others, cut from their partner, are removed.
 */
export function renderMarks(text: string): string {
  if (!/[\ue000-\ue006]/.test(text)) return text;
  const chars = [...text];
  const keep = new Set<number>();
  const stacks = new Map<string, number[]>();
  const pairs: Record<string, string> = {
    [MARK.boldClose]: MARK.boldOpen,
    [MARK.italicClose]: MARK.italicOpen,
    [MARK.codeClose]: MARK.codeOpen,
  };
  chars.forEach((ch, i) => {
    if (ch === MARK.boldOpen || ch === MARK.italicOpen || ch === MARK.codeOpen) {
      const stack = stacks.get(ch) ?? [];
      stack.push(i);
      stacks.set(ch, stack);
    } else if (ch in pairs) {
      const open = stacks.get(pairs[ch] ?? '')?.pop();
      if (open !== undefined) keep.add(open).add(i);
    }
  });
  const out = chars.map((ch, i) => {
    if (!MARKS.has(ch)) return ch;
    if (!keep.has(i)) return '';
    if (ch === MARK.codeOpen || ch === MARK.codeClose) return '`';
    return ch === MARK.italicOpen || ch === MARK.italicClose ? '_' : '*';
  });
  return out.join('');
}

/** Clean and escape a whole text, without a length limit. */
export function escapeText(text: string): string {
  return escapeUnits(cleanText(text).trim()).join('');
}

/**
 * Escapes `text` for a markdown context (embed description, field, title) and cuts it to at most `max` characters,
 * ending with "…" when cut. Cuts at a word boundary when one is near.
 */
export function fitInline(text: string, max: number, markdownSource = false): string {
  const source = markdownSource ? markSource(text) : text.replace(ANY_MARK, ' ');
  return renderMarks(takeHead(escapeUnits(cleanText(source, markdownSource).trim()), max).text);
}

/**
 * Text for places Discord shows without markdown (footers, button labels, autocomplete choices, thread names):
 * cleaned, mentions broken with a zero-width space, cut to `max` with "…". Never empty when `fallback` is given.
 */
export function fitPlain(text: string, max: number, fallback = ''): string {
  const units = [...cleanText(text.replace(ANY_MARK, ' ')).trim()].map((ch) =>
    ch === '@' ? `@${ZWSP}` : ch,
  );
  const out = takeHead(units, max).text;
  return out.length > 0 ? out : fallback.slice(0, max);
}

/** Result of fitting units to a budget. */
export interface Fitted {
  readonly text: string;
  /** True when something was left out. */
  readonly cut: boolean;
}

/** Takes whole units from the start up to `max` characters, ending with "…" when cut. */
export function takeHead(units: readonly string[], max: number, ellipsis = true): Fitted {
  if (max <= 0) return { text: '', cut: units.length > 0 };
  if (totalLength(units) <= max) return { text: units.join(''), cut: false };
  const room = max - (ellipsis ? ELLIPSIS.length : 0);
  let n = 0;
  let used = 0;
  while (n < units.length && used + (units[n]?.length ?? 0) <= room) used += units[n++]?.length ?? 0;
  n = backToSpace(units, n, (i) => i - 1, 0);
  const head = units.slice(0, n).join('').trimEnd();
  return { text: ellipsis ? head + ELLIPSIS : head, cut: true };
}

/** Takes whole units from the end up to `max` characters, starting with "…" when cut. */
export function takeTail(units: readonly string[], max: number): Fitted {
  if (max <= 0) return { text: '', cut: units.length > 0 };
  if (totalLength(units) <= max) return { text: units.join(''), cut: false };
  const room = max - ELLIPSIS.length;
  let start = units.length;
  let used = 0;
  while (start > 0 && used + (units[start - 1]?.length ?? 0) <= room) used += units[--start]?.length ?? 0;
  start = backToSpace(units, start, (i) => i, units.length, 1);
  return { text: ELLIPSIS + units.slice(start).join('').trimStart(), cut: true };
}

/**
 * Moves a cut point to the nearest space within 20 units so words stay whole. `at(i)` picks the unit to test
 * for a cut at `i`; `step` is the direction to move in.
 */
function backToSpace(
  units: readonly string[],
  cut: number,
  at: (i: number) => number,
  limit: number,
  step: -1 | 1 = -1,
): number {
  for (let i = cut, moved = 0; moved < 20 && i !== limit; i += step, moved++) {
    if (units[at(i)] === ' ') return i;
  }
  return cut;
}

function totalLength(units: readonly string[]): number {
  let n = 0;
  for (const u of units) n += u.length;
  return n;
}

/** Where to place the bold answer inside an excerpt, as offsets into the raw excerpt. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Renders `excerpt` as escaped markdown of at most `max` characters with `span` in **bold**, cutting around the span
 * with "…" when too long: some context before it, more after it. When the span alone is too long its head is kept.
 * With `span` null (or `bold` false) it shows the head of the excerpt.
 */
export function fitExcerpt(
  excerpt: string,
  span: Span | null,
  max: number,
  bold = true,
  markdownSource = false,
): string {
  const source = markdownSource ? markSource(excerpt) : excerpt.replace(ANY_MARK, ' ');
  const clean = (s: string): string => cleanText(s, markdownSource);
  const whole = (): string => renderMarks(takeHead(escapeUnits(clean(source).trim()), max).text);
  const range = span && bold ? clampSpan(source, span) : null;
  if (!range) return whole();

  // Leading/trailing spaces must sit outside the ** markers or Discord does not bold.
  const rawMid = clean(dropBoldMarks(source.slice(range.start, range.end)));
  const rawPre = (clean(source.slice(0, range.start)) + leadingSpace(rawMid)).replace(/ +/g, ' ');
  const rawPost = (trailingSpace(rawMid) + clean(source.slice(range.end))).replace(/ +/g, ' ');
  const pre = escapeUnits(rawPre.trimStart());
  const mid = escapeUnits(rawMid.trim());
  const post = escapeUnits(rawPost.trimEnd());
  if (mid.length === 0) return whole();

  const marks = 4;
  const midLen = totalLength(mid);
  const preLen = totalLength(pre);
  const postLen = totalLength(post);
  const bolded = (before: string, middle: string, after: string): string =>
    `${renderMarks(before)}**${renderMarks(middle)}**${renderMarks(after)}`;
  if (marks + midLen + preLen + postLen <= max) return bolded(pre.join(''), mid.join(''), post.join(''));

  const lead = pre.length > 0 ? ELLIPSIS.length : 0;
  const trail = post.length > 0 ? ELLIPSIS.length : 0;
  if (marks + midLen + lead + trail > max) {
    // The answer alone does not fit: keep its head, with the ellipsis inside the bold.
    const head = takeHead(mid, max - marks - lead);
    return head.text.length > 0 ? `${lead > 0 ? ELLIPSIS : ''}**${renderMarks(head.text)}**` : '';
  }
  // Some context before the answer (up to a third of the room, more when the text after is short), the rest after.
  const room = max - marks - midLen;
  const preRoom = Math.max(
    lead,
    Math.min(preLen, Math.max(Math.floor(room / 3), room - postLen), room - trail),
  );
  const before = takeTail(pre, preRoom);
  const after = takeHead(post, room - before.text.length);
  return bolded(before.text, mid.join(''), after.text);
}

function leadingSpace(s: string): string {
  return s.startsWith(' ') ? ' ' : '';
}

function trailingSpace(s: string): string {
  return s.endsWith(' ') ? ' ' : '';
}

/** Clamps a span to the text and off the middle of surrogate pairs; null when empty or meaningless. */
function clampSpan(text: string, span: Span): Span | null {
  if (!Number.isInteger(span.start) || !Number.isInteger(span.end)) return null;
  let start = Math.max(0, Math.min(span.start, text.length));
  let end = Math.max(start, Math.min(span.end, text.length));
  if (isLowSurrogate(text.charCodeAt(start)) && start > 0) start -= 1;
  if (isLowSurrogate(text.charCodeAt(end)) && end < text.length) end += 1;
  return end > start ? { start, end } : null;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Cuts already-formatted markdown to `max` characters on a code point boundary, never leaving a dangling backslash.
 * A last-resort guard: renderers budget their parts so this rarely cuts.
 */
export function cutMarkdown(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = [...text];
  let out = '';
  for (const p of points) {
    if (out.length + p.length > max - ELLIPSIS.length) break;
    out += p;
  }
  const slashes = /\\+$/.exec(out)?.[0].length ?? 0;
  if (slashes % 2 === 1) out = out.slice(0, -1);
  return out + ELLIPSIS;
}
