import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddingCache, embedWithCache } from '../../src/embeddings/embedding-cache.js';
import { NgramEmbeddings } from '../../src/embeddings/ngram-embeddings.js';
import { UseEmbeddings } from '../../src/embeddings/use-embeddings.js';

const TEXTS = [
  'The cat sat on the mat.',
  'Quarterly revenue grew by twelve percent.',
  'Москва является столицей России.',
  'The river flooded the valley.',
];

/** Wraps a model and counts the texts it is asked to embed. */
function counting<T extends NgramEmbeddings | UseEmbeddings>(inner: T): T & { embedded: number } {
  const wrapper = Object.create(inner) as T & { embedded: number };
  wrapper.embedded = 0;
  wrapper.embedDocuments = async (texts: string[]) => {
    wrapper.embedded += texts.length;
    return inner.embedDocuments(texts);
  };
  return wrapper;
}

let dir: string;
let warnings: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-cache-'));
  warnings = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function openCache(model: { modelId: string; dimension: number }): Promise<EmbeddingCache> {
  return EmbeddingCache.open({
    dir,
    modelId: model.modelId,
    dimension: model.dimension,
    warn: (m) => warnings.push(m),
  });
}

async function run(model: NgramEmbeddings | UseEmbeddings, texts: readonly string[]) {
  const cache = await openCache(model);
  const result = await embedWithCache(model, texts, cache);
  await cache.save();
  return result;
}

describe('embedWithCache', () => {
  it('given an unchanged corpus, the second run computes nothing and returns identical vectors', async () => {
    const model = counting(new NgramEmbeddings());
    model.fit(TEXTS);
    const first = await run(model, TEXTS);
    expect(first).toMatchObject({ computed: 4, reused: 0 });
    const second = await run(model, TEXTS);
    expect(second).toMatchObject({ computed: 0, reused: 4 });
    expect(second.vectors).toEqual(first.vectors);
    expect(model.embedded).toBe(4);
    expect(await readdir(dir)).toEqual(['ngram-2048-v1.bin']);
    expect(warnings).toEqual([]);
  });

  it('given one changed text, recomputes only that text', async () => {
    const model = new NgramEmbeddings();
    model.fit(TEXTS);
    await run(model, TEXTS);
    const changed = [...TEXTS];
    changed[1] = 'Quarterly revenue fell by three percent.';
    const result = await run(model, changed);
    expect(result).toMatchObject({ computed: 1, reused: 3 });
    expect(result.vectors[1]).toEqual(Array.from(Float32Array.from(await model.embedQuery(changed[1]))));
  });

  it('given duplicate texts in one call, embeds each distinct text once', async () => {
    const model = counting(new NgramEmbeddings());
    const result = await run(model, ['a b c', 'a b c', 'x y z']);
    expect(result.computed).toBe(2);
    expect(model.embedded).toBe(2);
    expect(result.vectors[0]).toEqual(result.vectors[1]);
  });

  it('given a refitted n-gram model (new IDF), reuses nothing: vectors depend on the IDF', async () => {
    const model = new NgramEmbeddings();
    model.fit(TEXTS);
    await run(model, TEXTS);
    model.fit([...TEXTS, 'another document changes the document frequencies']);
    expect((await run(model, TEXTS)).computed).toBe(4);
  });

  it('given a corrupt cache file, warns, discards it and recomputes', async () => {
    const model = new NgramEmbeddings();
    await run(model, TEXTS);
    const file = join(dir, 'ngram-2048-v1.bin');
    const bytes = await readFile(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const result = await run(model, TEXTS);
    expect(result.computed).toBe(4);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/discarded/);
    // The rewritten cache is valid again.
    expect((await run(model, TEXTS)).computed).toBe(0);
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 7)],
    ['empty', () => Buffer.alloc(0)],
    [
      'garbage',
      () => Buffer.from('not a cache at all, just some text that is long enough to pass the size check'),
    ],
  ])('given a %s cache file, starts empty without throwing', async (_name, damage) => {
    const model = new NgramEmbeddings();
    await run(model, TEXTS);
    const file = join(dir, 'ngram-2048-v1.bin');
    await writeFile(file, damage(await readFile(file)));
    expect((await run(model, TEXTS)).computed).toBe(4);
    expect(warnings.length).toBe(1);
  });

  it('given a cache file with another dimension under this name, discards it', async () => {
    const other = EmbeddingCache.empty({ dir, modelId: 'ngram-2048-v1', dimension: 64 });
    other.set(EmbeddingCache.key('x', 'y'), new Float32Array(64).fill(0.125));
    await other.save();
    const result = await run(new NgramEmbeddings(), TEXTS);
    expect(result.computed).toBe(4);
    expect(warnings[0]).toMatch(/64-d/);
  });

  it('leaves no temporary files behind after saving', async () => {
    await run(new NgramEmbeddings(), TEXTS);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('with USE, a rebuild of unchanged texts computes nothing', async () => {
    const model = counting(new UseEmbeddings());
    expect((await run(model, TEXTS)).computed).toBe(4);
    expect((await run(model, TEXTS)).computed).toBe(0);
    expect(model.embedded).toBe(4);
    expect(await readdir(dir)).toContain('use-lite-512.bin');
  });
});
