import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { writeFileAtomic } from './write-file-atomic.js';

const MAGIC = 'FNEC';
const FORMAT = 1;
const KEY_BYTES = 32;
const DIGEST_BYTES = 32;

/** Called with a human-readable reason when a cache file is discarded. Default: `console.warn`. */
export type CacheWarn = (message: string) => void;

export interface EmbeddingCacheOptions {
  /** Folder holding one `<modelId>.bin` per model (created on save). */
  dir: string;
  /** Model id: names the file and must match the file's header. */
  modelId: string;
  dimension: number;
  /** Entries not used since load are dropped on save beyond this many entries in all. Default 50,000. */
  maxEntries?: number;
  warn?: CacheWarn;
}

/**
 * Passage vectors cached on disk by content hash, one file per model: `<dir>/<modelId>.bin`.
 *
 * Key: SHA-256 of `stateId + '\0' + text`, where `stateId` is the model id plus a fingerprint of any
 * fitted state (so n-gram vectors computed with another IDF table are never reused; for USE
 * `stateId === modelId`). File layout (little-endian):
 * `"FNEC"`, u32 format, u32 dimension, u32 count, u32 id length, model id UTF-8, zero padding to 4 bytes,
 * `count` × 32-byte keys, `count` × `dimension` float32 vectors, then a 32-byte SHA-256 of all preceding bytes.
 * Loading 10k × 512-d vectors is one read, one hash and one copy (~20 MB, tens of ms).
 *
 * It is only a cache: a file that is missing starts empty; one that is truncated, corrupt, from another
 * model or dimension is discarded with a warning, never an error. Saves are atomic (temp file + rename).
 */
export class EmbeddingCache {
  readonly dir: string;
  readonly modelId: string;
  readonly dimension: number;
  private readonly maxEntries: number;
  private readonly warn: CacheWarn;
  private readonly entries = new Map<string, Float32Array>();
  private readonly used = new Set<string>();
  private dirty = false;

  private constructor(options: EmbeddingCacheOptions) {
    this.dir = options.dir;
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.warn = options.warn ?? ((m) => console.warn(m));
  }

  /** Path of this model's cache file. */
  get file(): string {
    return join(this.dir, `${this.modelId.replace(/[^A-Za-z0-9._-]/g, '_')}.bin`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** An empty in-memory cache (nothing read from disk). */
  static empty(options: EmbeddingCacheOptions): EmbeddingCache {
    return new EmbeddingCache(options);
  }

  /** Opens the cache file for `modelId` in `dir`; never throws on a bad file (see class doc). */
  static async open(options: EmbeddingCacheOptions): Promise<EmbeddingCache> {
    const cache = new EmbeddingCache(options);
    let buf: Buffer;
    try {
      buf = await readFile(cache.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        cache.warn(
          `Embedding cache ${cache.file} could not be read (${String(err)}); starting with an empty cache.`,
        );
      }
      return cache;
    }
    const problem = cache.decode(buf);
    if (problem) {
      cache.entries.clear();
      cache.warn(`Embedding cache ${cache.file} discarded: ${problem}. Passages will be embedded again.`);
    }
    return cache;
  }

  /** The cache key of `text` under a model state id. */
  static key(stateId: string, text: string): string {
    return createHash('sha256').update(stateId).update('\0').update(text).digest('hex');
  }

  get(key: string): Float32Array | undefined {
    const v = this.entries.get(key);
    if (v) this.used.add(key);
    return v;
  }

  set(key: string, vector: ArrayLike<number>): void {
    if (vector.length !== this.dimension) {
      throw new RangeError(`Vector has ${vector.length} dimensions, the cache holds ${this.dimension}.`);
    }
    this.entries.set(key, Float32Array.from(vector));
    this.used.add(key);
    this.dirty = true;
  }

  /**
   * Writes the cache atomically. Entries used (read or written) since open come first and are always
   * kept; others are kept while the total stays within `maxEntries`. Does nothing when nothing changed.
   */
  async save(): Promise<void> {
    const keep: string[] = [...this.used];
    for (const k of this.entries.keys()) {
      if (keep.length >= this.maxEntries) break;
      if (!this.used.has(k)) keep.push(k);
    }
    if (!this.dirty && keep.length === this.entries.size) return;
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.file, this.encode(keep));
    this.dirty = false;
  }

  private headerBytes(): Buffer {
    const id = Buffer.from(this.modelId, 'utf8');
    const unpadded = 4 + 4 * 4 + id.length;
    const header = Buffer.alloc(Math.ceil(unpadded / 4) * 4);
    header.write(MAGIC, 0, 'ascii');
    header.writeUInt32LE(FORMAT, 4);
    header.writeUInt32LE(this.dimension, 8);
    header.writeUInt32LE(0, 12); // count, patched in encode
    header.writeUInt32LE(id.length, 16);
    id.copy(header, 20);
    return header;
  }

  private encode(keys: readonly string[]): Buffer {
    const header = this.headerBytes();
    header.writeUInt32LE(keys.length, 12);
    const keyBlock = Buffer.alloc(keys.length * KEY_BYTES);
    const vectors = new Float32Array(keys.length * this.dimension);
    keys.forEach((k, i) => {
      keyBlock.write(k, i * KEY_BYTES, 'hex');
      const v = this.entries.get(k);
      if (v) vectors.set(v, i * this.dimension);
    });
    const vecBytes = Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
    const body = Buffer.concat([header, keyBlock, vecBytes]);
    const digest = createHash('sha256').update(body).digest();
    return Buffer.concat([body, digest]);
  }

  /** Fills `entries` from a file; returns why the file is unusable, or undefined on success. */
  private decode(buf: Buffer): string | undefined {
    if (endianness() !== 'LE') return 'cache files are little-endian only';
    if (buf.length < 20 + DIGEST_BYTES) return 'file is truncated';
    if (buf.toString('ascii', 0, 4) !== MAGIC) return 'not a Footnote embedding cache';
    const body = buf.subarray(0, buf.length - DIGEST_BYTES);
    const digest = createHash('sha256').update(body).digest();
    if (!digest.equals(buf.subarray(buf.length - DIGEST_BYTES)))
      return 'checksum mismatch (truncated or corrupt)';
    if (buf.readUInt32LE(4) !== FORMAT) return `unknown format ${buf.readUInt32LE(4)}`;
    const dimension = buf.readUInt32LE(8);
    const count = buf.readUInt32LE(12);
    const idLength = buf.readUInt32LE(16);
    if (20 + idLength > body.length) return 'header is corrupt';
    const modelId = buf.toString('utf8', 20, 20 + idLength);
    if (modelId !== this.modelId) return `it belongs to model ${modelId}, not ${this.modelId}`;
    if (dimension !== this.dimension) return `it holds ${dimension}-d vectors, not ${this.dimension}-d`;
    const keysAt = Math.ceil((20 + idLength) / 4) * 4;
    const vectorsAt = keysAt + count * KEY_BYTES;
    if (body.length !== vectorsAt + count * dimension * 4) return 'size does not match its header';
    // One aligned copy of the vector block; entries are views into it.
    const all = new Float32Array(count * dimension);
    new Uint8Array(all.buffer).set(body.subarray(vectorsAt));
    for (let i = 0; i < count; i++) {
      const key = body.toString('hex', keysAt + i * KEY_BYTES, keysAt + (i + 1) * KEY_BYTES);
      this.entries.set(key, all.subarray(i * dimension, (i + 1) * dimension));
    }
    return undefined;
  }
}

/** An embedding model as the cache sees it: LangChain's interface plus ids. */
export type CacheableEmbeddings = EmbeddingsInterface & {
  readonly modelId: string;
  readonly dimension: number;
  /** Defaults to `modelId` when absent. */
  readonly stateId?: string;
};

export interface EmbedWithCacheResult {
  /** One vector per input text, in order. */
  vectors: number[][];
  /** Texts embedded by the model in this call (unique texts not found in the cache). */
  computed: number;
  /** Texts whose vector came from the cache (or from an identical text earlier in the same call). */
  reused: number;
}

/**
 * Embeds `texts`, reusing cached vectors and embedding only the rest (each distinct text once).
 * New vectors are added to `cache`; call `cache.save()` to persist them.
 * Missing texts go to the model `batchSize` (default 16) at a time; `onProgress(done, total)` reports texts
 * resolved so far, after the cache lookup and after each model call.
 */
export async function embedWithCache(
  embeddings: CacheableEmbeddings,
  texts: readonly string[],
  cache: EmbeddingCache,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<EmbedWithCacheResult> {
  if (cache.modelId !== embeddings.modelId || cache.dimension !== embeddings.dimension) {
    throw new RangeError(
      `Cache for ${cache.modelId}/${cache.dimension} used with model ${embeddings.modelId}/${embeddings.dimension}.`,
    );
  }
  const stateId = embeddings.stateId ?? embeddings.modelId;
  const vectors = new Array<number[] | undefined>(texts.length);
  const missing = new Map<string, { text: string; slots: number[] }>();
  texts.forEach((text, i) => {
    const key = EmbeddingCache.key(stateId, text);
    const hit = cache.get(key);
    if (hit) {
      vectors[i] = Array.from(hit);
      return;
    }
    const pending = missing.get(key);
    if (pending) pending.slots.push(i);
    else missing.set(key, { text, slots: [i] });
  });
  const total = texts.length;
  let done = total - [...missing.values()].reduce((n, m) => n + m.slots.length, 0);
  options.onProgress?.(done, total);

  const pending = [...missing.entries()];
  const batchSize = Math.max(1, options.batchSize ?? 16);
  for (let i = 0; i < pending.length; i += batchSize) {
    const batch = pending.slice(i, i + batchSize);
    const embedded = await embeddings.embedDocuments(batch.map(([, m]) => m.text));
    batch.forEach(([key, m], j) => {
      const v = embedded[j];
      if (!v || v.length !== embeddings.dimension) {
        throw new RangeError(
          `Model ${embeddings.modelId} returned a vector of length ${v?.length ?? 0}, expected ${embeddings.dimension}.`,
        );
      }
      cache.set(key, v);
      // Rounded to float32 like cached vectors, so a rebuild from cache gives bit-identical vectors.
      const stored = Float32Array.from(v);
      for (const slot of m.slots) vectors[slot] = Array.from(stored);
      done += m.slots.length;
    });
    options.onProgress?.(done, total);
  }
  return {
    vectors: vectors.map((v) => v ?? []),
    computed: missing.size,
    reused: total - missing.size,
  };
}
