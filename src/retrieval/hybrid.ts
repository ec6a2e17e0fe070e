import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { VectorStoreInterface } from '@langchain/core/vectorstores';
import type { Passage } from '../corpus/types.js';
import type { LexicalIndex } from '../index/lexical.js';
import { reciprocalRankFusion } from './fusion.js';
import { analyzeQuery, type AnalyzedQuery, type QueryWord } from './query.js';

/** Everything hybrid retrieval needs, typed by LangChain interfaces so another store or model can be handed in. */
export interface RetrievalDeps {
  readonly embeddings: EmbeddingsInterface;
  readonly store: VectorStoreInterface;
  readonly lexical: LexicalIndex;
  readonly passages: ReadonlyMap<string, Passage>;
}

/** Retrieval settings; the defaults are the ones measured on the eval set. */
export interface RetrievalSettings {
  /** Candidates taken from each ranking before fusion. */
  readonly candidates: number;
  readonly rrfK: number;
  /** Weights of the dense and lexical rankings in the fusion. */
  readonly denseWeight: number;
  readonly lexicalWeight: number;
}

export const DEFAULT_RETRIEVAL_SETTINGS: RetrievalSettings = {
  candidates: 40,
  rrfK: 60,
  denseWeight: 1,
  lexicalWeight: 1,
};

/** One ranked passage with the signals behind its place. */
export interface RankedPassage {
  readonly passage: Passage;
  /** Fused RRF score, higher is better. */
  readonly score: number;
  /** Cosine similarity to the question (−1..1), or null when not among the dense candidates. */
  readonly dense: number | null;
  /** BM25+ score, or 0 when not among the lexical candidates. */
  readonly lexical: number;
  /** Share of the question's content, weighted by rarity, that this passage contains (0..1). */
  readonly coverage: number;
}

/** The outcome of one retrieval. */
export interface Retrieval {
  readonly query: AnalyzedQuery;
  readonly ranked: readonly RankedPassage[];
}

/**
 * IDF-weighted share of the question's content words found in a set of analysed terms. A word counts
 * as found when any of its forms (own stem, transliteration, translation) is there; a word found
 * nowhere in the corpus weighs as the rarest word, so off-corpus questions score low.
 */
export function coverage(words: readonly QueryWord[], terms: ReadonlySet<string>, lexical: LexicalIndex): number {
  let total = 0;
  let found = 0;
  for (const word of words) {
    const known = word.forms.filter((f) => lexical.knows(f));
    const weight = known.length > 0 ? Math.min(...known.map((f) => lexical.idf(f))) : lexical.idf('\u0000');
    total += weight;
    if (word.forms.some((f) => terms.has(f))) found += weight;
  }
  return total === 0 ? 0 : found / total;
}

/**
 * Ranks passages for a question: a dense ranking (cosine over the vector store) and a lexical one
 * (BM25+), fused by reciprocal rank fusion.
 */
export async function retrieve(
  question: string,
  deps: RetrievalDeps,
  limit: number,
  settings: RetrievalSettings = DEFAULT_RETRIEVAL_SETTINGS,
): Promise<Retrieval> {
  const query = analyzeQuery(question);
  if (query.words.length === 0) return { query, ranked: [] };
  const n = Math.min(settings.candidates, deps.passages.size);
  const vector = await deps.embeddings.embedQuery(query.denseText);
  const denseHits = await deps.store.similaritySearchVectorWithScore(vector, n);
  const dense = new Map<string, number>();
  for (const [document, score] of denseHits) {
    const id = passageIdOf(document.metadata);
    if (id !== undefined && !dense.has(id)) dense.set(id, score);
  }
  const lexicalHits = deps.lexical.query(query.terms, n);
  const lexical = new Map(lexicalHits.map((h) => [h.id, h.score]));
  const fused = reciprocalRankFusion([[...dense.keys()], lexicalHits.map((h) => h.id)], {
    k: settings.rrfK,
    weights: [settings.denseWeight, settings.lexicalWeight],
  });
  const ranked: RankedPassage[] = [];
  for (const [id, score] of [...fused].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    const passage = deps.passages.get(id);
    if (!passage) continue;
    ranked.push({
      passage,
      score,
      dense: dense.get(id) ?? null,
      lexical: lexical.get(id) ?? 0,
      coverage: coverage(query.words, deps.lexical.termsOf(id), deps.lexical),
    });
  }
  return { query, ranked };
}

function passageIdOf(metadata: Record<string, unknown>): string | undefined {
  const id = metadata['id'];
  return typeof id === 'string' ? id : undefined;
}
