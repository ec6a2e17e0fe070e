import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import { corpusChecksum, documentFormat, readCorpus } from '../corpus/load-corpus.js';
import {
  DEFAULT_PASSAGE_SETTINGS,
  embeddingText,
  PASSAGE_SPLITTER_VERSION,
  splitPassages,
} from '../corpus/split-passages.js';
import type { CorpusDocument, Passage, PassageSettings, SkippedFile } from '../corpus/types.js';
import {
  createEmbeddings,
  type EmbeddingsKind,
  type FootnoteEmbeddings,
} from '../embeddings/create-embeddings.js';
import { EmbeddingCache, embedWithCache } from '../embeddings/embedding-cache.js';
import { FootnoteError, isFootnoteError } from '../errors.js';
import { readAtomicDir, readCurrent, writeAtomicDir } from './atomic-dir.js';
import { HnswStore } from './hnsw-store.js';
import { MANIFEST_FILE, readManifest, writeManifest, type Manifest } from './manifest.js';
import { hasSearchIndexes, SEARCH_INDEX_VERSION, writeSearchIndexes } from './search-files.js';

/** Passages of every document, in corpus order. */
export const PASSAGES_FILE = 'passages.json';
/** Titles, authors and sizes of the documents. */
export const DOCUMENTS_FILE = 'documents.json';

/** A step of an index build, for progress bars. */
export interface BuildProgress {
  /** `read`: documents read (`done` of `total` files); `split`: documents cut into passages; `embed`: passages embedded. */
  readonly phase: 'read' | 'split' | 'embed';
  readonly label: string;
  readonly done: number;
  readonly total: number;
  /** Documents and passages so far by format (`txt`, `md`, `html`, `docx`, `pdf`), in the `split` and `embed` phases. */
  readonly formats?: Readonly<Record<string, FormatCount>>;
}

/** How many documents of one format were read and how many passages they gave. */
export interface FormatCount {
  readonly documents: number;
  readonly passages: number;
}

/** What to build from and where. */
export interface BuildOptions {
  readonly corpusDir: string;
  readonly indexDir: string;
  /** Folder of the embedding cache (`<cacheDir>/embeddings-cache/<model>.bin`). */
  readonly cacheDir: string;
  readonly embeddings: EmbeddingsKind;
  readonly passageSettings?: PassageSettings;
  /** Rebuild even when the index already matches the corpus. */
  readonly force?: boolean;
  readonly onProgress?: (event: BuildProgress) => void;
  readonly warn?: (message: string) => void;
  /** The embedding cache is saved after a slice of passages when this long has passed since the last save; default 5 s. */
  readonly cacheSaveMs?: number;
}

/** What a build did. */
export interface BuildSummary {
  readonly documents: number;
  readonly passages: number;
  /** Passages embedded by the model in this build. */
  readonly computed: number;
  /** Passages whose vector came from the cache. */
  readonly reused: number;
  readonly ms: number;
  readonly model: string;
  /** True when the index already matched the corpus and nothing was written. */
  readonly unchanged: boolean;
  /** Files of the corpus that were not read, and why. */
  readonly skipped: readonly SkippedFile[];
  /** Documents and passages by format. */
  readonly formats: Readonly<Record<string, FormatCount>>;
}

/** A document's listing data, stored with the index. */
export interface DocumentMeta {
  readonly path: string;
  readonly title: string;
  readonly author?: string;
  readonly url?: string;
  readonly chars: number;
}

/** The state of an index relative to the corpus and the configured model. */
export type IndexStatus =
  | { readonly state: 'fresh'; readonly manifest: Manifest }
  | {
      readonly state: 'stale';
      readonly manifest: Manifest;
      /** What no longer matches: the documents, the embedding model, or the passage settings. */
      readonly kind: 'corpus' | 'model' | 'passages';
      readonly reason: string;
    }
  | { readonly state: 'missing' };

/**
 * Compares the live index with the corpus, the model and the passage settings, without loading
 * vectors. A missing index is `missing`; any other fault (corrupt, other format) is thrown. `verify`
 * says how the index files are checked against the manifest: `size` (default, cheap: catches
 * truncation) or `checksum` (catches changed bytes too).
 */
export async function indexStatus(
  indexDir: string,
  documents: readonly CorpusDocument[],
  model: { modelId: string; dimension: number },
  settings: PassageSettings = DEFAULT_PASSAGE_SETTINGS,
  verify: 'size' | 'checksum' = 'size',
): Promise<IndexStatus> {
  let manifest: Manifest;
  try {
    ({ value: manifest } = await readAtomicDir(indexDir, (dir) => readManifest(dir, { verify })));
  } catch (err) {
    if (!isFootnoteError(err, 'INDEX_MISSING')) throw err;
    // A published version without its manifest is a damaged index, not a missing one.
    const live = await readCurrent(indexDir).catch(() => undefined);
    if (live === undefined) return { state: 'missing' };
    throw new FootnoteError(
      'INDEX_CORRUPT',
      `The live index version ${join(indexDir, live)} has no ${MANIFEST_FILE}: it is incomplete or damaged. Run \`npm run ingest\` to rebuild the index.`,
      { cause: err },
    );
  }
  if (manifest.corpusChecksum !== corpusChecksum(documents)) {
    return {
      state: 'stale',
      manifest,
      kind: 'corpus',
      reason: 'the corpus changed since the index was built',
    };
  }
  if (manifest.embedding.model !== model.modelId || manifest.embedding.dimension !== model.dimension) {
    return {
      state: 'stale',
      manifest,
      kind: 'model',
      reason: `the index was built with ${manifest.embedding.model}, this run uses ${model.modelId}`,
    };
  }
  const built = manifest.passageSettings;
  if (built.targetChars !== settings.targetChars || built.maxChars !== settings.maxChars) {
    return { state: 'stale', manifest, kind: 'passages', reason: 'the passage settings changed' };
  }
  if (built['splitterVersion'] !== PASSAGE_SPLITTER_VERSION) {
    return { state: 'stale', manifest, kind: 'passages', reason: 'the passage splitter changed' };
  }
  if (!hasSearchIndexes(manifest)) {
    return {
      state: 'stale',
      manifest,
      kind: 'passages',
      reason: 'the index has no saved search indexes of this version (built by an older Footnote)',
    };
  }
  return { state: 'fresh', manifest };
}

/**
 * Builds (or refreshes) the index: reads the corpus, splits passages, embeds them through the content
 * cache (an unchanged passage is never embedded twice), and publishes the hnswlib index, passages,
 * documents and manifest as one new version folder, atomically. A failed build leaves the live index
 * as it was.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const settings = options.passageSettings ?? DEFAULT_PASSAGE_SETTINGS;
  // Skipped files are not warned about here: they are in the summary, and `openEngine` has warned already.
  const { documents, skipped } = await readCorpus(options.corpusDir, {
    onFile: (done, total, path) =>
      options.onProgress?.({ phase: 'read', label: `Reading ${path}`, done, total }),
  });
  const embeddings = createEmbeddings(options.embeddings);
  const formats: Record<string, FormatCount> = {};
  const passages: Passage[] = [];
  documents.forEach((doc, i) => {
    const own = splitPassages(doc, settings);
    for (const p of own) passages.push(p);
    const format = doc.format ?? documentFormat(doc.path) ?? 'txt';
    const count = formats[format] ?? { documents: 0, passages: 0 };
    formats[format] = { documents: count.documents + 1, passages: count.passages + own.length };
    options.onProgress?.({
      phase: 'split',
      label: 'Cutting passages',
      done: i + 1,
      total: documents.length,
      formats,
    });
  });
  const result = { documents, passages, skipped, formats, started, embeddings };
  if (!options.force) {
    // Checksums, not only sizes: an index with changed bytes must be rebuilt, not called up to date.
    const status = await indexStatus(options.indexDir, documents, embeddings, settings, 'checksum').catch(
      () => undefined,
    );
    if (status?.state === 'fresh') return summary(result, 0, passages.length, true);
  }
  // What is embedded: the heading path and the readable text (no markup, no URLs), not the stored passage text.
  const texts = passages.map(embeddingText);
  embeddings.fit(texts);
  const cacheDir = join(options.cacheDir, 'embeddings-cache');
  await removeStaleTemp(cacheDir);
  await removeStaleTemp(options.indexDir);
  const cache = await EmbeddingCache.open({
    dir: cacheDir,
    modelId: embeddings.modelId,
    dimension: embeddings.dimension,
    ...(options.warn ? { warn: options.warn } : {}),
  });
  const label = `Embedding passages (${embeddings.modelId})`;
  // In slices, saving the cache after each slice that took a while: a killed build keeps the work done so far.
  const vectors: number[][] = [];
  let computed = 0;
  let reused = 0;
  let lastSave = performance.now();
  for (let from = 0; from < texts.length || from === 0; from += CACHE_SLICE) {
    const slice = texts.slice(from, from + CACHE_SLICE);
    const part = await embedWithCache(embeddings, slice, cache, {
      onProgress: (done) =>
        options.onProgress?.({ phase: 'embed', label, done: from + done, total: texts.length, formats }),
    });
    vectors.push(...part.vectors);
    computed += part.computed;
    reused += part.reused;
    if (part.computed > 0 && performance.now() - lastSave >= (options.cacheSaveMs ?? CACHE_SAVE_MS)) {
      await writing(cacheDir, () => cache.save());
      lastSave = performance.now();
    }
    if (slice.length === 0) break;
  }
  await writing(cacheDir, () => cache.save());
  await writing(options.indexDir, () =>
    writeIndexFolder(options.indexDir, { documents, passages, vectors, embeddings, settings }),
  );
  return summary(result, computed, reused, false);
}

/** Passages embedded between two chances to save the cache. */
const CACHE_SLICE = 256;
/** The cache is saved after a slice when this long has passed since the last save. */
const CACHE_SAVE_MS = 5000;

/** The fix for each file system error that a moderator can act on. */
const WRITE_FAULTS: Readonly<Record<string, string>> = {
  EROFS:
    'is on a read-only file system. Set DATA_DIR (and INDEX_DIR) to a writable folder, or mount it read-write.',
  ENOSPC:
    'is on a full disk. Free some space (or set DATA_DIR and INDEX_DIR to a folder on another disk), then run `npm run ingest` again.',
  EDQUOT: 'is over its disk quota. Free some space, then run `npm run ingest` again.',
  EACCES:
    'is not writable by this user. Fix its permissions (chown/chmod), or set DATA_DIR and INDEX_DIR to a writable folder.',
  EPERM:
    'is not writable by this user. Fix its permissions (chown/chmod), or set DATA_DIR and INDEX_DIR to a writable folder.',
};

/**
 * Runs a write to `folder`, turning a read-only, full or forbidden file system into one FootnoteError
 * (INDEX_UNWRITABLE) that names the folder and the fix, instead of a stack trace.
 */
async function writing<T>(folder: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    const fix = code === undefined ? undefined : WRITE_FAULTS[code];
    if (fix === undefined) throw err;
    throw new FootnoteError('INDEX_UNWRITABLE', `Cannot write to ${folder} (${code}): it ${fix}`, {
      cause: err,
    });
  }
}

/** A temporary file or folder untouched this long is a killed build's, whatever its process id says. */
const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes what killed builds left behind: `.tmp-<pid>-<rand>` index folders and `<model>.bin.tmp-<pid>-<rand>`
 * cache files. One is stale when its process is gone or when it has not changed for {@link STALE_TEMP_MS}: a
 * process id can be alive again for another process (PID 1 in a container is every run's).
 */
export async function removeStaleTemp(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /(?:^|\.bin)\.tmp-([0-9]+)-[0-9a-f]{8}$/u.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    const p = join(dir, name);
    const age = Date.now() - ((await stat(p).catch(() => undefined))?.mtimeMs ?? Date.now());
    if ((pid !== process.pid && !isAlive(pid)) || age >= STALE_TEMP_MS) {
      await rm(p, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function writeIndexFolder(
  indexDir: string,
  input: {
    documents: readonly CorpusDocument[];
    passages: readonly Passage[];
    vectors: number[][];
    embeddings: FootnoteEmbeddings;
    settings: PassageSettings;
  },
): Promise<void> {
  const { documents, passages, vectors, embeddings, settings } = input;
  await writeAtomicDir(indexDir, async (dir) => {
    const store = new HnswStore(embeddings, { dimension: embeddings.dimension });
    await store.addVectors(
      vectors,
      passages.map(
        (p) => new Document({ pageContent: p.text, metadata: { id: p.id, doc: p.doc }, id: p.id }),
      ),
      { ids: passages.map((p) => p.id) },
    );
    await store.save(dir);
    await writeFile(join(dir, PASSAGES_FILE), JSON.stringify(passages));
    await writeSearchIndexes(dir, passages);
    const metas: DocumentMeta[] = documents.map((d) => ({
      path: d.path,
      title: d.title,
      ...(d.author !== undefined ? { author: d.author } : {}),
      ...(d.url !== undefined ? { url: d.url } : {}),
      chars: d.text.length,
    }));
    await writeFile(join(dir, DOCUMENTS_FILE), JSON.stringify(metas, null, 1));
    await writeManifest(dir, {
      embedding: { model: embeddings.modelId, dimension: embeddings.dimension },
      passageSettings: { ...settings, splitterVersion: PASSAGE_SPLITTER_VERSION },
      corpusChecksum: corpusChecksum(documents),
      passageCount: passages.length,
      searchIndexes: SEARCH_INDEX_VERSION,
      documents: documents.map((d) => ({
        path: d.path,
        sha256: d.sha256,
        passages: passages.filter((p) => p.doc === d.path).length,
      })),
    });
  });
}

function summary(
  result: {
    documents: readonly CorpusDocument[];
    passages: readonly Passage[];
    skipped: readonly SkippedFile[];
    formats: Readonly<Record<string, FormatCount>>;
    started: number;
    embeddings: FootnoteEmbeddings;
  },
  computed: number,
  reused: number,
  unchanged: boolean,
): BuildSummary {
  return {
    documents: result.documents.length,
    passages: result.passages.length,
    computed,
    reused,
    ms: performance.now() - result.started,
    model: result.embeddings.modelId,
    unchanged,
    skipped: result.skipped,
    formats: result.formats,
  };
}
