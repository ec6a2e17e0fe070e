import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jaccard,
  maximalMarginalRelevance,
  reciprocalRankFusion,
  RRF_K,
} from '../../src/retrieval/fusion.js';

describe('reciprocalRankFusion', () => {
  it('given two rankings and the default k = 60, sums 1/(k + rank) per id', () => {
    const scores = reciprocalRankFusion([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(RRF_K).toBe(60);
    expect(scores.get('a')).toBeCloseTo(1 / 61, 12);
    expect(scores.get('b')).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(scores.get('c')).toBeCloseTo(1 / 62, 12);
    expect(scores.size).toBe(3);
  });

  it('given an id present in only one ranking, scores it from that ranking alone (a missing id adds nothing)', () => {
    const scores = reciprocalRankFusion([['a', 'b', 'c'], ['c'], []], { k: 10 });
    expect(scores.get('a')).toBeCloseTo(1 / 11, 12);
    expect(scores.get('b')).toBeCloseTo(1 / 12, 12);
    expect(scores.get('c')).toBeCloseTo(1 / 13 + 1 / 11, 12);
    expect(scores.has('d')).toBe(false);
  });

  it('given k = 0, scores the first place 1 and the second 1/2', () => {
    const scores = reciprocalRankFusion([['a', 'b']], { k: 0 });
    expect(scores.get('a')).toBe(1);
    expect(scores.get('b')).toBe(0.5);
  });

  it('given weights [3, 1], lets the first ranking outvote the second', () => {
    const rankings = [
      ['a', 'b'],
      ['b', 'a'],
    ];
    const even = reciprocalRankFusion(rankings);
    expect(even.get('a')).toBeCloseTo(even.get('b')!, 12);
    const weighted = reciprocalRankFusion(rankings, { weights: [3, 1] });
    expect(weighted.get('a')).toBeCloseTo(3 / 61 + 1 / 62, 12);
    expect(weighted.get('a')!).toBeGreaterThan(weighted.get('b')!);
  });

  it('given fewer weights than rankings, weighs the rest 1; a weight of 0 silences a ranking', () => {
    const scores = reciprocalRankFusion([['a'], ['b'], ['c']], { weights: [0, 2] });
    expect(scores.get('a')).toBe(0);
    expect(scores.get('b')).toBeCloseTo(2 / 61, 12);
    expect(scores.get('c')).toBeCloseTo(1 / 61, 12);
  });

  it('given no rankings, returns an empty map', () => {
    expect(reciprocalRankFusion([]).size).toBe(0);
  });

  it('given any rankings (property), an id ranked first everywhere it appears, and appearing everywhere, scores highest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.constantFrom('b', 'c', 'd', 'e', 'f'), { maxLength: 5 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (rest) => {
          const scores = reciprocalRankFusion(rest.map((r) => ['a', ...r]));
          const top = scores.get('a')!;
          for (const [id, score] of scores) if (id !== 'a') expect(score).toBeLessThan(top);
        },
      ),
    );
  });
});

describe('maximalMarginalRelevance', () => {
  type Item = { id: string; topic: string; relevance: number };
  const items: Item[] = [
    { id: 'oil-1', topic: 'oil', relevance: 1 },
    { id: 'oil-2', topic: 'oil', relevance: 0.95 },
    { id: 'oil-3', topic: 'oil', relevance: 0.9 },
    { id: 'rail', topic: 'rail', relevance: 0.5 },
    { id: 'grain', topic: 'grain', relevance: 0.4 },
  ];
  const relevance = (i: Item) => i.relevance;
  const similarity = (a: Item, b: Item) => (a.topic === b.topic ? 1 : 0);

  it('given three near-duplicates and two other topics, picks one of each topic before any duplicate', () => {
    const picked = maximalMarginalRelevance(items, relevance, similarity, 3);
    expect(picked.map((i) => i.id)).toEqual(['oil-1', 'rail', 'grain']);
  });

  it('given λ = 1 (relevance only), picks in order of relevance', () => {
    const picked = maximalMarginalRelevance(items, relevance, similarity, 3, 1);
    expect(picked.map((i) => i.id)).toEqual(['oil-1', 'oil-2', 'oil-3']);
  });

  it('given a count larger than the items, returns every item once', () => {
    const picked = maximalMarginalRelevance(items, relevance, similarity, 10);
    expect(picked.map((i) => i.id).sort()).toEqual(items.map((i) => i.id).sort());
  });

  it('given count 0 or no items, returns nothing', () => {
    expect(maximalMarginalRelevance(items, relevance, similarity, 0)).toEqual([]);
    expect(maximalMarginalRelevance([], relevance, similarity, 3)).toEqual([]);
  });

  it('does not change the input array', () => {
    const copy = [...items];
    maximalMarginalRelevance(items, relevance, similarity, 3);
    expect(items).toEqual(copy);
  });
});

describe('jaccard', () => {
  it('given {a,b,c} and {b,c,d}, returns 2/4', () => {
    expect(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBe(0.5);
  });

  it('given two empty sets, returns 0; given equal sets, returns 1', () => {
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(new Set(['x']), new Set(['x']))).toBe(1);
  });
});
