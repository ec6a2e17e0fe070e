import { splitSentences } from '../corpus/text.js';
import type { Passage } from '../corpus/types.js';
import { analyzeText, type LexicalIndex } from '../index/lexical.js';
import { coverage, type RankedPassage, type Retrieval } from '../retrieval/hybrid.js';
import type { QueryWord } from '../retrieval/query.js';
import type { AnswerResult, Source } from './types.js';

/** Settings of answer selection and refusal; the defaults are the ones measured on the eval set. */
export interface AnswerSettings {
  /** Confidence below which the engine says the documents do not answer (0..1). */
  readonly threshold: number;
  /** The same, for answers computed without the dense channel (bursts of questions). */
  readonly fastThreshold: number;
  /** How many passages are searched for the answer sentence. */
  readonly answerPassages: number;
  /** A second adjacent sentence joins the answer when it adds at least this much coverage. */
  readonly pairGain: number;
}

export const DEFAULT_ANSWER_SETTINGS: AnswerSettings = {
  threshold: 0.3,
  fastThreshold: 0.28,
  answerPassages: 3,
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

/** The best quote among the top passages, or null when none has a sentence. */
export function selectQuote(
  retrieval: Retrieval,
  lexical: LexicalIndex,
  settings: AnswerSettings,
): Quote | null {
  let best: Quote | null = null;
  for (const candidate of retrieval.ranked.slice(0, settings.answerPassages)) {
    const quote = bestQuote(candidate, retrieval.query.words, lexical, settings.pairGain);
    if (quote && (!best || score(quote) > score(best))) best = quote;
  }
  return best;
}

/**
 * Builds the reply from a retrieval: the quote that best answers, from one of the top passages,
 * which then leads the sources; or a refusal with the closest passage when confidence is too low.
 * The answer is always a verbatim slice of `sources[0].excerpt`.
 */
export function composeAnswer(
  question: string,
  retrieval: Retrieval,
  lexical: LexicalIndex,
  count: number,
  notes: readonly string[],
  settings: AnswerSettings = DEFAULT_ANSWER_SETTINGS,
): AnswerResult {
  const { ranked, query } = retrieval;
  if (ranked.length === 0) {
    return {
      answered: false,
      question,
      answer: '',
      reason: query.words.length === 0 ? 'empty' : 'no-match',
      sources: [],
      notes,
    };
  }
  const best = selectQuote(retrieval, lexical, settings);
  const lead = best?.ranked ?? ranked[0]!;
  const rest = ranked.filter((r) => r !== lead).slice(0, Math.max(0, count - 1));
  if (
    !best ||
    confidence(best, retrieval.dense) < (retrieval.dense ? settings.threshold : settings.fastThreshold)
  ) {
    return {
      answered: false,
      question,
      answer: '',
      reason: 'no-match',
      sources: [toSource(lead, null), ...rest.map((r) => toSource(r, null))],
      notes,
    };
  }
  const highlight = { start: best.start, end: best.end };
  return {
    answered: true,
    question,
    answer: lead.passage.text.slice(best.start, best.end),
    sources: [toSource(lead, highlight), ...rest.map((r) => toSource(r, null))],
    notes,
  };
}

/** Rank of a quote among candidates: its own coverage, tempered by its passage's place in the fusion. */
function score(quote: Quote): number {
  return quote.coverage + 0.5 * quote.ranked.coverage + 20 * quote.ranked.score;
}
