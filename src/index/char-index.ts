import type { Passage } from '../corpus/types.js';
import { NgramEmbeddings } from '../embeddings/ngram-embeddings.js';

/** One hit of the character n-gram channel: a passage id and its cosine similarity (0..1). */
export interface CharHit {
  readonly id: string;
  readonly score: number;
}

/** Bumped whenever the saved form changes. */
const CHAR_DATA_VERSION = 1;
const MAGIC = 0x46_4e_43_49; // "FNCI"

/**
 * The second lexical channel: TF-IDF over hashed character 3–5-grams, cosine-ranked by brute force.
 * Word-level BM25 misses word endings it cannot stem and partial names; character n-grams catch
 * them in any script ("Казахстаном", "Kazakh"/"Kazakhstan", "Khorgos"/"Хоргос" after transliteration).
 *
 * Passage vectors are kept sparse (a passage touches a few hundred of the 2048 buckets) and can be saved with
 * the index ({@link toBuffer}) and read back ({@link fromBuffer}) instead of featurising every passage at load.
 */
export class CharIndex {
  private readonly model: NgramEmbeddings;
  private readonly ids: readonly string[];
  private readonly rowOf = new Map<string, number>();
  /** CSR rows: row r's buckets are `buckets[offsets[r] .. offsets[r + 1]]`, with `values` alongside. */
  private readonly offsets: Uint32Array;
  private readonly buckets: Uint16Array;
  private readonly values: Float32Array;
  /** The same vectors by bucket (CSC), for queries: a question touches a few hundred buckets. */
  private readonly columns: { starts: Uint32Array; rows: Uint32Array; values: Float32Array };
  readonly dimension: number;

  constructor(passages: readonly Passage[], model?: NgramEmbeddings);
  constructor(
    passages: readonly Passage[],
    model: NgramEmbeddings,
    rows: { offsets: Uint32Array; buckets: Uint16Array; values: Float32Array },
  );
  constructor(
    passages: readonly Passage[],
    model: NgramEmbeddings = new NgramEmbeddings(),
    rows?: { offsets: Uint32Array; buckets: Uint16Array; values: Float32Array },
  ) {
    this.model = model;
    this.dimension = model.dimension;
    if (this.dimension > 0x1_0000) throw new RangeError('CharIndex holds at most 65536 buckets');
    this.ids = passages.map((p) => p.id);
    this.ids.forEach((id, row) => this.rowOf.set(id, row));
    if (rows) {
      ({ offsets: this.offsets, buckets: this.buckets, values: this.values } = rows);
    } else {
      ({ offsets: this.offsets, buckets: this.buckets, values: this.values } = embedAll(passages, model));
    }
    this.columns = transpose(this.offsets, this.buckets, this.values, this.dimension);
  }

  /**
   * The saved form: a header (magic, version, rows, non-zeros, length of the model's JSON state), the model's
   * fitted state as JSON, then the row offsets, buckets and values, little-endian.
   */
  toBuffer(): Buffer {
    const state = Buffer.from(JSON.stringify(this.model.toJSON()), 'utf8');
    const rows = this.ids.length;
    const nnz = this.buckets.length;
    const header = Buffer.alloc(20);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(CHAR_DATA_VERSION, 4);
    header.writeUInt32LE(rows, 8);
    header.writeUInt32LE(nnz, 12);
    header.writeUInt32LE(state.length, 16);
    const pad = Buffer.alloc((4 - ((20 + state.length) % 4)) % 4);
    return Buffer.concat([
      header,
      state,
      pad,
      Buffer.from(this.offsets.buffer, this.offsets.byteOffset, this.offsets.byteLength),
      Buffer.from(this.values.buffer, this.values.byteOffset, this.values.byteLength),
      Buffer.from(this.buckets.buffer, this.buckets.byteOffset, this.buckets.byteLength),
    ]);
  }

  /**
   * Reads a {@link toBuffer} for these passages, or returns undefined when the buffer is of another version,
   * another model or another passage count, or is malformed (the caller then builds the index anew).
   */
  static fromBuffer(passages: readonly Passage[], buffer: Buffer): CharIndex | undefined {
    try {
      if (buffer.length < 20 || buffer.readUInt32LE(0) !== MAGIC) return undefined;
      if (buffer.readUInt32LE(4) !== CHAR_DATA_VERSION) return undefined;
      const rows = buffer.readUInt32LE(8);
      const nnz = buffer.readUInt32LE(12);
      const stateLength = buffer.readUInt32LE(16);
      if (rows !== passages.length) return undefined;
      let at = 20 + stateLength;
      const model = NgramEmbeddings.fromJSON(JSON.parse(buffer.subarray(20, at).toString('utf8')));
      if (model.modelId !== new NgramEmbeddings().modelId) return undefined;
      at += (4 - (at % 4)) % 4;
      const expected = at + (rows + 1) * 4 + nnz * 4 + nnz * 2;
      if (buffer.length !== expected) return undefined;
      // Copies, so the arrays are aligned whatever the buffer's own offset is.
      const slice = (bytes: number) => {
        const out = new Uint8Array(bytes);
        out.set(buffer.subarray(at, at + bytes));
        at += bytes;
        return out.buffer;
      };
      const offsets = new Uint32Array(slice((rows + 1) * 4));
      const values = new Float32Array(slice(nnz * 4));
      const buckets = new Uint16Array(slice(nnz * 2));
      if (offsets[rows] !== nnz) return undefined;
      return new CharIndex(passages, model, { offsets, buckets, values });
    } catch {
      return undefined;
    }
  }

  /** Cosine similarity of a text to one passage (by id), or 0 for an unknown id. */
  similarityTo(text: string, id: string): number {
    const row = this.rowOf.get(id);
    return row === undefined ? 0 : this.dot(this.model.embedSync(text), row);
  }

  /** Cosine similarity of two texts under the corpus-fitted n-gram weights (0..1). */
  similarity(a: string, b: string): number {
    const va = this.model.embedSync(a);
    const vb = this.model.embedSync(b);
    let sum = 0;
    for (let i = 0; i < this.dimension; i++) sum += (va[i] ?? 0) * (vb[i] ?? 0);
    return sum;
  }

  /** Cosine similarity of `text` to every passage, in passage order. */
  scores(text: string): Float32Array {
    const q = this.model.embedSync(text);
    const out = new Float32Array(this.ids.length);
    const { starts, rows, values } = this.columns;
    for (let c = 0; c < q.length; c++) {
      const w = q[c]!;
      if (w === 0) continue;
      for (let j = starts[c]!; j < starts[c + 1]!; j++) out[rows[j]!]! += w * values[j]!;
    }
    return out;
  }

  /** Top `k` passages by cosine similarity to `text`, best first. */
  query(text: string, k: number): CharHit[] {
    const scores = this.scores(text);
    return topRows(scores, k).map((row) => ({ id: this.ids[row]!, score: scores[row]! }));
  }

  /** The id of the passage in row `row` (passage order). */
  idAt(row: number): string | undefined {
    return this.ids[row];
  }

  /** The row of a passage id, or undefined. */
  rowOfId(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  private dot(q: readonly number[], row: number): number {
    let sum = 0;
    const end = this.offsets[row + 1]!;
    for (let j = this.offsets[row]!; j < end; j++) sum += q[this.buckets[j]!]! * this.values[j]!;
    return sum;
  }
}

/** Fits the model on the passages and embeds them, as sparse rows. */
function embedAll(
  passages: readonly Passage[],
  model: NgramEmbeddings,
): { offsets: Uint32Array; buckets: Uint16Array; values: Float32Array } {
  model.fit(passages.map((p) => p.text));
  const offsets = new Uint32Array(passages.length + 1);
  const buckets: number[] = [];
  const values: number[] = [];
  passages.forEach((p, row) => {
    const v = model.embedSync(p.text);
    for (let i = 0; i < v.length; i++) {
      if (v[i] !== 0) {
        buckets.push(i);
        values.push(v[i]!);
      }
    }
    offsets[row + 1] = buckets.length;
  });
  return { offsets, buckets: Uint16Array.from(buckets), values: Float32Array.from(values) };
}

/** The rows of a CSR matrix regrouped by column. */
function transpose(
  offsets: Uint32Array,
  buckets: Uint16Array,
  values: Float32Array,
  dimension: number,
): { starts: Uint32Array; rows: Uint32Array; values: Float32Array } {
  const starts = new Uint32Array(dimension + 1);
  for (let j = 0; j < buckets.length; j++) starts[buckets[j]! + 1]! += 1;
  for (let c = 0; c < dimension; c++) starts[c + 1]! += starts[c]!;
  const next = starts.slice(0, dimension);
  const rows = new Uint32Array(buckets.length);
  const out = new Float32Array(buckets.length);
  for (let row = 0; row + 1 < offsets.length; row++) {
    for (let j = offsets[row]!; j < offsets[row + 1]!; j++) {
      const at = next[buckets[j]!]!++;
      rows[at] = row;
      out[at] = values[j]!;
    }
  }
  return { starts, rows, values: out };
}

/** Rows of the `k` highest scores, best first (ties by row). */
export function topRows(scores: Float32Array, k: number): number[] {
  const n = scores.length;
  if (k <= 0 || n === 0) return [];
  if (k >= n / 4) {
    const rows = Array.from({ length: n }, (_, i) => i);
    rows.sort((a, b) => scores[b]! - scores[a]! || a - b);
    return rows.slice(0, k);
  }
  // A threshold from a sorted sample would do too; a small binary heap is simple and O(n log k).
  const heap: number[] = [];
  const worse = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let row = 0; row < n; row++) {
    if (heap.length < k) {
      heap.push(row);
      up(heap.length - 1);
    } else if (worse(heap[0]!, row)) {
      heap[0] = row;
      down(0);
    }
  }
  return heap.sort((a, b) => scores[b]! - scores[a]! || a - b);
}
