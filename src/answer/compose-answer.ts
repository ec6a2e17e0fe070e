import { splitSentences } from '../corpus/text.js';
import type { Passage } from '../corpus/types.js';
import { analyzeText, type LexicalIndex } from '../index/lexical.js';
import { coverage, type RankedPassage, type Retrieval } from '../retrieval/hybrid.js';
import type { QueryWord } from '../retrieval/query.js';
import { ANSWER_MODEL, type AnswerModel } from './answer-model.js';
import {
  buildCandidates,
  CANDIDATE_FEATURES,
  CANDIDATE_PASSAGES,
  type Candidate,
  type CandidateSet,
  type CorpusProbe,
} from './candidates.js';
import { logit, sigmoid } from './logistic.js';
import { VALUE_KINDS, type AnswerType } from './question.js';
import type { AnswerResult, Source } from './types.js';

/** Settings of answer selection and refusal; the defaults are the ones measured on the eval set. */
export interface AnswerSettings {
  /**
   * Probability that the documents answer below which the engine refuses (0..1); undefined: the answer model's own
   * threshold (0.5). `ANSWER_THRESHOLD` sets it.
   */
  readonly refusalThreshold?: number | undefined;
  /** Passage confidence ({@link confidence}) below which `/brief` says nothing on the topic is relevant enough. */
  readonly briefThreshold: number;
  /** The same, for briefs computed without the dense channel (bursts of questions). */
  readonly briefFastThreshold: number;
  /** How many passages are searched for the answer sentence. */
  readonly answerPassages: number;
  /** A second adjacent sentence joins the answer when it adds at least this much coverage. */
  readonly pairGain: number;
}

export const DEFAULT_ANSWER_SETTINGS: AnswerSettings = {
  briefThreshold: 0.3,
  briefFastThreshold: 0.28,
  answerPassages: CANDIDATE_PASSAGES,
  pairGain: 0.12,
};

/** A quotable span inside a passage, with how much of the question it covers. */
export interface Quote {
  readonly ranked: RankedPassage;
  /** Offsets inside the passage text. */
  readonly start: number;
  readonly end: number;
  readonly coverage: number;
}

interface SentenceTerms {
  readonly start: number;
  readonly end: number;
  readonly terms: ReadonlySet<string>;
}

// Sentences and their analysed terms, per passage: computed once, since segmenting and stemming are the
// costliest part of choosing a quote.
const sentenceCache = new WeakMap<Passage, readonly SentenceTerms[]>();

/** Sentence spans of a passage (relative to the passage text) with their analysed terms. */
export function passageSentences(passage: Passage): readonly SentenceTerms[] {
  let sentences = sentenceCache.get(passage);
  if (!sentences) {
    sentences = splitSentences(passage.text).map((s) => ({
      ...s,
      terms: new Set(analyzeText(passage.text.slice(s.start, s.end))),
    }));
    sentenceCache.set(passage, sentences);
  }
  return sentences;
}

/**
 * The one or two adjacent sentences of a passage that best cover the question's words.
 * Returns null for a passage without sentences.
 */
export function bestQuote(
  ranked: RankedPassage,
  words: readonly QueryWord[],
  lexical: LexicalIndex,
  pairGain: number,
): Quote | null {
  const sentences = passageSentences(ranked.passage);
  const scored = sentences.map((s) => ({ ...s, coverage: coverage(words, s.terms, lexical) }));
  let best: Quote | null = null;
  scored.forEach((s, i) => {
    let quote: Quote = { ranked, start: s.start, end: s.end, coverage: s.coverage };
    for (const j of [i - 1, i + 1]) {
      const other = scored[j];
      if (!other) continue;
      const start = Math.min(s.start, other.start);
      const end = Math.max(s.end, other.end);
      const joint = coverage(words, new Set([...s.terms, ...other.terms]), lexical);
      if (joint - s.coverage >= pairGain && joint > quote.coverage)
        quote = { ranked, start, end, coverage: joint };
    }
    if (!best || quote.coverage > best.coverage) best = quote;
  });
  return best;
}

/** Turns a ranked passage into a cited source; `highlight` marks a quote inside the excerpt. */
export function toSource(ranked: RankedPassage, highlight: { start: number; end: number } | null): Source {
  const { passage } = ranked;
  return {
    passageId: passage.id,
    doc: passage.doc,
    title: passage.title,
    section: passage.section,
    start: passage.start,
    end: passage.end,
    lines: [passage.lineStart, passage.lineEnd],
    excerpt: passage.text,
    score: ranked.score,
    highlight,
    ordinal: passage.ordinal,
    ...(passage.page !== undefined ? { page: passage.page } : {}),
  };
}

/**
 * Confidence that a quote's passage answers the question, about 0..1: how much of the question's
 * content the passage holds (words weighted by rarity), its character n-gram similarity (catches
 * word forms and names), and its dense similarity (catches paraphrase). Weights measured on the eval set.
 */
export function confidence(quote: Quote, withDense = true): number {
  if (!withDense) return (quote.ranked.coverage + 2 * quote.ranked.chars) / 3;
  const dense = Math.max(0, quote.ranked.dense ?? 0);
  return (quote.ranked.coverage + 2 * quote.ranked.chars + 0.5 * dense) / 3.5;
}

/** Everything besides the retrieval that composing an answer reads. */
export interface AnswerContext {
  readonly lexical: LexicalIndex;
  /** Whether a lower-cased literal occurs anywhere in the corpus. */
  readonly probe: CorpusProbe;
  /** The embedding model of the index (its dense similarities feed the answer model only if it was trained on it). */
  readonly embedding: string;
  readonly model?: AnswerModel;
  /** Replaces the model's refusal threshold (see {@link AnswerSettings.refusalThreshold}). */
  readonly refusalThreshold?: number | undefined;
}

/**
 * Builds the reply from a retrieval. Every sentence and adjacent pair of the top passages is a candidate; the
 * learned ranker picks the one that answers (answer-model.ts). The engine answers when the learned probability
 * that the documents answer reaches the model's threshold and, for a question that asks for a value, the chosen
 * sentence holds one; otherwise it refuses and still returns the closest passages. `confidence` is the calibrated
 * probability that the answer is right. The answer is always a verbatim slice of `sources[0].excerpt`.
 */
export function composeAnswer(
  question: string,
  retrieval: Retrieval,
  context: AnswerContext,
  count: number,
  notes: readonly string[],
): AnswerResult {
  const { ranked, query } = retrieval;
  if (ranked.length === 0) {
    return {
      answered: false,
      question,
      answer: '',
      reason: query.words.length === 0 ? 'empty' : 'no-match',
      confidence: 0,
      sources: [],
      notes,
    };
  }
  const choice = chooseAnswer(question, retrieval, context);
  const best = choice.best;
  const lead = best?.ranked ?? ranked[0]!;
  const rest = ranked.filter((r) => r !== lead).slice(0, Math.max(0, count - 1));
  if (!best || !choice.answers) {
    return {
      answered: false,
      question,
      answer: '',
      reason: 'no-match',
      confidence: choice.confidence,
      sources: [toSource(lead, null), ...rest.map((r) => toSource(r, null))],
      notes,
    };
  }
  const highlight = { start: best.start, end: best.end };
  return {
    answered: true,
    question,
    answer: lead.passage.text.slice(best.start, best.end),
    confidence: choice.confidence,
    answerType: choice.set.analysis.type,
    sources: [{ ...toSource(lead, highlight), phrase: best.phrase }, ...rest.map((r) => toSource(r, null))],
    notes,
  };
}

/** The chosen candidate, its calibrated probabilities, and whether they are enough to answer. */
export interface AnswerChoice {
  readonly set: CandidateSet;
  readonly best: Candidate | null;
  /** Probability that the answer is right: P(the documents answer) × P(this is the right quote). */
  readonly confidence: number;
  /** Probability that the documents answer the question at all. */
  readonly answerable: number;
  readonly answers: boolean;
  /** The inputs of the answerable and correct models, for training and explanation. */
  readonly signals: Readonly<Record<string, number>>;
}

/** Ranks the candidates of a retrieval and decides whether the best one answers. */
export function chooseAnswer(question: string, retrieval: Retrieval, context: AnswerContext): AnswerChoice {
  const model = context.model ?? ANSWER_MODEL;
  const set = buildCandidates(question, retrieval, context.lexical, context.probe);
  const neutral = retrieval.dense && context.embedding === model.embedding ? {} : { dense: undefined };
  const picked = pickCandidate(
    set.candidates.map((c) => ({ features: { ...c.features, ...neutral }, passage: c.ranked.passage.id })),
    model,
  );
  const chosen = picked ? shortest(set.candidates, set.candidates[picked.index]!, set.analysis.type) : null;
  const bestScore = picked?.score ?? Number.NEGATIVE_INFINITY;
  const runnerUp = picked?.runnerUp ?? Number.NEGATIVE_INFINITY;
  if (!chosen) return { set, best: null, confidence: 0, answerable: 0, answers: false, signals: {} };
  const signals = confidenceSignals(chosen.features, bestScore, runnerUp, set);
  const answerable = sigmoid(logit(model.answerable, { ...signals, ...neutral }));
  const correct = sigmoid(logit(model.correct, { ...signals, ...neutral }));
  // A question that asks for a value is answered only by a sentence that holds one.
  const meetsType = set.analysis.type in VALUE_KINDS ? chosen.features.valueExpectedPresent === 1 : true;
  return {
    set,
    best: chosen,
    confidence: Math.round(answerable * correct * 1000) / 1000,
    answerable,
    // A year, number, code identifier, quoted string or name found nowhere in the corpus cannot be answered from it.
    // A passage that shares no word with the question does not address it, whatever the models say.
    answers:
      answerable >= (context.refusalThreshold ?? model.threshold) &&
      meetsType &&
      !set.signals.constraintMissing &&
      chosen.features.passageCoverage > 0,
    signals,
  };
}

/**
 * The shortest quote that answers: for a question asking for a value, a pair of sentences gives way to one of its
 * sentences that alone holds the value and every question word the pair holds, so an unrelated lead-in is not
 * quoted. (Trimming pairs for every kind of question was measured: answers then lost needed words, accuracy −4
 * points pooled.)
 */
function shortest(candidates: readonly Candidate[], chosen: Candidate, type: AnswerType): Candidate {
  if (chosen.features.pair !== 1 || !(type in VALUE_KINDS)) return chosen;
  const alone = candidates.filter(
    (c) =>
      c.features.pair === 0 &&
      c.ranked === chosen.ranked &&
      c.start >= chosen.start &&
      c.end <= chosen.end &&
      c.features.coverage >= chosen.features.coverage - 1e-9 &&
      c.features.valueExpectedPresent === 1,
  );
  return alone[0] ?? chosen;
}

/**
 * Picks the answer among candidates: the ranker's best. `runnerUp` is the best ranker score of another passage
 * (the margin the confidence models read). Null when there is no candidate.
 */
export function pickCandidate(
  candidates: readonly {
    readonly features: Readonly<Record<string, number | undefined>>;
    readonly passage: string;
  }[],
  model: Pick<AnswerModel, 'ranker'>,
): { index: number; score: number; runnerUp: number } | null {
  if (candidates.length === 0) return null;
  const scores = candidates.map((c) => logit(model.ranker, c.features));
  let index = 0;
  scores.forEach((s, i) => {
    if (s > scores[index]!) index = i;
  });
  const chosen = candidates[index]!.passage;
  let runnerUp = Number.NEGATIVE_INFINITY;
  scores.forEach((s, i) => {
    if (candidates[i]!.passage !== chosen) runnerUp = Math.max(runnerUp, s);
  });
  return { index, score: scores[index]!, runnerUp };
}

/** The names of {@link confidenceSignals}: the candidate's features and the pick's and question's own. */
export const CONFIDENCE_FEATURES = [
  ...CANDIDATE_FEATURES,
  'rankerScore',
  'margin',
  'constraintsAbsent',
  'unknownWords',
  'hasConstraints',
  'valueType',
] as const;

export type ConfidenceFeature = (typeof CONFIDENCE_FEATURES)[number];

/** What the answerable and correct models read: the chosen candidate's features, its margin, and question-level signals. */
export function confidenceSignals(
  features: Candidate['features'],
  bestScore: number,
  runnerUp: number,
  set: Pick<CandidateSet, 'signals' | 'analysis'>,
): Record<ConfidenceFeature, number> {
  return {
    ...features,
    rankerScore: bestScore,
    margin: Number.isFinite(runnerUp) ? Math.min(5, bestScore - runnerUp) : 5,
    constraintsAbsent: set.signals.constraintsAbsent,
    unknownWords: set.signals.unknownWords,
    hasConstraints: set.analysis.constraints.length > 0 ? 1 : 0,
    valueType: set.analysis.type in VALUE_KINDS ? 1 : 0,
  };
}
