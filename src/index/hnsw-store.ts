import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { maximalMarginalRelevance } from '@langchain/core/utils/math';
import { SaveableVectorStore, type MaxMarginalRelevanceSearchOptions } from '@langchain/core/vectorstores';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { FootnoteError } from '../errors.js';
import { isFootnoteEmbeddings } from '../embeddings/types.js';
import { writeFileAtomic } from '../embeddings/write-file-atomic.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** Files written by {@link HnswStore.save} (plus the embeddings' state file, e.g. `embeddings.json`). */
export const HNSW_INDEX_FILE = 'hnsw.bin';
export const DOCSTORE_FILE = 'docstore.json';
const STORE_TYPE = 'hnswlib-footnote';
const REBUILD = 'Run `npm run ingest` to rebuild it.';

export interface HnswStoreOptions {
  /** Vector length. Default: the embeddings' `dimension`, else the first vector added. */
  dimension?: number;
  /** HNSW graph degree. Default 16. */
  m?: number;
  /** Candidate list size while building. Default 200. */
  efConstruction?: number;
  /** Minimum candidate list size while searching; the search uses max(efSearch, k). Default 50. */
  efSearch?: number;
}

const docstoreSchema = z.object({
  type: z.literal(STORE_TYPE),
  version: z.literal(1),
  space: z.literal('cosine'),
  dimension: z.number().int().positive(),
  m: z.number().int().positive(),
  efConstruction: z.number().int().positive(),
  /** `modelId` of the embeddings the vectors came from, when known. */
  model: z.string().optional(),
  documents: z.array(
    z.object({ id: z.string(), pageContent: z.string(), metadata: z.record(z.string(), z.unknown()) }),
  ),
});

interface StoredDoc {
  id: string;
  pageContent: string;
  metadata: Record<string, unknown>;
}

/**
 * A LangChain `SaveableVectorStore` over hnswlib-node (`HierarchicalNSW`, cosine space; M = 16,
 * efConstruction = 200, ef = max(50, k)). Scores are similarities, 1 − cosine distance, in [−1, 1],
 * higher is better, best first (unlike LangChain's community HNSWLib store, which returns distances:
 * langchain-ai/langchainjs#4599), so score thresholds work the intuitive way.
 *
 * Each document has a passage id: `options.ids[i]`, else `document.id`, else `metadata.id`, else a
 * generated one. Adding an id again replaces its vector and document. Returned documents carry the id
 * as `document.id` and `metadata.id`. Filters are predicates on documents.
 *
 * `save(dir)` writes `hnsw.bin` (the graph), `docstore.json` (documents in label order) and the
 * embeddings' state (`embeddings.json` for n-grams); `load(dir, embeddings)` reads them back, checks
 * their consistency and restores the embeddings' state. Neither is atomic on its own: write through
 * `writeAtomicDir` and verify with `readManifest` first (hnswlib reads a damaged file as garbage or
 * refuses it; the manifest's checksums catch that before).
 */
export class HnswStore extends SaveableVectorStore {
  declare FilterType: (doc: DocumentInterface) => boolean;

  private index: Hnsw | undefined;
  private dimension: number | undefined;
  private readonly m: number;
  private readonly efConstruction: number;
  private readonly efSearch: number;
  private readonly docs: StoredDoc[] = [];
  private readonly labels = new Map<string, number>();

  constructor(embeddings: EmbeddingsInterface, options: HnswStoreOptions = {}) {
    super(embeddings, options);
    this.dimension =
      options.dimension ?? (isFootnoteEmbeddings(embeddings) ? embeddings.dimension : undefined);
    this.m = options.m ?? 16;
    this.efConstruction = options.efConstruction ?? 200;
    this.efSearch = options.efSearch ?? 50;
  }

  _vectorstoreType(): string {
    return STORE_TYPE;
  }

  /** Number of documents stored. */
  get count(): number {
    return this.docs.length;
  }

  /** Adds precomputed vectors (any length-consistent scale; cosine ignores norms). Returns the ids. */
  async addVectors(
    vectors: number[][],
    documents: DocumentInterface[],
    options?: { ids?: string[] },
  ): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new RangeError(`addVectors got ${vectors.length} vectors for ${documents.length} documents.`);
    }
    if (vectors.length === 0) return [];
    const dim = (this.dimension ??= vectors[0]?.length ?? 0);
    const index = this.ensureCapacity(this.docs.length + vectors.length);
    const ids: string[] = [];
    vectors.forEach((vector, i) => {
      if (vector.length !== dim) {
        throw new RangeError(`Vector ${i} has ${vector.length} dimensions, the store holds ${dim}.`);
      }
      const doc = documents[i] as DocumentInterface;
      const metaId = typeof doc.metadata.id === 'string' ? doc.metadata.id : undefined;
      const id = options?.ids?.[i] ?? doc.id ?? metaId ?? `doc-${this.docs.length}`;
      const stored: StoredDoc = { id, pageContent: doc.pageContent, metadata: { ...doc.metadata, id } };
      const existing = this.labels.get(id);
      const label = existing ?? this.docs.length;
      index.addPoint(vector, label);
      if (existing === undefined) {
        this.docs.push(stored);
        this.labels.set(id, label);
      } else {
        this.docs[label] = stored;
      }
      ids.push(id);
    });
    return Promise.resolve(ids);
  }

  /** Embeds the documents' `pageContent` with the store's embeddings and adds them. */
  async addDocuments(documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return this.addVectors(vectors, documents, options);
  }

  /**
   * The `k` nearest documents to `query` with their similarity (1 − cosine distance), best first.
   * Returns fewer when the store (or the filter) holds fewer; an empty store returns [].
   */
  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this['FilterType'],
  ): Promise<[DocumentInterface, number][]> {
    const index = this.index;
    const n = Math.min(Math.floor(k), this.docs.length);
    if (!index || n <= 0) return [];
    if (query.length !== this.dimension) {
      throw new FootnoteError(
        'INDEX_MODEL_MISMATCH',
        `The query vector has ${query.length} dimensions, the index ${this.dimension}. Run \`npm run ingest\` to rebuild the index.`,
      );
    }
    index.setEf(Math.max(this.efSearch, n));
    const predicate = filter
      ? (label: number): boolean => {
          const d = this.docs[label];
          return d !== undefined && filter(this.toDocument(d));
        }
      : undefined;
    const { distances, neighbors } = index.searchKnn(query, n, predicate);
    const out: [DocumentInterface, number][] = [];
    neighbors.forEach((label, i) => {
      const d = this.docs[label];
      if (!d) return;
      const similarity = Math.max(-1, Math.min(1, 1 - (distances[i] ?? 1)));
      out.push([this.toDocument(d), similarity]);
    });
    out.sort((a, b) => b[1] - a[1]);
    return Promise.resolve(out);
  }

  /** The stored (unit-length) vector of a passage id, or undefined. O(dimension). */
  getVector(id: string): number[] | undefined {
    const label = this.labels.get(id);
    return label === undefined || !this.index ? undefined : this.index.getPoint(label);
  }

  /** The stored document of a passage id, or undefined. */
  getDocument(id: string): DocumentInterface | undefined {
    const label = this.labels.get(id);
    const d = label === undefined ? undefined : this.docs[label];
    return d ? this.toDocument(d) : undefined;
  }

  /** All stored documents in insertion order. */
  documents(): DocumentInterface[] {
    return this.docs.map((d) => this.toDocument(d));
  }

  /**
   * Maximal marginal relevance: fetches `fetchK` (default 20) nearest, then picks `k` (default 4)
   * balancing relevance and diversity by `lambda` (default 0.5; 1 = relevance only).
   */
  override async maxMarginalRelevanceSearch(
    query: string,
    options: MaxMarginalRelevanceSearchOptions<this['FilterType']>,
  ): Promise<DocumentInterface[]> {
    const queryVector = await this.embeddings.embedQuery(query);
    const candidates = await this.similaritySearchVectorWithScore(
      queryVector,
      options.fetchK ?? 20,
      options.filter,
    );
    const vectors = candidates.map(([d]) => this.getVector(d.id ?? '') ?? []);
    const picked = maximalMarginalRelevance(queryVector, vectors, options.lambda ?? 0.5, options.k ?? 4);
    return picked.flatMap((i) => {
      const c = candidates[i];
      return c ? [c[0]] : [];
    });
  }

  /** Writes `hnsw.bin`, `docstore.json` and the embeddings' state into `directory` (created if needed). */
  async save(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true });
    const dimension = this.dimension ?? 1;
    const index = this.index ?? this.createIndex(dimension, 1);
    await index.writeIndex(join(directory, HNSW_INDEX_FILE));
    const model = isFootnoteEmbeddings(this.embeddings) ? this.embeddings.modelId : undefined;
    const docstore: z.input<typeof docstoreSchema> = {
      type: STORE_TYPE,
      version: 1,
      space: 'cosine',
      dimension,
      m: this.m,
      efConstruction: this.efConstruction,
      ...(model === undefined ? {} : { model }),
      documents: this.docs,
    };
    await writeFileAtomic(join(directory, DOCSTORE_FILE), JSON.stringify(docstore));
    if (isFootnoteEmbeddings(this.embeddings)) await this.embeddings.saveState(directory);
  }

  /**
   * Loads a store written by {@link save}. Throws FootnoteError INDEX_MISSING (no `docstore.json`),
   * INDEX_CORRUPT (unreadable or inconsistent files) or INDEX_MODEL_MISMATCH (saved with another model).
   */
  static override async load(directory: string, embeddings: EmbeddingsInterface): Promise<HnswStore> {
    const docstorePath = join(directory, DOCSTORE_FILE);
    if (!(await stat(docstorePath).catch(() => undefined))) {
      const dirExists = await stat(directory).catch(() => undefined);
      throw new FootnoteError(
        dirExists ? 'INDEX_CORRUPT' : 'INDEX_MISSING',
        dirExists
          ? `Index file ${DOCSTORE_FILE} is missing from ${directory}. ${REBUILD}`
          : `No index found at ${directory}. Run \`npm run ingest\` to build it.`,
      );
    }
    let parsed;
    try {
      parsed = docstoreSchema.parse(JSON.parse(await readFile(docstorePath, 'utf8')));
    } catch (err) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `Index file ${DOCSTORE_FILE} in ${directory} is corrupt. ${REBUILD}`,
        { cause: err },
      );
    }
    if (
      isFootnoteEmbeddings(embeddings) &&
      parsed.model !== undefined &&
      parsed.model !== embeddings.modelId
    ) {
      throw new FootnoteError(
        'INDEX_MODEL_MISMATCH',
        `The index was built with model ${parsed.model}, this run uses ${embeddings.modelId}. Run \`npm run ingest\` to rebuild the index.`,
      );
    }
    const store = new HnswStore(embeddings, {
      dimension: parsed.dimension,
      m: parsed.m,
      efConstruction: parsed.efConstruction,
    });
    const index = new HierarchicalNSW('cosine', parsed.dimension);
    try {
      await index.readIndex(join(directory, HNSW_INDEX_FILE));
    } catch (err) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `Index file ${HNSW_INDEX_FILE} in ${directory} is missing or corrupt. ${REBUILD}`,
        { cause: err },
      );
    }
    if (
      index.getCurrentCount() !== parsed.documents.length ||
      index.getNumDimensions() !== parsed.dimension
    ) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `Index files ${HNSW_INDEX_FILE} (${index.getCurrentCount()} vectors) and ${DOCSTORE_FILE} (${parsed.documents.length} documents) disagree. ${REBUILD}`,
      );
    }
    store.index = index;
    parsed.documents.forEach((d, label) => {
      store.docs.push(d);
      store.labels.set(d.id, label);
    });
    if (isFootnoteEmbeddings(embeddings)) await embeddings.loadState(directory);
    return store;
  }

  static override async fromTexts(
    texts: string[],
    metadatas: object[] | object,
    embeddings: EmbeddingsInterface,
    options: HnswStoreOptions = {},
  ): Promise<HnswStore> {
    const docs = texts.map(
      (pageContent, i) =>
        new Document({
          pageContent,
          metadata:
            (Array.isArray(metadatas)
              ? (metadatas[i] as Record<string, unknown> | undefined)
              : (metadatas as Record<string, unknown>)) ?? {},
        }),
    );
    return HnswStore.fromDocuments(docs, embeddings, options);
  }

  static override async fromDocuments(
    docs: DocumentInterface[],
    embeddings: EmbeddingsInterface,
    options: HnswStoreOptions = {},
  ): Promise<HnswStore> {
    const store = new HnswStore(embeddings, options);
    await store.addDocuments(docs);
    return store;
  }

  private createIndex(dimension: number, capacity: number): Hnsw {
    const index = new HierarchicalNSW('cosine', dimension);
    index.initIndex({
      maxElements: Math.max(1, capacity),
      m: this.m,
      efConstruction: this.efConstruction,
      randomSeed: 100,
    });
    return index;
  }

  private ensureCapacity(needed: number): Hnsw {
    const dimension = this.dimension ?? 0;
    if (!this.index) {
      this.index = this.createIndex(dimension, Math.max(needed, 16));
    } else if (needed > this.index.getMaxElements()) {
      this.index.resizeIndex(Math.max(needed, this.index.getMaxElements() * 2));
    }
    return this.index;
  }

  private toDocument(d: StoredDoc): DocumentInterface {
    return new Document({ id: d.id, pageContent: d.pageContent, metadata: { ...d.metadata } });
  }
}
