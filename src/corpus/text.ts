import { newStemmer } from 'snowball-stemmers';

/** A half-open range `[start, end)` of JavaScript string indices into some text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A word of a text: `term` is the folded form (see {@link foldTerm}), `start`/`end` locate the original. */
export interface Token {
  readonly term: string;
  readonly start: number;
  readonly end: number;
}

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
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

/** A line that a following lowercase line cannot continue: a markdown heading or a table row. */
const NOT_WRAPPED = /^[ \t]*(?:#{1,6}(?:[ \t]|$)|\|)/u;
/** Ends a sentence or a lead-in, possibly followed by closing quotes, brackets or markdown emphasis. */
const TERMINAL_PUNCT = /[.!?:;…。！？；：][\p{Pe}\p{Pf}"'*_]*$/u;

/**
 * Replaces single line breaks that merely wrap a sentence by spaces (same length, so offsets do not move).
 * A break is a wrap when the line before it does not end a sentence and is not a heading, and the next line
 * starts in lowercase (so it is neither a heading nor a new paragraph). Blank lines always separate.
 */
function unwrapSoftBreaks(segment: string): string {
  if (!segment.includes('\n')) return segment;
  return segment.replace(/\S[^\S\r\n]*(\r?\n)(?=[ \t]*\p{Ll})/gu, (whole: string, br: string, offset: number) => {
    const line = segment.slice(segment.lastIndexOf('\n', offset) + 1, offset + whole.length - br.length);
    if (TERMINAL_PUNCT.test(line.trimEnd()) || NOT_WRAPPED.test(line)) return whole;
    return whole.slice(0, whole.length - br.length) + ' '.repeat(br.length);
  });
}

/**
 * Splits `text[start, end)` into sentences with `Intl.Segmenter`, then repairs what the segmenter gets wrong on
 * documents like ours: no break after initials ("Rakhimzhanova D. A."), Russian and English abbreviations
 * ("e.g.", "т. е.", "г.", "No. 4"), and never a sentence across a line that ends a paragraph, heading or list
 * item (a line wrapped inside a sentence, continuing in lowercase, is joined).
 *
 * @returns spans with absolute offsets into `text`, trimmed of whitespace, non-empty, in order.
 */
export function splitSentences(text: string, start = 0, end = text.length): Span[] {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  const slice = unwrapSoftBreaks(text.slice(from, to));
  const raw: Span[] = [];
  for (const seg of sentenceSegmenter.segment(slice)) {
    const span = trimSpan(text, from + seg.index, from + seg.index + seg.segment.length);
    if (span) raw.push(span);
  }
  const out: Span[] = [];
  let previous: Span | undefined;
  for (const span of raw) {
    const merged = out[out.length - 1];
    if (merged && previous && shouldJoin(text, previous, span)) {
      out[out.length - 1] = { start: merged.start, end: span.end };
    } else {
      out.push(span);
    }
    previous = span;
  }
  return out;
}

/**
 * Whether the segmenter's break between two of its segments should be undone. Never across a line break.
 * Yes after an initial or an abbreviation; after a segment without letters that starts a line (the "1." of a
 * list item); inside a URL; and before a segment without letters ("2021." or "№ 4." in a citation), no sentence by itself.
 */
function shouldJoin(text: string, previous: Span, next: Span): boolean {
  const gap = text.slice(previous.end, next.start);
  if (/[\n\r\u2028\u2029]/u.test(gap)) return false;
  if (!hasLetter(text, next)) return true;
  // "https://site/?id=1": an ASCII "?" or "." directly followed by a Latin or Cyrillic letter or a digit.
  if (gap === '' && /[.?!]$/u.test(text.slice(previous.start, previous.end)) && URL_TAIL.test(text.slice(next.start, next.start + 1))) {
    return true;
  }
  const before = text.slice(Math.max(previous.start, previous.end - 40), previous.end);
  if (endsWithAbbreviation(before)) return true;
  return !hasLetter(text, previous) && /^[^\S\r\n]*$/u.test(text.slice(lineStartOf(text, previous.start), previous.start));
}

const URL_TAIL = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{N}_=&%/#-]/u;

function hasLetter(text: string, span: Span): boolean {
  return /\p{L}/u.test(text.slice(span.start, span.end));
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * Splits `text` into words with `Intl.Segmenter`, keeping word-like segments (numbers too: "2.9", "14,539.3",
 * "1992"; Chinese is cut into dictionary words). Each `term` is folded with {@link foldTerm}.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const seg of wordSegmenter.segment(text)) {
    if (!seg.isWordLike) continue;
    const term = foldTerm(seg.segment);
    if (term !== '') out.push({ term, start: seg.index, end: seg.index + seg.segment.length });
  }
  return out;
}

const APOSTROPHES = /[\u2018\u2019\u201A\u201B\u02BC\u02B9\u0060\u00B4\u2032\uFF07]/gu;
const QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\uFF02]/gu;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * Folds a word for matching: lowercase, compatibility decomposition (NFKD) with combining marks removed (so
 * diacritics go and "ё" becomes "е"), typographic apostrophes and quotes made ASCII, invisible characters
 * (soft hyphen, zero-width) removed. "й" is kept as "й" (NFKD would make it "и"), because the Russian stemmer
 * tells them apart; index and query both go through here, so they agree.
 */
export function foldTerm(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\u0438\u0306/gu, '\u0439')
    .replace(/\p{M}/gu, '')
    .replace(APOSTROPHES, "'")
    .replace(QUOTES, '"')
    .replace(INVISIBLE, '');
}

const englishStemmer = newStemmer('english');
const russianStemmer = newStemmer('russian');
const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string>();

const LATIN_WORD = /^[\p{Script=Latin}']+$/u;
const CYRILLIC_WORD = /^[\p{Script=Cyrillic}]+$/u;

/**
 * Stems a folded word: Snowball English for Latin-script words, Snowball Russian for Cyrillic ones, unchanged
 * otherwise (numbers, Chinese, mixed). The Russian stemmer is applied until its output stops changing (at most
 * four times), because one pass is not consistent on nouns in "-ан"/"-ай": "казахстан" → "казахста" but
 * "казахстаном" → "казахстан". Results are cached (bounded).
 */
export function stemTerm(folded: string): string {
  const cached = stemCache.get(folded);
  if (cached !== undefined) return cached;
  let stem = folded;
  if (LATIN_WORD.test(folded)) {
    stem = englishStemmer.stem(folded);
  } else if (CYRILLIC_WORD.test(folded)) {
    for (let i = 0; i < 4; i++) {
      const next = russianStemmer.stem(stem);
      if (next === stem || next.length < 2) break;
      stem = next;
    }
  }
  if (stemCache.size >= STEM_CACHE_LIMIT) {
    const oldest = stemCache.keys().next();
    if (oldest.done !== true) stemCache.delete(oldest.value);
  }
  stemCache.set(folded, stem);
  return stem;
}

/** English and Russian function words, folded (see {@link foldTerm}). Content words are never listed. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  [
    // English
    'a an the and or but nor if then so of to in on at by for with from into onto about as than that this these',
    "those there here is are was were be been being am do does did done has have had having it its it's he she",
    'they them their theirs his her hers him we us our you your i me my which who whom whose what when where why',
    'how not no can could will would shall should may might must also such both each any all some other own same',
    'very just over under up down out off again further once between through during before after above below',
    'while because until against per via within without',
    // Russian
    'и в во на с со к ко о об обо от до по за из изо у при про для без над под перед между через а но да или либо',
    'ни не же ли бы то что чтобы как так также тоже это этот эта эти этого этой этом этих тот та те того той том',
    'тех он она оно они его ее их им ими ему ей я мы вы ты меня нас вас себя свой своей своих который которая',
    'которое которые которого которой которых где когда кто чем был была было были быть есть уже еще все всех',
    'весь вся только очень если ведь вот там тут здесь какой какие каком каких какая каков какова каково каковы',
  ]
    .join(' ')
    .split(' '),
);

/** True when the folded `term` is an English or Russian function word. */
export function isStopword(term: string): boolean {
  return STOPWORDS.has(term);
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

/**
 * Inline markdown removed for display: emphasis markers, code ticks, links and images (their text kept),
 * autolinks, HTML tags and backslash escapes (`\$` becomes `$`). Whitespace is collapsed.
 */
export function cleanMarkdownInline(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/<(https?:[^>]*)>/gu, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/gu, '')
    .replace(/(\*\*|__|~~)(.+?)\1/gu, '$2')
    .replace(/(^|[^\p{L}\p{N}\\])[*_](.+?)[*_](?=$|[^\p{L}\p{N}])/gu, '$1$2')
    .replace(/`+([^`]*)`+/gu, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|$<>~"'])/gu, '$1')
    .replace(/\s+/gu, ' ')
    .trim();
}
