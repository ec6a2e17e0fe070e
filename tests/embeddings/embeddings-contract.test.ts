import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddings, type FootnoteEmbeddings } from '../../src/embeddings/create-embeddings.js';
import { dot } from '../../src/embeddings/vector-math.js';

/** A small corpus the n-gram model is fitted on; English plus a Russian and a Chinese passage. */
const CORPUS = [
  'The cat sat on the mat and purred quietly in the afternoon sun.',
  'Quarterly revenue grew by twelve percent, driven by strong sales in Europe.',
  'The river flooded the valley after three days of heavy rain.',
  'Photosynthesis converts sunlight, water and carbon dioxide into sugar and oxygen.',
  'Москва является столицей России и крупнейшим городом страны.',
  '北京是中国的首都，也是政治和文化中心。',
];

const norm = (v: number[]): number => Math.sqrt(dot(v, v));

interface Subject {
  kind: 'use' | 'ngram';
  dimension: number;
  modelId: string;
}

const SUBJECTS: Subject[] = [
  { kind: 'use', dimension: 512, modelId: 'use-lite-512' },
  { kind: 'ngram', dimension: 2048, modelId: 'ngram-2048-v1' },
];

function make(kind: Subject['kind']): FootnoteEmbeddings {
  const e = createEmbeddings(kind);
  e.fit(CORPUS);
  return e;
}

describe.each(SUBJECTS)('embeddings contract: $kind', ({ kind, dimension, modelId }) => {
  let emb: FootnoteEmbeddings;
  beforeAll(() => {
    emb = make(kind);
  });

  it('reports its model id and dimension, and every vector has that dimension', async () => {
    expect(emb.modelId).toBe(modelId);
    expect(emb.dimension).toBe(dimension);
    const vectors = await emb.embedDocuments(CORPUS);
    expect(vectors).toHaveLength(CORPUS.length);
    for (const v of vectors) expect(v).toHaveLength(dimension);
    expect(await emb.embedQuery('hello')).toHaveLength(dimension);
  });

  it('returns unit-length, finite vectors, also for empty and symbol-only text', async () => {
    const vectors = await emb.embedDocuments([...CORPUS, '', '!!! ???', '   ']);
    for (const v of vectors) {
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 4);
    }
  });

  it('is deterministic across calls and across instances', async () => {
    const a = await emb.embedDocuments(CORPUS);
    const b = await emb.embedDocuments(CORPUS);
    const c = await make(kind).embedDocuments(CORPUS);
    expect(b).toEqual(a);
    for (let i = 0; i < a.length; i++) expect(dot(a[i] ?? [], c[i] ?? [])).toBeCloseTo(1, 5);
  });

  it('places similar texts closer than unrelated ones', async () => {
    const [cat, cat2, revenue] = await emb.embedDocuments([
      'The cat sat on the mat.',
      'A cat was sitting on the mat.',
      'Quarterly revenue grew by twelve percent.',
    ]);
    expect(dot(cat ?? [], cat2 ?? [])).toBeGreaterThan(dot(cat ?? [], revenue ?? []));
  });

  it('embeds a query as embedDocuments embeds the same text, in order across batches', async () => {
    const texts = Array.from(
      { length: 40 },
      (_, i) => `Passage number ${i} about ${CORPUS[i % CORPUS.length] ?? ''}`,
    );
    const docs = await emb.embedDocuments(texts);
    for (const i of [0, 33, 39]) {
      const q = await emb.embedQuery(texts[i] ?? '');
      expect(dot(q, docs[i] ?? [])).toBeCloseTo(1, 5);
    }
  });

  it('finds the most similar corpus passage for a paraphrased question', async () => {
    const docs = await emb.embedDocuments(CORPUS);
    const q = await emb.embedQuery('How much did revenue grow this quarter?');
    const scores = docs.map((d) => dot(q, d));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });
});

describe('ngram embeddings: multilingual and folding', () => {
  const emb = make('ngram');

  it('given a Russian query, ranks the Russian passage first among English ones', async () => {
    const docs = await emb.embedDocuments(CORPUS);
    const q = await emb.embedQuery('Какой город столица России?');
    const scores = docs.map((d) => dot(q, d));
    expect(scores.indexOf(Math.max(...scores))).toBe(4);
  });

  it('given a Chinese query, ranks the Chinese passage first', async () => {
    const docs = await emb.embedDocuments(CORPUS);
    const q = await emb.embedQuery('中国的首都是哪里？');
    const scores = docs.map((d) => dot(q, d));
    expect(scores.indexOf(Math.max(...scores))).toBe(5);
  });

  it('folds case and diacritics: "CAFÉ Ёлка" embeds as "cafe елка"', async () => {
    const [a, b] = await emb.embedDocuments(['CAFÉ Ёлка', 'cafe елка']);
    expect(a).toEqual(b);
  });

  it('tolerates word endings: a Russian inflected form stays close', async () => {
    const [a, b, c] = await emb.embedDocuments(['столицей России', 'столица России', 'крупные реки Европы']);
    expect(dot(a ?? [], b ?? [])).toBeGreaterThan(dot(a ?? [], c ?? []));
  });

  it('given any text, returns a finite unit vector (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        const v = await emb.embedQuery(text);
        return v.length === 2048 && v.every(Number.isFinite) && Math.abs(norm(v) - 1) < 1e-6;
      }),
      { numRuns: 200 },
    );
  });
});
