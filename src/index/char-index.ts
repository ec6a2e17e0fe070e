import type { Passage } from '../corpus/types.js';
import { NgramEmbeddings } from '../embeddings/ngram-embeddings.js';

/** One hit of the character n-gram channel: a passage id and its cosine similarity (0..1). */
export interface CharHit {
  readonly id: string;
  readonly score: number;
}

/**
 * The second lexical channel: TF-IDF over hashed character 3–5-grams, cosine-ranked by brute force.
 * Word-level BM25 misses word endings it cannot stem and partial names; character n-grams catch
 * them in any script ("Казахстаном", "Kazakh"/"Kazakhstan", "Khorgos"/"Хоргос" after transliteration).
 * Built in memory at load: fitting and embedding run at thousands of passages a second, and a scan of
 * 10k × 2048 floats takes a few milliseconds.
 */
export class CharIndex {
  private readonly model: NgramEmbeddings;
  private readonly ids: string[];
  private readonly matrix: Float32Array;
  readonly dimension: number;

  constructor(passages: readonly Passage[], model: NgramEmbeddings = new NgramEmbeddings()) {
    this.model = model;
    this.dimension = model.dimension;
    this.ids = passages.map((p) => p.id);
    model.fit(passages.map((p) => p.text));
    this.matrix = new Float32Array(passages.length * this.dimension);
    passages.forEach((p, row) => this.matrix.set(model.embedSync(p.text), row * this.dimension));
  }

  /** Cosine similarity of a text to one passage (by id), or 0 for an unknown id. */
  similarityTo(text: string, id: string): number {
    const row = this.ids.indexOf(id);
    return row < 0 ? 0 : this.dot(this.model.embedSync(text), row);
  }

  /** Cosine similarity of two texts under the corpus-fitted n-gram weights (0..1). */
  similarity(a: string, b: string): number {
    const va = this.model.embedSync(a);
    const vb = this.model.embedSync(b);
    let sum = 0;
    for (let i = 0; i < this.dimension; i++) sum += (va[i] ?? 0) * (vb[i] ?? 0);
    return sum;
  }

  /** Top `k` passages by cosine similarity to `text`, best first. */
  query(text: string, k: number): CharHit[] {
    // A question touches a few hundred of the 2048 buckets: score over those only.
    const q = this.model.embedSync(text);
    const nonZero: number[] = [];
    for (let i = 0; i < q.length; i++) if (q[i] !== 0) nonZero.push(i);
    const hits: CharHit[] = this.ids.map((id, row) => {
      const base = row * this.dimension;
      let sum = 0;
      for (const i of nonZero) sum += q[i]! * this.matrix[base + i]!;
      return { id, score: sum };
    });
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, k);
  }

  private dot(q: readonly number[], row: number): number {
    const base = row * this.dimension;
    let sum = 0;
    for (let i = 0; i < this.dimension; i++) sum += (q[i] ?? 0) * (this.matrix[base + i] ?? 0);
    return sum;
  }
}
