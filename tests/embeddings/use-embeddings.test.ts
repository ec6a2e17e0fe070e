import { describe, expect, it } from 'vitest';
import { isFootnoteError } from '../../src/errors.js';
import { UseEmbeddings } from '../../src/embeddings/use-embeddings.js';

/** A stand-in model: 512-d vectors of scale 3 (so normalisation is visible), counting loads and calls. */
function fakeLoader(fail = 0) {
  const stats = { loads: 0, calls: [] as number[] };
  const loadModel = async () => {
    stats.loads++;
    if (stats.loads <= fail) throw new Error('weights not found');
    await Promise.resolve();
    return {
      embed: (texts: string[]) => {
        stats.calls.push(texts.length);
        return Promise.resolve(
          texts.map((t) => Array.from({ length: 512 }, (_, i) => (i === t.length % 512 ? 3 : 0))),
        );
      },
    };
  };
  return { stats, loadModel };
}

describe('UseEmbeddings', () => {
  it('loads the model once even when first calls are concurrent', async () => {
    const { stats, loadModel } = fakeLoader();
    const emb = new UseEmbeddings({ loadModel });
    await Promise.all([emb.embedQuery('a'), emb.embedQuery('b'), emb.embedDocuments(['c']), emb.load()]);
    expect(stats.loads).toBe(1);
  });

  it('embeds documents in batches of batchSize, in order, normalised', async () => {
    const { stats, loadModel } = fakeLoader();
    const emb = new UseEmbeddings({ loadModel, batchSize: 4 });
    const texts = Array.from({ length: 10 }, (_, i) => 'x'.repeat(i));
    const vectors = await emb.embedDocuments(texts);
    expect(stats.calls).toEqual([4, 4, 2]);
    vectors.forEach((v, i) => {
      expect(v[i]).toBe(1);
      expect(v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 10);
    });
  });

  it('given a model that fails to load, throws EMBEDDINGS_UNAVAILABLE and retries on the next call', async () => {
    const { stats, loadModel } = fakeLoader(1);
    const emb = new UseEmbeddings({ loadModel });
    await expect(emb.embedQuery('a')).rejects.toSatisfy(
      (e) => isFootnoteError(e, 'EMBEDDINGS_UNAVAILABLE') && /EMBEDDINGS=ngram/.test(String(e)),
    );
    await expect(emb.embedQuery('a')).resolves.toHaveLength(512);
    expect(stats.loads).toBe(2);
  });

  it('is stateless: fit, saveState and loadState change nothing', async () => {
    const emb = new UseEmbeddings({ loadModel: fakeLoader().loadModel });
    emb.fit(['anything']);
    expect(await emb.saveState('/nonexistent')).toEqual([]);
    await emb.loadState('/nonexistent');
    expect(emb.stateId).toBe(emb.modelId);
  });
});
