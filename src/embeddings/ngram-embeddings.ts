import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';
import { FootnoteError } from '../errors.js';
import type { FootnoteEmbeddingsExtras } from './types.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** File written by `saveState` into the index folder. */
export const NGRAM_STATE_FILE = 'embeddings.json';

/** Bumped whenever featurisation changes, so old indexes are refused instead of silently mismatched. */
const NGRAM_VERSION = 1;

export interface NgramEmbeddingsOptions {
  /** Number of hash buckets = vector length. Default 2048. */
  dimension?: number;
  /** Smallest and largest character n-gram. Default 3 and 5. */
  minN?: number;
  maxN?: number;
}

const stateSchema = z.object({
  modelId: z.string(),
  dimension: z.number().int().positive(),
  minN: z.number().int().positive(),
  maxN: z.number().int().positive(),
  documentCount: z.number().int().nonnegative(),
  /** IDF per bucket, little-endian Float32 in base64. */
  idf: z.string(),
});

/** Serialised n-gram model state: configuration plus the fitted IDF table. */
export type NgramState = z.infer<typeof stateSchema>;

/** Han, kana and Hangul: scripts written without spaces, featurised by character uni- and bigrams. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const TOKEN = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;

/** Case- and diacritic-folds text: NFKD, marks removed, lower case (`Ёлка` → `елка`, `Café` → `cafe`). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** FNV-1a step over one UTF-16 code unit. */
function fnvStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193) >>> 0;
}
const FNV_OFFSET = 0x811c9dc5;

/** murmur3 finaliser: spreads FNV's low bits before taking a bucket. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Dependency-free multilingual embeddings: hashed character n-grams with TF-IDF weights.
 *
 * Text is folded ({@link foldText}) and cut into runs of letters and digits. Each run is padded with a
 * space on both sides (so word starts and ends are features) and contributes every character n-gram of
 * length `minN..maxN` (3–5); runs of CJK characters contribute character unigrams and bigrams instead,
 * because those scripts have no spaces between words. N-grams are hashed (FNV-1a + murmur finaliser) into
 * `dimension` buckets; bucket weight = (1 + ln tf) × idf, then the vector is L2-normalised.
 *
 * IDF (`ln((1 + N) / (1 + df)) + 1`, per bucket) is fitted on the corpus passages with {@link fit}, saved
 * next to the index as `embeddings.json` ({@link saveState}) and restored with {@link loadState}, so a
 * loaded index embeds queries with the same weights it embedded passages with. Before `fit` every idf is 1.
 *
 * Cost: linear in text length, no allocation per n-gram; tens of thousands of passages per second.
 */
export class NgramEmbeddings extends Embeddings implements FootnoteEmbeddingsExtras {
  readonly dimension: number;
  readonly minN: number;
  readonly maxN: number;
  readonly modelId: string;
  private idf: Float32Array;
  private documentCount = 0;
  private fingerprint = 'unfitted';

  constructor(options: NgramEmbeddingsOptions = {}) {
    super({});
    this.dimension = options.dimension ?? 2048;
    this.minN = options.minN ?? 3;
    this.maxN = options.maxN ?? 5;
    if (!Number.isInteger(this.dimension) || this.dimension < 16) {
      throw new FootnoteError(
        'CONFIG_INVALID',
        `n-gram dimension must be an integer ≥ 16, got ${this.dimension}.`,
      );
    }
    if (!(
      Number.isInteger(this.minN) &&
      Number.isInteger(this.maxN) &&
      this.minN >= 1 &&
      this.maxN >= this.minN
    )) {
      throw new FootnoteError(
        'CONFIG_INVALID',
        `n-gram sizes must satisfy 1 ≤ minN ≤ maxN, got ${this.minN}..${this.maxN}.`,
      );
    }
    const sizes = this.minN === 3 && this.maxN === 5 ? '' : `-n${this.minN}${this.maxN}`;
    this.modelId = `ngram-${this.dimension}${sizes}-v${NGRAM_VERSION}`;
    this.idf = new Float32Array(this.dimension).fill(1);
  }

  /** `modelId` plus a fingerprint of the IDF table: the embedding cache's key prefix. */
  get stateId(): string {
    return `${this.modelId}@${this.fingerprint}`;
  }

  /** Fits per-bucket IDF on the corpus passages. Replaces any previous fit. */
  fit(texts: readonly string[]): void {
    const df = new Uint32Array(this.dimension);
    const seen = new Uint8Array(this.dimension);
    const touched: number[] = [];
    for (const text of texts) {
      this.featurize(text, (bucket) => {
        if (seen[bucket] === 0) {
          seen[bucket] = 1;
          touched.push(bucket);
        }
      });
      for (const b of touched) {
        df[b] = (df[b] ?? 0) + 1;
        seen[b] = 0;
      }
      touched.length = 0;
    }
    const n = texts.length;
    const idf = new Float32Array(this.dimension);
    for (let i = 0; i < this.dimension; i++) idf[i] = Math.log((1 + n) / (1 + (df[i] ?? 0))) + 1;
    this.setIdf(idf, n);
  }

  override embedDocuments(documents: string[]): Promise<number[][]> {
    return Promise.resolve(documents.map((d) => this.embedSync(d)));
  }

  override embedQuery(document: string): Promise<number[]> {
    return Promise.resolve(this.embedSync(document));
  }

  /** Synchronous embedding of one text: unit-length, `dimension` entries. */
  embedSync(text: string): number[] {
    const tf = new Float32Array(this.dimension);
    let features = 0;
    this.featurize(text, (bucket) => {
      tf[bucket] = (tf[bucket] ?? 0) + 1;
      features++;
    });
    if (features === 0) {
      // No letters or digits: one fixed feature, so the vector is still unit length (never NaN in cosine).
      tf[mix(FNV_OFFSET) % this.dimension] = 1;
    }
    const out = new Array<number>(this.dimension);
    let sum = 0;
    for (let i = 0; i < this.dimension; i++) {
      const c = tf[i] ?? 0;
      const w = c > 0 ? (1 + Math.log(c)) * (this.idf[i] ?? 1) : 0;
      out[i] = w;
      sum += w * w;
    }
    const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = 0; i < this.dimension; i++) out[i] = (out[i] ?? 0) * inv;
    return out;
  }

  /** The state `saveState` writes; also handy for tests. */
  toJSON(): NgramState {
    const bytes = new Uint8Array(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength);
    return {
      modelId: this.modelId,
      dimension: this.dimension,
      minN: this.minN,
      maxN: this.maxN,
      documentCount: this.documentCount,
      idf: Buffer.from(bytes).toString('base64'),
    };
  }

  /** Rebuilds a model from {@link toJSON} output. Throws FootnoteError INDEX_CORRUPT on malformed state. */
  static fromJSON(state: unknown): NgramEmbeddings {
    const parsed = stateSchema.safeParse(state);
    if (!parsed.success) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `${NGRAM_STATE_FILE} is malformed: ${parsed.error.message}. Run \`npm run ingest\` to rebuild.`,
      );
    }
    const s = parsed.data;
    const model = new NgramEmbeddings({ dimension: s.dimension, minN: s.minN, maxN: s.maxN });
    if (model.modelId !== s.modelId) {
      throw new FootnoteError(
        'INDEX_MODEL_MISMATCH',
        `${NGRAM_STATE_FILE} was written by model ${s.modelId}, this version reads ${model.modelId}. Run \`npm run ingest\` to rebuild.`,
      );
    }
    model.setIdf(decodeIdf(s.idf, s.dimension), s.documentCount);
    return model;
  }

  /** Writes `embeddings.json` (config + IDF table) into `dir`. */
  async saveState(dir: string): Promise<string[]> {
    await writeFileAtomic(join(dir, NGRAM_STATE_FILE), JSON.stringify(this.toJSON()));
    return [NGRAM_STATE_FILE];
  }

  /** Restores the IDF table from `dir/embeddings.json`; the file must come from the same `modelId`. */
  async loadState(dir: string): Promise<void> {
    const file = join(dir, NGRAM_STATE_FILE);
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (err) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `Index file ${NGRAM_STATE_FILE} is missing or unreadable in ${dir}. Run \`npm run ingest\` to rebuild.`,
        { cause: err },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `Index file ${NGRAM_STATE_FILE} is not valid JSON. Run \`npm run ingest\` to rebuild.`,
        { cause: err },
      );
    }
    const loaded = NgramEmbeddings.fromJSON(json);
    if (loaded.modelId !== this.modelId) {
      throw new FootnoteError(
        'INDEX_MODEL_MISMATCH',
        `The index was built with model ${loaded.modelId}, this run uses ${this.modelId}. Run \`npm run ingest\` to rebuild.`,
      );
    }
    this.setIdf(loaded.idf, loaded.documentCount);
  }

  private setIdf(idf: Float32Array, documentCount: number): void {
    this.idf = idf;
    this.documentCount = documentCount;
    const bytes = new Uint8Array(idf.buffer, idf.byteOffset, idf.byteLength);
    this.fingerprint = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  }

  /** Calls `emit(bucket)` once per n-gram occurrence of the folded text. */
  private featurize(text: string, emit: (bucket: number) => void): void {
    const dim = this.dimension;
    const { minN, maxN } = this;
    const folded = foldText(text);
    for (const match of folded.matchAll(TOKEN)) {
      const token = match[0];
      if (CJK.test(token)) {
        this.featurizeMixed(token, emit);
        continue;
      }
      // Padded token ' token ' addressed without building the string: index -1 and length are spaces.
      const len = token.length + 2;
      const at = (i: number): number => (i === 0 || i === len - 1 ? 32 : token.charCodeAt(i - 1));
      if (len < minN) {
        let h = FNV_OFFSET;
        for (let i = 0; i < len; i++) h = fnvStep(h, at(i));
        emit(mix(h) % dim);
        continue;
      }
      for (let start = 0; start + minN <= len; start++) {
        let h = FNV_OFFSET;
        for (let i = start; i < start + minN - 1; i++) h = fnvStep(h, at(i));
        for (let n = minN; n <= maxN && start + n <= len; n++) {
          h = fnvStep(h, at(start + n - 1));
          emit(mix(h) % dim);
        }
      }
    }
  }

  /** A token containing CJK characters: CJK runs give uni/bigrams, other runs are handled as words. */
  private featurizeMixed(token: string, emit: (bucket: number) => void): void {
    const chars = Array.from(token);
    let run: string[] = [];
    const flushCjk = (): void => {
      for (let i = 0; i < run.length; i++) {
        const a = run[i] ?? '';
        emit(mix(hashString(`\u0001${a}`)) % this.dimension);
        const b = run[i + 1];
        if (b !== undefined) emit(mix(hashString(`\u0002${a}${b}`)) % this.dimension);
      }
      run = [];
    };
    let word = '';
    for (const ch of chars) {
      if (CJK.test(ch)) {
        if (word) {
          this.featurize(word, emit);
          word = '';
        }
        run.push(ch);
      } else {
        if (run.length) flushCjk();
        word += ch;
      }
    }
    if (run.length) flushCjk();
    if (word) this.featurize(word, emit);
  }
}

function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
  return h;
}

function decodeIdf(base64: string, dimension: number): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  if (buf.byteLength !== dimension * 4) {
    throw new FootnoteError(
      'INDEX_CORRUPT',
      `${NGRAM_STATE_FILE} holds ${buf.byteLength / 4} IDF weights, expected ${dimension}. Run \`npm run ingest\` to rebuild.`,
    );
  }
  const out = new Float32Array(dimension);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
