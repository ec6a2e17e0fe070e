import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { createEmbeddings } from '../../src/embeddings/create-embeddings.js';
import { buildIndex, indexStatus } from '../../src/index/build-index.js';
import { CharIndex, topRows } from '../../src/index/char-index.js';
import { LexicalIndex } from '../../src/index/lexical.js';
import { loadIndex } from '../../src/index/load-index.js';
import { readManifest, writeManifest } from '../../src/index/manifest.js';
import {
  CHARS_FILE,
  hasSearchIndexes,
  LEXICAL_FILE,
  readSearchIndexes,
  SEARCH_INDEX_VERSION,
  writeSearchIndexes,
} from '../../src/index/search-files.js';
import { analyzeQuery } from '../../src/retrieval/query.js';
import { passage } from '../retrieval/passages.js';

const PASSAGES = [
  passage('spawn', 'Call `std::thread::spawn` with a closure; `handle.join()` waits for it.', 'Threads'),
  passage('prose', 'Threads run in parallel and a thread pool limits how many exist.', 'Thread Pools'),
  passage('bri', 'The Belt and Road Initiative (BRI) funds ports and railways.', 'Trade'),
  passage('ru', 'Китай и Казахстан в XXI веке являются одними из быстрорастущих экономик мира.', 'Аннотация'),
  passage('grain', 'Grain exports to China grew in 2023.'),
];
const QUESTIONS = [
  'how do I spawn a thread',
  'BRI railways',
  'экономики Казахстана',
  'grain exports',
  'thread pool',
];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-search-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function manifestFor(searchIndexes?: number) {
  await writeFile(join(dir, 'passages.json'), JSON.stringify(PASSAGES));
  return writeManifest(dir, {
    embedding: { model: 'ngram-2048-v1', dimension: 2048 },
    passageSettings: { targetChars: 400, maxChars: 800 },
    corpusChecksum: 'a'.repeat(64),
    passageCount: PASSAGES.length,
    documents: [],
    ...(searchIndexes !== undefined ? { searchIndexes } : {}),
  });
}

describe('LexicalIndex: saved and restored', () => {
  const built = new LexicalIndex(PASSAGES);

  it('restores from its JSON without re-analysing, and answers every query exactly as the built one', () => {
    const { index, rebuilt } = LexicalIndex.fromJSON(PASSAGES, JSON.parse(JSON.stringify(built.toJSON())));
    expect(rebuilt).toBe(false);
    for (const q of QUESTIONS) {
      const terms = analyzeQuery(q, built.acronyms).terms;
      expect(index.query(terms, 5)).toEqual(built.query(terms, 5));
    }
    expect(index.acronyms).toEqual(built.acronyms);
    expect(index.idf('thread')).toBe(built.idf('thread'));
    expect([...index.termsOf('prose')]).toEqual([...built.termsOf('prose')]);
  });

  it('given data of other passages, another version or a changed analysis, rebuilds from the passages', () => {
    const data = built.toJSON();
    expect(LexicalIndex.fromJSON(PASSAGES.slice(1), data).rebuilt).toBe(true);
    expect(LexicalIndex.fromJSON(PASSAGES, { ...data, version: 0 }).rebuilt).toBe(true);
    expect(LexicalIndex.fromJSON(PASSAGES, 'garbage').rebuilt).toBe(true);
    // As if the stemmer had changed since the index was saved: every term of the table differs.
    const stale = { ...data, terms: data.terms.map((t) => `${t}x`) };
    const { index, rebuilt } = LexicalIndex.fromJSON(PASSAGES, stale);
    expect(rebuilt).toBe(true);
    expect(index.knows('thread')).toBe(true);
  });

  it('given a damaged or foreign MiniSearch index beside sound analysed terms, rebuilds from the passages', () => {
    const data = built.toJSON();
    const { search } = data;
    const damaged = [
      { ...data, search: { ...search, serializationVersion: 3 } },
      { ...data, search: { ...search, index: 'garbage' } },
      { ...data, search: { ...search, documentCount: search.documentCount + 1 } },
      { ...data, search: { ...search, documentIds: { ...search.documentIds, '0': 'someone-else' } } },
      { ...data, search: { ...search, fieldIds: { text: 0, section: 1 } } },
      { ...data, search: undefined },
    ];
    for (const d of damaged) {
      const { index, rebuilt } = LexicalIndex.fromJSON(PASSAGES, JSON.parse(JSON.stringify(d)));
      expect(rebuilt).toBe(true);
      expect(index.query(analyzeQuery('grain').terms, 1)[0]!.id).toBe('grain');
    }
  });

  it("saves the MiniSearch index by MiniSearch's own serialisation", () => {
    const { search } = built.toJSON();
    const restored = MiniSearch.loadJSON(JSON.stringify(search), {
      fields: ['text', 'section', 'code'],
      processTerm: (t) => t,
    });
    expect(restored.documentCount).toBe(PASSAGES.length);
    expect(restored.search('grain', { fields: ['text'] })[0]!.id).toBe('grain');
  });
});

describe('CharIndex: saved and restored', () => {
  const built = new CharIndex(PASSAGES);

  it('reads back its buffer and scores every query exactly as the built one', () => {
    const restored = CharIndex.fromBuffer(PASSAGES, built.toBuffer());
    expect(restored).toBeDefined();
    for (const q of QUESTIONS) expect(restored!.query(q, 5)).toEqual(built.query(q, 5));
    expect(restored!.similarityTo('grain', 'grain')).toBeCloseTo(built.similarityTo('grain', 'grain'), 6);
  });

  it('refuses a buffer of other passages or a damaged one', () => {
    const buffer = built.toBuffer();
    expect(CharIndex.fromBuffer(PASSAGES.slice(1), buffer)).toBeUndefined();
    expect(CharIndex.fromBuffer(PASSAGES, buffer.subarray(0, buffer.length - 2))).toBeUndefined();
    expect(CharIndex.fromBuffer(PASSAGES, Buffer.from('not an index'))).toBeUndefined();
  });

  it('topRows returns the k best rows, best first, as a full sort would', () => {
    const scores = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i * 7.3));
    const sorted = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || a - b);
    expect(topRows(scores, 10)).toEqual(sorted.slice(0, 10));
    expect(topRows(scores, 400)).toEqual(sorted.slice(0, 400));
    expect(topRows(scores, 0)).toEqual([]);
  });
});

describe('search files in an index folder', () => {
  it('writes both files, lists them in the manifest and reads them back without rebuilding', async () => {
    await writeSearchIndexes(dir, PASSAGES);
    const manifest = await manifestFor(SEARCH_INDEX_VERSION);
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining([LEXICAL_FILE, CHARS_FILE]));
    expect(hasSearchIndexes(await readManifest(dir))).toBe(true);
    const { lexical, chars, rebuilt } = await readSearchIndexes(dir, manifest, PASSAGES);
    expect(rebuilt).toEqual([]);
    expect(lexical.query(analyzeQuery('grain').terms, 1)[0]!.id).toBe('grain');
    expect(chars.query('экономики Казахстана', 1)[0]!.id).toBe('ru');
  });

  it('given an index whose search files are of an older version (1: no MiniSearch index), builds both at load', async () => {
    await writeSearchIndexes(dir, PASSAGES);
    const manifest = await manifestFor(1);
    expect(hasSearchIndexes(manifest)).toBe(false);
    const { lexical, rebuilt } = await readSearchIndexes(dir, manifest, PASSAGES);
    expect(rebuilt).toEqual(['lexical', 'chars']);
    expect(lexical.query(analyzeQuery('grain').terms, 1)[0]!.id).toBe('grain');
  });

  it('given an index saved before the search files (no searchIndexes in its manifest), builds both at load', async () => {
    const manifest = await manifestFor();
    expect(hasSearchIndexes(manifest)).toBe(false);
    const { lexical, chars, rebuilt } = await readSearchIndexes(dir, manifest, PASSAGES);
    expect(rebuilt).toEqual(['lexical', 'chars']);
    expect(lexical.query(analyzeQuery('grain').terms, 1)[0]!.id).toBe('grain');
    expect(chars.query('grain', 1)[0]!.id).toBe('grain');
  });
});

describe('indexStatus and loadIndex of an index without saved search files', () => {
  it('calls a built index fresh, the same index without `searchIndexes` stale, and still loads it', async () => {
    const corpusDir = join(dir, 'corpus');
    const indexDir = join(dir, 'index');
    await mkdir(corpusDir);
    await writeFile(join(corpusDir, 'a.md'), '# Threads\n\nA thread pool limits how many threads exist.\n');
    await buildIndex({ corpusDir, indexDir, cacheDir: dir, embeddings: 'ngram' });
    const documents = await loadCorpus(corpusDir);
    const model = createEmbeddings('ngram');
    expect((await indexStatus(indexDir, documents, model)).state).toBe('fresh');
    const loaded = await loadIndex(indexDir, 'ngram');
    expect(loaded.rebuilt).toEqual([]);
    const manifestPath = join(loaded.path, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    delete manifest['searchIndexes'];
    await writeFile(manifestPath, JSON.stringify(manifest));
    const status = await indexStatus(indexDir, documents, model);
    expect(status).toMatchObject({ state: 'stale', kind: 'passages' });
    const old = await loadIndex(indexDir, 'ngram');
    expect(old.rebuilt).toEqual(['lexical', 'chars']);
    expect(old.lexical.query(analyzeQuery('thread pool').terms, 1)).toHaveLength(1);
  });
});
