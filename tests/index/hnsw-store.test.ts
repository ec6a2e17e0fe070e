import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NgramEmbeddings } from '../../src/embeddings/ngram-embeddings.js';
import { isFootnoteError } from '../../src/errors.js';
import { HnswStore } from '../../src/index/hnsw-store.js';

const TEXTS = [
  'The cat sat on the mat and purred.',
  'Quarterly revenue grew by twelve percent.',
  'The river flooded the valley after heavy rain.',
  'Photosynthesis turns sunlight into sugar.',
  'Москва является столицей России.',
  'A dog barked at the cat on the mat.',
];

function docs(): Document[] {
  return TEXTS.map(
    (t, i) => new Document({ pageContent: t, metadata: { id: `p${i}`, doc: 'a.md', ordinal: i } }),
  );
}

/** Deterministic pseudo-random vectors (mulberry32). */
function randomVectors(n: number, dim: number, seed = 1): number[][] {
  let a = seed;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: n }, () => Array.from({ length: dim }, rand));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function ngramStore(): Promise<{ store: HnswStore; emb: NgramEmbeddings }> {
  const emb = new NgramEmbeddings();
  emb.fit(TEXTS);
  const store = new HnswStore(emb);
  await store.addDocuments(docs());
  return { store, emb };
}

describe('HnswStore', () => {
  it('given a stored vector as the query, returns it first with similarity ≈ 1, scores descending in [−1, 1]', async () => {
    const vectors = randomVectors(200, 32);
    const store = new HnswStore(new NgramEmbeddings({ dimension: 32 }), { dimension: 32 });
    await store.addVectors(
      vectors,
      vectors.map((_, i) => new Document({ pageContent: `v${i}`, metadata: { id: `v${i}` } })),
    );
    for (const probe of [0, 57, 199]) {
      const results = await store.similaritySearchVectorWithScore(vectors[probe] ?? [], 10);
      expect(results).toHaveLength(10);
      expect(results[0]?.[0].id).toBe(`v${probe}`);
      expect(results[0]?.[1]).toBeCloseTo(1, 5);
      const scores = results.map(([, s]) => s);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      for (const s of scores) expect(Math.abs(s)).toBeLessThanOrEqual(1);
    }
    // The negated vector is the farthest possible: similarity ≈ −1.
    const negated = (vectors[3] ?? []).map((x) => -x);
    const all = await store.similaritySearchVectorWithScore(negated, 200);
    expect(all.at(-1)?.[0].id).toBe('v3');
    expect(all.at(-1)?.[1]).toBeCloseTo(-1, 4);
  });

  it('given a text query, ranks the relevant passage first and carries its metadata and id', async () => {
    const { store } = await ngramStore();
    const [top] = await store.similaritySearchWithScore('how much did revenue grow?', 3);
    expect(top?.[0].id).toBe('p1');
    expect(top?.[0].metadata).toMatchObject({ id: 'p1', doc: 'a.md', ordinal: 1 });
    expect(top?.[1]).toBeGreaterThan(0);
  });

  it('given k larger than the store, returns every document; an empty store returns []', async () => {
    const { store, emb } = await ngramStore();
    expect(await store.similaritySearch('cat', 100)).toHaveLength(TEXTS.length);
    const empty = new HnswStore(emb);
    expect(await empty.similaritySearchVectorWithScore(await emb.embedQuery('cat'), 5)).toEqual([]);
    expect(await store.similaritySearch('cat', 0)).toEqual([]);
  });

  it('given a filter, returns only matching documents', async () => {
    const { store } = await ngramStore();
    const results = await store.similaritySearch('cat on the mat', 10, (d) => d.metadata.ordinal !== 0);
    expect(results.map((d) => d.id)).not.toContain('p0');
    expect(results[0]?.id).toBe('p5');
  });

  it('given an id added again, replaces its vector and document', async () => {
    const { store, emb } = await ngramStore();
    await store.addDocuments([
      new Document({ pageContent: 'Volcanic eruptions in Iceland.', metadata: { id: 'p2' } }),
    ]);
    expect(store.count).toBe(TEXTS.length);
    const [top] = await store.similaritySearchWithScore('volcanic eruptions Iceland', 1);
    expect(top?.[0].id).toBe('p2');
    expect(store.getVector('p2')).toHaveLength(emb.dimension);
  });

  it('returns a stored vector by passage id (unit length), undefined for an unknown id', async () => {
    const { store, emb } = await ngramStore();
    const v = store.getVector('p4') ?? [];
    const q = await emb.embedQuery(TEXTS[4] ?? '');
    expect(v.reduce((s, x, i) => s + x * (q[i] ?? 0), 0)).toBeCloseTo(1, 5);
    expect(store.getVector('nope')).toBeUndefined();
  });

  it('given a query of the wrong dimension, refuses with INDEX_MODEL_MISMATCH', async () => {
    const { store } = await ngramStore();
    await expect(store.similaritySearchVectorWithScore([1, 0, 0], 3)).rejects.toSatisfy((e) =>
      isFootnoteError(e, 'INDEX_MODEL_MISMATCH'),
    );
  });

  it('save/load round-trip gives the same results, and restores the n-gram IDF into a fresh model', async () => {
    const { store, emb } = await ngramStore();
    await store.save(dir);
    expect((await readdir(dir)).sort()).toEqual(['docstore.json', 'embeddings.json', 'hnsw.bin']);
    const fresh = new NgramEmbeddings(); // unfitted: must pick up the saved IDF
    const loaded = await HnswStore.load(dir, fresh);
    expect(fresh.stateId).toBe(emb.stateId);
    expect(loaded._vectorstoreType()).toBe('hnswlib-footnote');
    for (const q of ['revenue growth', 'столица России', 'cat']) {
      const a = await store.similaritySearchWithScore(q, 4);
      const b = await loaded.similaritySearchWithScore(q, 4);
      expect(b.map(([d, s]) => [d.id, s.toFixed(6)])).toEqual(a.map(([d, s]) => [d.id, s.toFixed(6)]));
      expect(b[0]?.[0].metadata).toEqual(a[0]?.[0].metadata);
    }
    // A loaded store still accepts additions.
    await loaded.addDocuments([
      new Document({ pageContent: 'new passage about tides', metadata: { id: 'p9' } }),
    ]);
    expect((await loaded.similaritySearch('tides', 1))[0]?.id).toBe('p9');
  });

  it('given a saved empty store, loads it and searches to []', async () => {
    const emb = new NgramEmbeddings();
    await new HnswStore(emb).save(dir);
    const loaded = await HnswStore.load(dir, emb);
    expect(await loaded.similaritySearch('anything', 3)).toEqual([]);
  });

  it('given a store saved with another model, load refuses with INDEX_MODEL_MISMATCH naming both', async () => {
    const { store } = await ngramStore();
    await store.save(dir);
    await expect(HnswStore.load(dir, new NgramEmbeddings({ dimension: 1024 }))).rejects.toThrow(
      /ngram-2048-v1.*ngram-1024-v1/,
    );
  });

  it('given a missing folder, load fails with INDEX_MISSING', async () => {
    await expect(HnswStore.load(join(dir, 'nope'), new NgramEmbeddings())).rejects.toSatisfy((e) =>
      isFootnoteError(e, 'INDEX_MISSING'),
    );
  });

  it('maxMarginalRelevanceSearch returns k distinct documents, the most relevant first', async () => {
    const { store } = await ngramStore();
    const picked = await store.maxMarginalRelevanceSearch('cat on the mat', { k: 3, fetchK: 6, lambda: 0.5 });
    expect(picked).toHaveLength(3);
    expect(new Set(picked.map((d) => d.id)).size).toBe(3);
    expect(['p0', 'p5']).toContain(picked[0]?.id);
  });

  it('works as a LangChain retriever', async () => {
    const { store } = await ngramStore();
    const docsFound = await store.asRetriever(2).invoke('photosynthesis sunlight');
    expect(docsFound[0]?.id).toBe('p3');
  });
});
