import { splitSentences } from '../corpus/text.js';
import type { Passage } from '../corpus/types.js';
import { analyzeText, headingText, type LexicalIndex } from '../index/lexical.js';
import {
  coverage,
  isKnownWord,
  wordWeight,
  type RankedPassage,
  type Retrieval,
} from '../retrieval/hybrid.js';
import type { QueryWord } from '../retrieval/query.js';
import { analyzeQuestion, VALUE_KINDS, type Constraint, type QuestionAnalysis } from './question.js';
import { findValues, type ValueSpan } from './values.js';

/**
 * Answer candidates: every sentence, and every pair of adjacent sentences, of the top passages, each described by
 * features that mean the same on any corpus (coverage of the question and of its focus, proximity, whether it holds
 * the kind of value asked for, whether the question's hard constraints are met, the passage's retrieval signals).
 * A learned model (answer-model.ts) weighs them; the same code serves the engine and the training script.
 */

/** How many of the top passages give candidates. */
export const CANDIDATE_PASSAGES = 8;

/**
 * The same without the dense channel (fast mode, for bursts, where throughput is the point): the top three.
 * Measured on dev.jsonl, 2 cores: a fast answer costs ~1.3 ms from three passages, 1.6–2.2 ms from eight, with the
 * same R@1, accuracy and refusals.
 */
export const FAST_CANDIDATE_PASSAGES = 3;

/** A sentence of a passage, analysed once. Offsets are relative to the passage text. */
interface SentenceInfo {
  readonly start: number;
  readonly end: number;
  readonly terms: ReadonlySet<string>;
  /** Analysed words with their offsets (relative to the passage text), in order. */
  readonly words: readonly { readonly term: string; readonly start: number; readonly end: number }[];
  readonly values: readonly ValueSpan[];
  /** Lower-cased text, for literal constraints (years, code, quoted strings). */
  readonly lower: string;
}

interface PassageInfo {
  readonly sentences: readonly SentenceInfo[];
  readonly headingTerms: ReadonlySet<string>;
  readonly lower: string;
}

const passageCache = new WeakMap<Passage, PassageInfo>();
const WORD = /[\p{L}\p{N}][\p{L}\p{N}_'’]*/gu;

/** Sentences, words and values of a passage, computed once per passage. */
export function passageInfo(passage: Passage): PassageInfo {
  let info = passageCache.get(passage);
  if (info) return info;
  const sentences = splitSentences(passage.text).map((span) => {
    const text = passage.text.slice(span.start, span.end);
    const words: { term: string; start: number; end: number }[] = [];
    for (const m of text.matchAll(WORD)) {
      for (const term of analyzeText(m[0]))
        words.push({ term, start: span.start + m.index, end: span.start + m.index + m[0].length });
    }
    const values = findValues(text).map((v) => ({
      ...v,
      start: v.start + span.start,
      end: v.end + span.start,
    }));
    return { ...span, terms: new Set(analyzeText(text)), words, values, lower: text.toLowerCase() };
  });
  info = {
    sentences,
    headingTerms: new Set(analyzeText(headingText(passage))),
    lower: passage.text.toLowerCase(),
  };
  passageCache.set(passage, info);
  return info;
}

/** Names of the candidate features, in the order of {@link Candidate.features}. */
export const CANDIDATE_FEATURES = [
  'coverage',
  'coverageWithHeadings',
  'focusCoverage',
  'passageCoverage',
  'headingCoverage',
  'rankInverse',
  'fusedScore',
  'dense',
  'charSimilarity',
  'lexicalScore',
  'proximity',
  'valueExpectedPresent',
  'valueExpectedMissing',
  'valueNearFocus',
  'focusMissing',
  'constraintsInSentence',
  'constraintsInPassage',
  'nameExpectedPresent',
  'cueMatch',
  'pair',
  'pairGain',
  'valueCount',
  'short',
  'logLength',
] as const;

export type CandidateFeature = (typeof CANDIDATE_FEATURES)[number];

/** One quotable span: a sentence or two adjacent sentences of a ranked passage. */
export interface Candidate {
  readonly ranked: RankedPassage;
  /** 0-based rank of the passage in the retrieval. */
  readonly rank: number;
  /** Offsets inside the passage text. */
  readonly start: number;
  readonly end: number;
  /** The answering phrase inside the span (a value of the asked-for kind), offsets inside the passage text. */
  readonly phrase: { readonly start: number; readonly end: number } | null;
  readonly features: Readonly<Record<CandidateFeature, number>>;
}

/** Checks whether a literal string occurs anywhere in the corpus (lower-cased). */
export type CorpusProbe = (lowerCaseLiteral: string) => boolean;

/** The question-level signals the confidence model reads besides the best candidates. */
export interface QuestionSignals {
  /** Share of the hard constraints that occur nowhere in the corpus. */
  readonly constraintsAbsent: number;
  /** Whether a year, number, code identifier, quoted string or name of the question occurs nowhere in the corpus. */
  readonly constraintMissing: boolean;
  /** IDF-weighted share of the question's words that occur nowhere in the corpus. */
  readonly unknownWords: number;
}

export interface CandidateSet {
  readonly analysis: QuestionAnalysis;
  readonly candidates: readonly Candidate[];
  readonly signals: QuestionSignals;
}

const CAUSE =
  /(?<![\p{L}])(?:because|since|so that|due to|owing to|in order to|reason|that's why|this is why|therefore|thus|hence|потому что|так как|из-за|поэтому|благодаря|чтобы)(?![\p{L}])/iu;
const DEFINES =
  /(?<![\p{L}])(?:is an?|are|is the|refers? to|means?|stands? for|is called|are called|known as|defined as|называется|означает|это|—|–)(?![\p{L}])/iu;
const PROCEDURE =
  /`|(?<![\p{L}])(?:use|run|call|add|create|set|write|type|install|enter|open|annotate|specify|using|with the)(?![\p{L}])/iu;
const NAME = /(?<=[\p{L}\p{N},;:)] )\p{Lu}[\p{Ll}’'-]+(?: \p{Lu}[\p{Ll}’'-]+)*|`[^`]+`|\p{Lu}{2,}/gu;
const YESNO =
  /(?<![\p{L}])(?:yes|no|not|never|always|can|cannot|can't|won't|doesn't|don't|only|да|нет|не|нельзя|можно)(?![\p{L}])/iu;

/** Builds and describes the answer candidates of a retrieval. */
export function buildCandidates(
  question: string,
  retrieval: Retrieval,
  lexical: LexicalIndex,
  probe: CorpusProbe,
): CandidateSet {
  const { query } = retrieval;
  const analysis = analyzeQuestion(question, query);
  const signals = questionSignals(analysis, query.words, lexical, probe);
  const given = new Set(
    analysis.constraints.filter((c) => c.kind === 'year' || c.kind === 'number').map((c) => digitsOf(c.text)),
  );
  const maxIdf = lexical.idf('\u0000');
  const asked = question.toLowerCase();
  const top = retrieval.ranked[0]?.score ?? 1;
  const topLexical = Math.max(1e-9, ...retrieval.ranked.map((r) => r.lexical));
  const candidates: Candidate[] = [];
  const depth = retrieval.dense ? CANDIDATE_PASSAGES : FAST_CANDIDATE_PASSAGES;
  retrieval.ranked.slice(0, depth).forEach((ranked, rank) => {
    const info = passageInfo(ranked.passage);
    const passageConstraints = constraintShare(analysis.constraints, info.lower, [
      info.headingTerms,
      ...info.sentences.map((s) => s.terms),
    ]);
    const headingCoverage = coverage(query.words, info.headingTerms, lexical);
    const spans: (readonly SentenceInfo[])[] = [];
    info.sentences.forEach((s, i) => {
      spans.push([s]);
      const next = info.sentences[i + 1];
      if (next) spans.push([s, next]);
    });
    for (const parts of spans) {
      const first = parts[0]!;
      const last = parts[parts.length - 1]!;
      const terms = parts.length === 1 ? first.terms : new Set(parts.flatMap((p) => [...p.terms]));
      const words = parts.flatMap((p) => p.words);
      const values = parts.flatMap((p) => p.values);
      const lower = parts.map((p) => p.lower).join(' ');
      const wanted = VALUE_KINDS[analysis.type];
      // A value the question itself gives ("the 2020-2030 concept") is not an answer to it.
      const matching = wanted
        ? values.filter(
            (v) =>
              wanted.some((k) => v.kinds.has(k)) &&
              !given.has(digitsOf(ranked.passage.text.slice(v.start, v.end))),
          )
        : [];
      const focusAt = words.filter((w) => analysis.focus.some((f) => f.forms.includes(w.term)));
      const phrase = nearest(matching, focusAt);
      const text = ranked.passage.text.slice(first.start, last.end);
      const length = last.end - first.start;
      const covered = coverage(query.words, terms, lexical);
      const single =
        parts.length === 1 ? covered : Math.max(...parts.map((p) => coverage(query.words, p.terms, lexical)));
      const features: Record<CandidateFeature, number> = {
        coverage: covered,
        coverageWithHeadings: coverage(query.words, new Set([...terms, ...info.headingTerms]), lexical),
        focusCoverage: coverage(analysis.focus, terms, lexical),
        passageCoverage: ranked.coverage,
        headingCoverage,
        rankInverse: 1 / (1 + rank),
        fusedScore: ranked.score / top,
        dense: Math.max(0, ranked.dense ?? 0),
        charSimilarity: ranked.chars,
        lexicalScore: ranked.lexical / topLexical,
        proximity: proximity(words, query.words),
        valueExpectedPresent: wanted && matching.length > 0 ? 1 : 0,
        valueExpectedMissing: wanted && matching.length === 0 ? 1 : 0,
        focusMissing: missingWeight(analysis.focus, terms, info.headingTerms, lexical) / maxIdf,
        valueNearFocus: phrase && focusAt.length > 0 ? distanceScore(phrase, focusAt) : 0,
        constraintsInSentence: constraintShare(analysis.constraints, lower, [terms]),
        constraintsInPassage: passageConstraints,
        nameExpectedPresent:
          ['person', 'organisation', 'place'].includes(analysis.type) && hasNewName(text, asked) ? 1 : 0,
        cueMatch: cueMatch(analysis.type, text),
        pair: parts.length > 1 ? 1 : 0,
        pairGain: covered - single,
        valueCount: Math.min(3, matching.length) / 3,
        short: length < 40 ? 1 : 0,
        logLength: Math.log(1 + length) / Math.log(1000),
      };
      candidates.push({
        ranked,
        rank,
        start: first.start,
        end: last.end,
        phrase: phrase ? { start: phrase.start, end: phrase.end } : null,
        features,
      });
    }
  });
  return { analysis, candidates, signals };
}

function cueMatch(type: QuestionAnalysis['type'], text: string): number {
  switch (type) {
    case 'reason':
      return CAUSE.test(text) ? 1 : 0;
    case 'definition':
      return DEFINES.test(text) ? 1 : 0;
    case 'procedure':
      return PROCEDURE.test(text) ? 1 : 0;
    case 'yesno':
      return YESNO.test(text) ? 1 : 0;
    default:
      return 0;
  }
}

/**
 * Share of the constraints met: a year, number, code identifier or quoted string must occur literally (case
 * ignored); a name must have one of its words' analysed forms among the terms. 1 when there are none.
 */
function constraintShare(
  constraints: readonly Constraint[],
  lower: string,
  termSets: readonly ReadonlySet<string>[],
): number {
  const relevant = constraints.filter((c) => c.kind !== 'name' || c.words.length > 0);
  if (relevant.length === 0) return 1;
  let met = 0;
  for (const c of relevant) {
    if (c.kind === 'name' || (c.words.length > 0 && !isLiteral(c))) {
      if (c.words.every((w) => termSets.some((t) => w.forms.some((f) => t.has(f))))) met += 1;
    } else if (lower.includes(c.text.toLowerCase())) {
      met += 1;
    }
  }
  return met / relevant.length;
}

/** Years, numbers, code and quoted strings are matched as written; a Cyrillic quote may be translated. */
function isLiteral(c: Constraint): boolean {
  return c.kind !== 'name' && !/\p{Script=Cyrillic}/u.test(c.text);
}

function questionSignals(
  analysis: QuestionAnalysis,
  words: readonly QueryWord[],
  lexical: LexicalIndex,
  probe: CorpusProbe,
): QuestionSignals {
  const relevant = analysis.constraints.filter((c) => c.kind !== 'name' || c.words.length > 0);
  const absent = relevant.filter((c) =>
    isLiteral(c) ? !probe(c.text.toLowerCase()) : !c.words.every((w) => isKnownWord(w, lexical)),
  ).length;
  let total = 0;
  let unknown = 0;
  for (const w of words) {
    const weight = wordWeight(w, lexical);
    total += weight;
    if (!isKnownWord(w, lexical)) unknown += weight;
  }
  return {
    constraintsAbsent: relevant.length === 0 ? 0 : absent / relevant.length,
    constraintMissing: absent > 0,
    unknownWords: total === 0 ? 0 : unknown / total,
  };
}

/** Matched question words per word of the smallest window holding them (1 = adjacent), 0 with fewer than two. */
function proximity(words: readonly { term: string }[], query: readonly QueryWord[]): number {
  const positions: { pos: number; word: number }[] = [];
  words.forEach((w, pos) => {
    const word = query.findIndex((q) => q.forms.includes(w.term));
    if (word >= 0) positions.push({ pos, word });
  });
  const distinct = new Set(positions.map((p) => p.word)).size;
  if (distinct < 2) return 0;
  // Smallest window holding every distinct matched word.
  let best = Number.POSITIVE_INFINITY;
  const counts = new Map<number, number>();
  let have = 0;
  let left = 0;
  for (let right = 0; right < positions.length; right++) {
    const r = positions[right]!;
    counts.set(r.word, (counts.get(r.word) ?? 0) + 1);
    if (counts.get(r.word) === 1) have += 1;
    while (have === distinct) {
      const l = positions[left]!;
      best = Math.min(best, r.pos - l.pos + 1);
      counts.set(l.word, (counts.get(l.word) ?? 0) - 1);
      if (counts.get(l.word) === 0) have -= 1;
      left += 1;
    }
  }
  return distinct / best;
}

/** The value closest to a focus word (by characters), or the first value when no focus word is there. */
function nearest(
  values: readonly ValueSpan[],
  focus: readonly { start: number; end: number }[],
): ValueSpan | null {
  if (values.length === 0) return null;
  if (focus.length === 0) return values[0]!;
  let best = values[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const v of values) {
    const d = Math.min(...focus.map((f) => gap(v, f)));
    if (d < bestDistance) {
      bestDistance = d;
      best = v;
    }
  }
  return best;
}

function gap(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.end <= b.start ? b.start - a.end : b.end <= a.start ? a.start - b.end : 0;
}

/** 1 when the value touches a focus word, falling to 0 at about 120 characters. */
function distanceScore(
  value: { start: number; end: number },
  focus: readonly { start: number; end: number }[],
): number {
  const d = Math.min(...focus.map((f) => gap(value, f)));
  return Math.max(0, 1 - d / 120);
}

/** The digits of a value, its identity for "the question already gives it" ("2,020" and "2020" alike). */
function digitsOf(text: string): string {
  return text.replace(/\D+/g, '');
}

/** The rarest focus word (by IDF) that neither the candidate nor its headings hold; 0 when all are there. */
function missingWeight(
  focus: readonly QueryWord[],
  terms: ReadonlySet<string>,
  headings: ReadonlySet<string>,
  lexical: LexicalIndex,
): number {
  let worst = 0;
  for (const w of focus) {
    if (w.forms.some((f) => terms.has(f) || headings.has(f))) continue;
    worst = Math.max(worst, wordWeight(w, lexical));
  }
  return worst;
}

/** Whether a text names something (a capitalised name, an acronym, a code span) that the question does not. */
function hasNewName(text: string, askedLowerCase: string): boolean {
  for (const m of text.matchAll(NAME)) {
    if (!askedLowerCase.includes(m[0].replace(/`/g, '').toLowerCase())) return true;
  }
  return false;
}
