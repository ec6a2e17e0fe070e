import { foldTerm } from './fold.js';

/**
 * What a token is. `word`: a word as the Unicode word segmenter cuts it; all of prose is words, and a text
 * gives exactly the same words whether or not it holds code. `code`: a whole code identifier made of several
 * words ("std::thread::spawn", "client#login", "@discordjs/voice", "hashmap<string,i32>"). `part`: a piece of
 * a word that is an identifier ("defer" and "reply" of "deferReply", "snake" and "case" of "snake_case").
 */
export type TokenKind = 'word' | 'code' | 'part';

/** A word of a text: `term` is the folded form (see {@link foldTerm}), `start`/`end` locate the original. */
export interface Token {
  readonly term: string;
  readonly start: number;
  readonly end: number;
  readonly kind: TokenKind;
}

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Splits `text` into words with `Intl.Segmenter`, keeping word-like segments (numbers too: "2.9", "14,539.3",
 * "1992"; Chinese is cut into dictionary words). Each `term` is folded with {@link foldTerm}.
 *
 * Code gets more: a word that is an identifier also gives its parts (`part` tokens: "deferReply" → "defer",
 * "reply"; "snake_case" → "snake", "case"; "node.js" → "node", "js"), and a path or generic type made of
 * several words also gives its whole (a `code` token: "std::thread::spawn", "client#login",
 * "@discordjs/voice", "box<t>"). Tokens are in order of `start`; parts follow their word.
 */
export function tokenize(text: string): Token[] {
  const words: Token[] = [];
  for (const seg of wordSegmenter.segment(text)) {
    if (!seg.isWordLike) continue;
    const term = foldTerm(seg.segment);
    if (term === '') continue;
    words.push({ term, start: seg.index, end: seg.index + seg.segment.length, kind: 'word' });
    for (const part of identifierParts(seg.segment)) {
      const start = seg.index + part.offset;
      words.push({ term: foldTerm(part.text), start, end: start + part.text.length, kind: 'part' });
    }
  }
  const code = codeSpans(text);
  if (code.length === 0) return words;
  const out: Token[] = [];
  let next = 0;
  for (const token of words) {
    while (next < code.length && code[next]!.start <= token.start) out.push(code[next++]!);
    out.push(token);
  }
  while (next < code.length) out.push(code[next++]!);
  return out;
}

interface Piece {
  readonly text: string;
  readonly offset: number;
}

/** A word made of ASCII identifier characters, with a letter in it. */
const IDENTIFIER_WORD = /^[A-Za-z0-9_$.]*[A-Za-z][A-Za-z0-9_$.]*$/u;
/** A piece of a dotted name ("node" of "node.js"): a letter, then at least one more letter or digit. */
const DOTTED_PIECE = /^[A-Za-z][A-Za-z0-9]+$/u;
/** Case changes inside an identifier: "deferReply", "utf8Decode", "HTTPServer" (before the "S"). */
const CAMEL_BOUNDARY = /(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/gu;

/**
 * The parts of a word that is an identifier, with their offsets in the word; [] for any other word. Parts are
 * cut at "_" (snake_case), at "." when every piece is a name of two characters or more ("node.js", but not
 * "e.g" or "2.9"), and at case changes when every piece has two characters or more and, for a capitalised
 * word, the first has three ("deferReply", "HashMap", "XMLHttpRequest", but not "iPhone", "PhD", "IPv4" or
 * the names "McKinsey", "DiCaprio"). A piece cut at "_" or "." is a part and so are its own case parts
 * ("interaction.deferReply" → "interaction", "deferReply", "defer", "Reply"). A word that gives one part
 * equal to itself has no parts, and parts of one character are dropped ("_s" has none).
 */
export function identifierParts(word: string): Piece[] {
  if (!IDENTIFIER_WORD.test(word)) return [];
  const pieces: Piece[] = [];
  for (const m of word.matchAll(/[^_.]+/gu)) pieces.push({ text: m[0], offset: m.index });
  if (word.includes('.') && !pieces.every((p) => DOTTED_PIECE.test(p.text))) return [];
  const parts: Piece[] = [];
  for (const piece of pieces) {
    const cuts = [0, ...[...piece.text.matchAll(CAMEL_BOUNDARY)].map((m) => m.index), piece.text.length];
    const camel = cuts.slice(1).map((end, i) => piece.text.slice(cuts[i], end));
    if (pieces.length > 1) parts.push(piece);
    if (
      camel.length > 1 &&
      camel.every((c) => c.length >= 2) &&
      (/^[a-z]/u.test(piece.text) || camel[0]!.length >= 3)
    ) {
      camel.forEach((c, i) => parts.push({ text: c, offset: piece.offset + cuts[i]! }));
    } else if (pieces.length === 1) {
      parts.push(piece);
    }
  }
  // A one-letter part ("s" of "_s", "x" of "x_1") would match too much to say anything.
  const kept = parts.filter((p) => p.text.length >= 2);
  return kept.length === 1 && kept[0]!.text === word ? [] : kept;
}

const ID = String.raw`[A-Za-z_$][A-Za-z0-9_$]*`;
/**
 * A name, an npm scope and package ("@discordjs/voice"), or a path of names joined by "::" or "#"
 * ("std::thread::spawn", "Client#login"), not starting inside a word.
 */
const CODE_PATH = new RegExp(String.raw`(?<![A-Za-z0-9_$@:#])(?:@${ID}/${ID}|${ID}(?:(?:::|#)${ID})*)`, 'gu');
/** Characters allowed between the angle brackets of a generic type ("HashMap<String, Vec<i32>>"). */
const GENERIC_CHAR = /[A-Za-z0-9_$ \t,:&'*[\];()]/u;
const MAX_GENERIC = 100;

/** Whole code identifiers of several words: `code` tokens, in order. */
function codeSpans(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(CODE_PATH)) {
    const start = m.index;
    let end = start + m[0].length;
    const generic = text[end] === '<' ? genericEnd(text, end) : -1;
    if (generic > 0) end = generic;
    else if (!/::|#|\//u.test(m[0])) continue;
    out.push({ term: foldTerm(text.slice(start, end)).replace(/\s+/gu, ''), start, end, kind: 'code' });
  }
  return out;
}

/** The end of the generic arguments opening at `text[open] === '<'`, or -1 when they do not close. */
function genericEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length && i - open <= MAX_GENERIC; i++) {
    const ch = text[i]!;
    if (ch === '<') depth++;
    else if (ch === '>') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (ch === '-' && text[i + 1] === '>') i++;
    else if (!GENERIC_CHAR.test(ch)) return -1;
  }
  return -1;
}
