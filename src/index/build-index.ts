import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import { corpusChecksum, loadCorpus } from '../corpus/load-corpus.js';
import {
  DEFAULT_PASSAGE_SETTINGS,
  embeddingText,
  PASSAGE_SPLITTER_VERSION,
  splitPassages,
} from '../corpus/split-passages.js';
import type { CorpusDocument, Passage, PassageSettings } from '../corpus/types.js';
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

/** Passages of every document, in corpus order. */
export const PASSAGES_FILE = 'passages.json';
/** Titles, authors and sizes of the documents. */
export const DOCUMENTS_FILE = 'documents.json';

/** A step of an index build, for progress bars. */
export interface BuildProgress {
  readonly phase: 'embed';
  readonly label: string;
  readonly done: number;
  readonly total: number;
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
  const documents = await loadCorpus(options.corpusDir);
  const embeddings = createEmbeddings(options.embeddings);
  const passages = documents.flatMap((doc) => splitPassages(doc, settings));
  if (!options.force) {
    // Checksums, not only sizes: an index with changed bytes must be rebuilt, not called up to date.
    const status = await indexStatus(options.indexDir, documents, embeddings, settings, 'checksum').catch(
      () => undefined,
    );
    if (status?.state === 'fresh') {
      return summary(documents, passages, 0, passages.length, started, embeddings, true);
    }
  }
  // What is embedded: the heading path and the readable text (no markup, no URLs), not the stored passage text.
  const texts = passages.map(embeddingText);
  embeddings.fit(texts);
  const cache = await EmbeddingCache.open({
    dir: join(options.cacheDir, 'embeddings-cache'),
    modelId: embeddings.modelId,
    dimension: embeddings.dimension,
    ...(options.warn ? { warn: options.warn } : {}),
  });
  const label = `Embedding passages (${embeddings.modelId})`;
  const { vectors, computed, reused } = await embedWithCache(embeddings, texts, cache, {
    onProgress: (done, total) => options.onProgress?.({ phase: 'embed', label, done, total }),
  });
  await cache.save();
  await writeIndexFolder(options.indexDir, { documents, passages, vectors, embeddings, settings });
  return summary(documents, passages, computed, reused, started, embeddings, false);
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
      documents: documents.map((d) => ({
        path: d.path,
        sha256: d.sha256,
        passages: passages.filter((p) => p.doc === d.path).length,
      })),
    });
  });
}

function summary(
  documents: readonly CorpusDocument[],
  passages: readonly Passage[],
  computed: number,
  reused: number,
  started: number,
  embeddings: FootnoteEmbeddings,
  unchanged: boolean,
): BuildSummary {
  return {
    documents: documents.length,
    passages: passages.length,
    computed,
    reused,
    ms: performance.now() - started,
    model: embeddings.modelId,
    unchanged,
  };
}
