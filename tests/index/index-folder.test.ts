import { corpusChecksum } from '../../src/corpus/load-corpus.js';
import { mkdtemp, readdir, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddings } from '../../src/embeddings/create-embeddings.js';
import { isFootnoteError } from '../../src/errors.js';
import { readAtomicDir, writeAtomicDir } from '../../src/index/atomic-dir.js';
import { HnswStore } from '../../src/index/hnsw-store.js';
import { checkCompatible, readManifest, writeManifest } from '../../src/index/manifest.js';

const TEXTS = [
  'Москва является столицей России.',
  'The cat sat on the mat.',
  'Revenue grew by twelve percent.',
];
const SHA = 'c'.repeat(64);

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'footnote-folder-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The build sequence build-index is expected to follow. */
async function build(dir: string): Promise<void> {
  const emb = createEmbeddings('ngram');
  emb.fit(TEXTS);
  const store = new HnswStore(emb);
  await store.addDocuments(
    TEXTS.map((t, i) => new Document({ pageContent: t, metadata: { id: `a.md#${i}` } })),
  );
  await writeAtomicDir(dir, async (tmp) => {
    await store.save(tmp);
    await writeManifest(tmp, {
      embedding: { model: emb.modelId, dimension: emb.dimension },
      passageSettings: { targetChars: 400, maxChars: 800 },
      corpusChecksum: corpusChecksum([{ path: 'a.md', sha256: SHA }]),
      passageCount: TEXTS.length,
      documents: [{ path: 'a.md', sha256: SHA, passages: TEXTS.length }],
    });
  });
}

/** The load sequence: resolve the version, verify the manifest and files, check the model, load. */
async function load(dir: string, kind: 'use' | 'ngram') {
  const emb = createEmbeddings(kind);
  return readAtomicDir(dir, async (versionDir) => {
    const manifest = await readManifest(versionDir);
    checkCompatible(manifest, { model: emb.modelId, dimension: emb.dimension, setting: kind });
    return { manifest, store: await HnswStore.load(versionDir, emb) };
  });
}

describe('index folder: build and load together', () => {
  it('loads what was built, and a fresh model embeds queries exactly as at build time', async () => {
    const dir = join(root, 'index');
    await build(dir);
    const { value, path } = await load(dir, 'ngram');
    expect(Object.keys(value.manifest.files).sort()).toEqual([
      'docstore.json',
      'embeddings.json',
      'hnsw.bin',
    ]);
    expect((await readdir(path)).sort()).toEqual([
      'docstore.json',
      'embeddings.json',
      'hnsw.bin',
      'manifest.json',
    ]);
    const [top] = await value.store.similaritySearchWithScore('столица России', 1);
    expect(top?.[0].id).toBe('a.md#0');
  });

  it('given a truncated hnsw.bin, the manifest refuses it before hnswlib reads it', async () => {
    const dir = join(root, 'index');
    await build(dir);
    const { path } = await load(dir, 'ngram');
    await truncate(join(path, 'hnsw.bin'), 100);
    await expect(load(dir, 'ngram')).rejects.toThrow(/hnsw\.bin.*truncated/);
  });

  it('given the other EMBEDDINGS setting, refuses with INDEX_MODEL_MISMATCH', async () => {
    const dir = join(root, 'index');
    await build(dir);
    await expect(load(dir, 'use')).rejects.toSatisfy(
      (e) =>
        isFootnoteError(e, 'INDEX_MODEL_MISMATCH') &&
        /ngram-2048-v1.*use-lite-512 \(EMBEDDINGS=use\)/.test(String(e)),
    );
  });
});
