import { readFileSync } from 'node:fs';
import type { AnalyzedQuery, QueryWord } from '../retrieval/query.js';
import type { ValueKind } from './values.js';

/**
 * Question analysis: what kind of answer a question expects, what it is about, and what any answer must match.
 *
 * Rules over the question's wording in English and Russian (`question-cues.json`), not a trained tagger: the
 * NLP libraries that run offline here (compromise, wink-nlp) read English only, the questions are short and
 * their wh-words carry the type, and a rule table is easy to read and extend for another language.
 */

/** The kind of answer a question expects. */
export type AnswerType =
  | 'count'
  | 'quantity'
  | 'duration'
  | 'date'
  | 'percent'
  | 'money'
  | 'person'
  | 'organisation'
  | 'place'
  | 'definition'
  | 'procedure'
  | 'reason'
  | 'yesno'
  | 'list'
  | 'other';

/** Something any answer must match: a year, a number, a quoted string, a code identifier or a proper name. */
export interface Constraint {
  readonly kind: 'year' | 'number' | 'quoted' | 'code' | 'name';
  /** As written in the question. */
  readonly text: string;
  /** The question's content words inside it (their analysed forms match passages). */
  readonly words: readonly QueryWord[];
}

export interface QuestionAnalysis {
  readonly type: AnswerType;
  /** The content words asked about: the question's words without the ones that only say what type is asked. */
  readonly focus: readonly QueryWord[];
  readonly constraints: readonly Constraint[];
}

/** The value kinds that answer each value-seeking type; other types want no particular value. */
export const VALUE_KINDS: Partial<Record<AnswerType, readonly ValueKind[]>> = {
  count: ['number'],
  quantity: ['number', 'quantity', 'money', 'percent', 'duration'],
  duration: ['duration', 'number', 'date'],
  date: ['date'],
  percent: ['percent'],
  money: ['money'],
};

interface CueFile {
  readonly rules: readonly { readonly type: AnswerType; readonly patterns: readonly string[] }[];
}

const CUES = (
  JSON.parse(readFileSync(new URL('./question-cues.json', import.meta.url), 'utf8')) as CueFile
).rules.map((rule) => ({ type: rule.type, patterns: rule.patterns.map((p) => new RegExp(p, 'iu')) }));

const YEAR = /(?<![\p{L}\p{N}])(1[5-9]\d\d|20\d\d)(?:s)?(?![\p{L}\p{N}])/gu;
const NUMBER = /(?<![\p{L}\p{N}.,])\d+(?:[.,]\d+)?%?(?![\p{L}\p{N}])/gu;
const QUOTED = /"([^"]{2,80})"|«([^»]{2,80})»|“([^”]{2,80})”|`([^`]{1,80})`/gu;
/** `std::thread::spawn`, `snake_case`, `deferReply`, `Client#login()`, `#[derive]`, `Box<T>`, `.collect()`. */
const CODE =
  /(?<![\p{L}\p{N}_])(?:#\[[^\]\s]+\]|[\p{L}_][\p{L}\p{N}_]*(?:(?:::|#|\.)[\p{L}_][\p{L}\p{N}_]*)+(?:\(\))?|[\p{L}_]*[a-z][\p{Ll}\p{N}]*[A-Z][\p{L}\p{N}]*|[\p{L}\p{N}]+_[\p{L}\p{N}_]+|[\p{L}_][\p{L}\p{N}_]*(?:\(\)|<[^>\s]+>|!)|\.[\p{L}_]+\(\))/gu;
/** A capitalised word (Latin or Cyrillic) or an all-caps acronym of two or more letters. */
const CAPITALISED = /(?<![\p{L}\p{N}_'’-])(?:\p{Lu}[\p{Ll}\p{Lu}’'-]*\p{L}|\p{Lu}{2,})(?![\p{L}\p{N}_])/gu;

/** Analyses a question whose words retrieval has already analysed. */
export function analyzeQuestion(question: string, query: AnalyzedQuery): QuestionAnalysis {
  const text = question.trim();
  // The cue that starts earliest wins ("Why … the number of …" asks for a reason); ties go to the rule listed first.
  let type: AnswerType = 'other';
  let cueSpan: { start: number; end: number } | null = null;
  for (const rule of CUES) {
    for (const pattern of rule.patterns) {
      const m = pattern.exec(text);
      if (m && (!cueSpan || m.index < cueSpan.start)) {
        type = rule.type;
        cueSpan = { start: m.index, end: m.index + m[0].length };
      }
    }
  }
  const positions = locateWords(text, query.words);
  const constraints = findConstraints(text, positions, query.words);
  // The cue's own words ("how many", "what year") say what is asked, not what it is about.
  const focus = query.words.filter((w, i) => {
    const at = positions[i];
    if (!cueSpan || at === undefined) return true;
    if (!(at.start >= cueSpan.start && at.end <= cueSpan.end)) return true;
    // A content noun inside a long cue ("how much did CNPC spend") still counts when the cue ran past it.
    return cueSpan.end - cueSpan.start > 30;
  });
  return { type, focus: focus.length > 0 ? focus : query.words, constraints };
}

/** Where each analysed word stands in the question (first unclaimed occurrence of its surface). */
function locateWords(
  text: string,
  words: readonly QueryWord[],
): ({ start: number; end: number } | undefined)[] {
  let from = 0;
  return words.map((w) => {
    const at = text.indexOf(w.surface, from);
    if (at < 0) return undefined;
    from = at + w.surface.length;
    return { start: at, end: at + w.surface.length };
  });
}

function findConstraints(
  text: string,
  positions: readonly ({ start: number; end: number } | undefined)[],
  words: readonly QueryWord[],
): Constraint[] {
  const out: Constraint[] = [];
  const taken: { start: number; end: number }[] = [];
  const add = (kind: Constraint['kind'], start: number, end: number, inner = text.slice(start, end)) => {
    if (taken.some((t) => t.start < end && start < t.end)) return;
    taken.push({ start, end });
    const inside = words.filter((_, i) => {
      const p = positions[i];
      return p !== undefined && p.start >= start && p.end <= end;
    });
    out.push({ kind, text: inner, words: inside });
  };
  for (const m of text.matchAll(QUOTED)) {
    const inner = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    add(m[4] !== undefined ? 'code' : 'quoted', m.index, m.index + m[0].length, inner);
  }
  for (const m of text.matchAll(CODE)) add('code', m.index, m.index + m[0].length);
  for (const m of text.matchAll(YEAR)) add('year', m.index, m.index + m[0].length, m[1]);
  for (const m of text.matchAll(NUMBER)) add('number', m.index, m.index + m[0].length);
  for (const m of text.matchAll(CAPITALISED)) {
    const start = m.index;
    // The first word of the question or of a sentence is capitalised anyway.
    const before = text.slice(0, start).trimEnd();
    if (before === '' || /[.!?:;«"“(]$/u.test(before)) continue;
    add('name', start, start + m[0].length);
  }
  return out;
}
