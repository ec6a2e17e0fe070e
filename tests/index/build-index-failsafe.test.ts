import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddingCache } from '../../src/embeddings/embedding-cache.js';
import { NgramEmbeddings } from '../../src/embeddings/ngram-embeddings.js';
import { isFootnoteError } from '../../src/errors.js';
import { buildIndex, removeStaleTemp, type BuildOptions } from '../../src/index/build-index.js';
import { HnswStore } from '../../src/index/hnsw-store.js';
import { loadIndex } from '../../src/index/load-index.js';

let root: string;
let options: BuildOptions;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'footnote-build-'));
  await mkdir(path.join(root, 'corpus'));
  options = {
    corpusDir: path.join(root, 'corpus'),
    indexDir: path.join(root, 'data', 'index'),
    cacheDir: path.join(root, 'data'),
    embeddings: 'ngram',
  };
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** A plain-text document of `paragraphs` distinct paragraphs of about 450 characters: one passage each. */
async function writeDoc(name: string, paragraphs: number): Promise<void> {
  const text = Array.from({ length: paragraphs }, (_, i) =>
    Array.from(
      { length: 5 },
      (_, j) =>
        `Paragraph ${i} tells of river ${i * 7 + j} and of bridge ${i * 13 + j}, which stood for ${i + j} years.`,
    ).join(' '),
  ).join('\n\n');
  await writeFile(path.join(options.corpusDir, name), text);
}

describe('buildIndex with bad files', () => {
  it('given one bad file among good ones, builds from the rest and lists the bad one as skipped', async () => {
    await writeDoc('good.txt', 3);
    await writeFile(path.join(options.corpusDir, 'bad.txt'), Buffer.from([0x41, 0xff, 0xfe, 0x41]));
    await writeFile(path.join(options.corpusDir, 'heads.md'), '# Title\n\n## Section\n');
    const summary = await buildIndex(options);
    expect(summary.documents).toBe(1);
    expect(summary.skipped.map((s) => s.path)).toEqual(['bad.txt', 'heads.md']);
    expect(summary.formats).toEqual({ txt: { documents: 1, passages: summary.passages } });
    const index = await loadIndex(options.indexDir, 'ngram');
    expect(index.passages.every((p) => p.doc === 'good.txt')).toBe(true);
  });

  it('stores the page of each PDF passage with the index', async () => {
    const fixture = path.resolve(import.meta.dirname, '../fixtures/formats/report.pdf');
    await writeFile(
      path.join(options.corpusDir, 'report.pdf'),
      await import('node:fs/promises').then((fs) => fs.readFile(fixture)),
    );
    await buildIndex(options);
    const index = await loadIndex(options.indexDir, 'ngram');
    expect(index.passages.map((p) => p.page)).toEqual([1, 2, 3]);
  });
});

describe('buildIndex on a read-only, full or forbidden data folder', () => {
  it.each([
    ['EROFS', 'read-only'],
    ['ENOSPC', 'full disk'],
    ['EACCES', 'not writable'],
  ])('given %s while saving the cache, names the cache folder and the fix', async (code, words) => {
    await writeDoc('a.txt', 2);
    vi.spyOn(EmbeddingCache.prototype, 'save').mockRejectedValue(errnoError(code));
    const err = await buildIndex(options).catch((e: unknown) => e);
    expect(isFootnoteError(err, 'INDEX_UNWRITABLE')).toBe(true);
    expect((err as Error).message).toContain(path.join(options.cacheDir, 'embeddings-cache'));
    expect((err as Error).message).toContain(words);
    expect((err as Error).message).toContain(code);
  });

  it('given ENOSPC while writing the index, names the index folder and leaves no temporary folder', async () => {
    await writeDoc('a.txt', 2);
    vi.spyOn(HnswStore.prototype, 'save').mockRejectedValue(errnoError('ENOSPC'));
    const err = await buildIndex(options).catch((e: unknown) => e);
    expect(isFootnoteError(err, 'INDEX_UNWRITABLE')).toBe(true);
    expect((err as Error).message).toMatch(
      new RegExp(`Cannot write to ${options.indexDir} \\(ENOSPC\\)`, 'u'),
    );
    expect((await readdir(options.indexDir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });
});

describe('buildIndex keeps its work when killed', () => {
  it('saves the embedding cache as it goes, so a build that dies half-way reuses what it embedded', async () => {
    await writeDoc('long.txt', 600);
    // Called below with the instance as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const real = NgramEmbeddings.prototype.embedDocuments;
    let calls = 0;
    vi.spyOn(NgramEmbeddings.prototype, 'embedDocuments').mockImplementation(function (
      this: NgramEmbeddings,
      docs,
    ) {
      calls++;
      if (calls > 20) return Promise.reject(new Error('killed'));
      return real.call(this, docs);
    });
    await expect(buildIndex({ ...options, cacheSaveMs: 0 })).rejects.toThrow('killed');
    vi.restoreAllMocks();
    const summary = await buildIndex(options);
    // 20 batches of 16 were embedded before the "kill"; whole slices of 256 were saved (256 of them).
    expect(summary.reused).toBeGreaterThanOrEqual(256);
    expect(summary.computed).toBe(summary.passages - summary.reused);
  });
});

describe('removeStaleTemp', () => {
  it('removes temporary folders and cache files of killed builds, even when their process id is alive again', async () => {
    const dir = path.join(root, 'index');
    await mkdir(dir, { recursive: true });
    const old = new Date(Date.now() - 3600_000);
    const pid1 = path.join(dir, '.tmp-1-0badc0de'); // PID 1: alive in every container
    const mine = path.join(dir, `.tmp-${process.pid}-0badc0de`);
    const cacheTmp = path.join(dir, `ngram.bin.tmp-${process.pid}-12345678`);
    const fresh = path.join(dir, `.tmp-${process.pid}-fresh000`.replace('fresh000', 'feedbeef'));
    for (const d of [pid1, mine, fresh]) await mkdir(d);
    await writeFile(cacheTmp, 'partial');
    for (const p of [pid1, mine, cacheTmp]) await utimes(p, old, old);
    await removeStaleTemp(dir);
    expect((await readdir(dir)).sort()).toEqual([path.basename(fresh)]);
    expect((await stat(fresh)).isDirectory()).toBe(true);
  });
});

describe('the bot start (openEngine, onStale: warn) with a bad file dropped into the corpus', () => {
  it('warns naming the file and serves the index it has', async () => {
    const { openEngine } = await import('../../src/answer/open-engine.js');
    const { loadConfig } = await import('../../src/config.js');
    await writeDoc('good.txt', 3);
    await buildIndex(options);
    await writeFile(path.join(options.corpusDir, 'dropped.txt'), Buffer.from('caf\xe9', 'latin1'));
    await writeFile(path.join(options.corpusDir, 'empty.md'), '');
    const config = loadConfig({
      CORPUS_DIR: options.corpusDir,
      INDEX_DIR: options.indexDir,
      DATA_DIR: options.cacheDir,
      EMBEDDINGS: 'ngram',
    });
    const logs: string[] = [];
    const engine = await openEngine({ config, onStale: 'warn', log: (m) => logs.push(m) });
    expect(engine.info().passages).toBeGreaterThan(0);
    expect(logs.join('\n')).toMatch(/dropped\.txt is not valid UTF-8.*latin1/u);
    expect(logs.join('\n')).toMatch(/empty\.md is empty/u);
    // The skipped files change nothing the index was built from: it is fresh, not stale.
    expect(logs.join('\n')).not.toMatch(/corpus changed/u);
  });
});
