/** The RRF constant of Elasticsearch and LangChain's EnsembleRetriever. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: score(id) = Σ weight_i / (k + rank_i(id)), ranks from 1.
 * Rankings are lists of ids, best first; an id missing from a ranking contributes nothing there.
 */
export function reciprocalRankFusion(
  rankings: readonly (readonly string[])[],
  options: { k?: number; weights?: readonly number[] } = {},
): Map<string, number> {
  const k = options.k ?? RRF_K;
  const scores = new Map<string, number>();
  rankings.forEach((ranking, i) => {
    const weight = options.weights?.[i] ?? 1;
    ranking.forEach((id, rank) => {
      scores.set(id, (scores.get(id) ?? 0) + weight / (k + rank + 1));
    });
  });
  return scores;
}

/**
 * Maximal marginal relevance: picks `count` items, each maximising
 * λ·relevance − (1 − λ)·(highest similarity to an item already picked).
 * `relevance` is expected in [0, 1]; `similarity(a, b)` in [0, 1].
 */
export function maximalMarginalRelevance<T>(
  items: readonly T[],
  relevance: (item: T) => number,
  similarity: (a: T, b: T) => number,
  count: number,
  lambda = 0.6,
): T[] {
  const picked: T[] = [];
  const rest = [...items];
  while (picked.length < count && rest.length > 0) {
    let bestIndex = 0;
    let bestScore = -Infinity;
    rest.forEach((item, i) => {
      const redundancy = picked.reduce((max, p) => Math.max(max, similarity(item, p)), 0);
      const score = lambda * relevance(item) - (1 - lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        bestIndex = i;
      }
    });
    picked.push(...rest.splice(bestIndex, 1));
  }
  return picked;
}

/** Jaccard similarity of two term sets, in [0, 1]. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}
