import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { VectorStoreInterface } from '@langchain/core/vectorstores';
import type { Passage } from '../corpus/types.js';
import { topRows, type CharIndex } from '../index/char-index.js';
import { DEFAULT_LEXICAL_SCORING, type LexicalIndex, type LexicalScoring } from '../index/lexical.js';
import { reciprocalRankFusion } from './fusion.js';
import { analyzeQuery, type AnalyzedQuery, type QueryWord } from './query.js';

/** Everything hybrid retrieval needs, typed by LangChain interfaces so another store or model can be handed in. */
export interface RetrievalDeps {
  readonly embeddings: EmbeddingsInterface;
  readonly store: VectorStoreInterface;
  readonly lexical: LexicalIndex;
  readonly chars: CharIndex;
  readonly passages: ReadonlyMap<string, Passage>;
  /** A passage's stored vector, so passages found only lexically still get their exact dense similarity. */
  readonly vectorOf?: (id: string) => readonly number[] | undefined;
}

/** Retrieval settings; the defaults are the ones measured on the eval set. */
export interface RetrievalSettings {
  /** Candidates taken from each ranking before fusion. */
  readonly candidates: number;
  readonly rrfK: number;
  /** Weights of the dense, BM25 and character n-gram rankings in the fusion. */
  readonly denseWeight: number;
  readonly lexicalWeight: number;
  readonly charWeight: number;
  /**
   * Re-ranking: the final score is the fused score (scaled so the best is 1) plus this weight times
   * the passage's coverage of the question, so a passage holding every asked-for concept rises.
   */
  readonly coverageWeight: number;
  /** How many fused candidates are re-ranked. */
  readonly rerankDepth: number;
  /** BM25 parameters and field weights of the lexical channel. */
  readonly lexicalScoring: LexicalScoring;
}

/**
 * Measured on the pooled dev sets (bundled corpus and the Rust book, scripts/tune.ts): rrfK 20 (not 60) and BM25
 * weighing twice the others let the lexical channel's top hits stand out (USE is weak on technical text), and
 * coverage weighs twice the fused score.
 */
export const DEFAULT_RETRIEVAL_SETTINGS: RetrievalSettings = {
  candidates: 40,
  rrfK: 20,
  denseWeight: 1,
  lexicalWeight: 2,
  charWeight: 1,
  coverageWeight: 2,
  rerankDepth: 30,
  lexicalScoring: DEFAULT_LEXICAL_SCORING,
};

/** One ranked passage with the signals behind its place. */
export interface RankedPassage {
  readonly passage: Passage;
  /** Fused RRF score scaled to the best candidate, plus the coverage bonus; higher is better. */
  readonly score: number;
  /** Cosine similarity to the question (−1..1), or null when not among the dense candidates. */
  readonly dense: number | null;
  /** BM25+ score, or 0 when not among the lexical candidates. */
  readonly lexical: number;
  /** Character n-gram cosine similarity, or 0 when not among its candidates. */
  readonly chars: number;
  /** Share of the question's content, weighted by rarity, that this passage contains (0..1). */
  readonly coverage: number;
}

/** The outcome of one retrieval. */
export interface Retrieval {
  readonly query: AnalyzedQuery;
  readonly ranked: readonly RankedPassage[];
  /** False when the dense channel was skipped. */
  readonly dense: boolean;
}

/**
 * How much a question word weighs: the IDF of its commonest form that the corpus knows, or the highest IDF when the
 * corpus knows none of its forms.
 */
export function wordWeight(word: QueryWord, lexical: LexicalIndex): number {
  let weight = Number.POSITIVE_INFINITY;
  for (const form of word.forms) if (lexical.knows(form)) weight = Math.min(weight, lexical.idf(form));
  return Number.isFinite(weight) ? weight : lexical.idf('\u0000');
}

/** Whether the corpus knows any form of a question word. */
export function isKnownWord(word: QueryWord, lexical: LexicalIndex): boolean {
  return word.forms.some((f) => lexical.knows(f));
}

/**
 * IDF-weighted share of the question's content words found in a set of analysed terms. A word counts
 * as found when any of its forms (own stem, transliteration, translation) is there; a word found
 * nowhere in the corpus weighs as the rarest word, so off-corpus questions score low.
 */
export function coverage(
  words: readonly QueryWord[],
  terms: ReadonlySet<string>,
  lexical: LexicalIndex,
): number {
  let total = 0;
  let found = 0;
  for (const word of words) {
    const weight = wordWeight(word, lexical);
    total += weight;
    const matched =
      word.forms.some((f) => terms.has(f)) ||
      (word.phrases ?? []).some((phrase) => phrase.every((t) => terms.has(t)));
    if (matched) found += weight;
  }
  return total === 0 ? 0 : found / total;
}

/**
 * Ranks passages for a question: a dense ranking (cosine over the vector store) and two lexical ones
 * (BM25+ over words, TF-IDF over character n-grams), fused by reciprocal rank fusion.
 */
export async function retrieve(
  question: string,
  deps: RetrievalDeps,
  limit: number,
  settings: RetrievalSettings = DEFAULT_RETRIEVAL_SETTINGS,
  options: { readonly dense?: boolean } = {},
): Promise<Retrieval> {
  const query = analyzeQuery(question, deps.lexical.acronyms);
  if (query.words.length === 0) return { query, ranked: [], dense: false };
  const n = Math.min(settings.candidates, deps.passages.size);
  // Without the dense channel (a burst of questions), the lexical channels rank alone: no embedding cost.
  const useDense = options.dense ?? true;
  const vector = useDense ? await deps.embeddings.embedQuery(query.denseText) : [];
  const denseHits = useDense ? await deps.store.similaritySearchVectorWithScore(vector, n) : [];
  const dense = new Map<string, number>();
  for (const [document, score] of denseHits) {
    const id = passageIdOf(document.metadata);
    if (id !== undefined && !dense.has(id)) dense.set(id, score);
  }
  const lexicalHits = deps.lexical.query(query.terms, n, settings.lexicalScoring);
  const lexical = new Map(lexicalHits.map((h) => [h.id, h.score]));
  // The character channel scores every passage anyway; keep all scores, rank only the top n.
  const charScores = deps.chars.scores(query.charText);
  const charRanking = topRows(charScores, n).flatMap((row) => deps.chars.idAt(row) ?? []);
  const charScore = (id: string) => {
    const row = deps.chars.rowOfId(id);
    return row === undefined ? 0 : (charScores[row] ?? 0);
  };
  const fused = reciprocalRankFusion([[...dense.keys()], lexicalHits.map((h) => h.id), charRanking], {
    k: settings.rrfK,
    weights: [settings.denseWeight, settings.lexicalWeight, settings.charWeight],
  });
  const top = [...fused].sort((a, b) => b[1] - a[1]).slice(0, Math.max(limit, settings.rerankDepth));
  const best = top[0]?.[1] ?? 1;
  const ranked: RankedPassage[] = [];
  for (const [id, fusedScore] of top) {
    const passage = deps.passages.get(id);
    if (!passage) continue;
    const covered = coverage(query.words, deps.lexical.termsOf(id), deps.lexical);
    ranked.push({
      passage,
      score: fusedScore / best + settings.coverageWeight * covered,
      dense: dense.get(id) ?? (useDense ? exactSimilarity(vector, deps.vectorOf?.(id)) : null),
      lexical: lexical.get(id) ?? 0,
      chars: charScore(id),
      coverage: covered,
    });
  }
  ranked.sort((a, b) => b.score - a.score);
  ranked.splice(limit);
  return { query, ranked, dense: useDense };
}

function exactSimilarity(query: readonly number[], vector: readonly number[] | undefined): number | null {
  if (!vector || vector.length !== query.length) return null;
  let dot = 0;
  let qq = 0;
  let vv = 0;
  for (let i = 0; i < query.length; i++) {
    const a = query[i] ?? 0;
    const b = vector[i] ?? 0;
    dot += a * b;
    qq += a * a;
    vv += b * b;
  }
  return qq > 0 && vv > 0 ? dot / Math.sqrt(qq * vv) : null;
}

function passageIdOf(metadata: Record<string, unknown>): string | undefined {
  const id = metadata['id'];
  return typeof id === 'string' ? id : undefined;
}
