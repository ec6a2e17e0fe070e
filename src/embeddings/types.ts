import type { Embeddings } from '@langchain/core/embeddings';

/** Which embedding model to use; the value of `EMBEDDINGS=`. */
export type EmbeddingsKind = 'use' | 'ngram';

/**
 * What Footnote needs from an embedding model beyond LangChain's `Embeddings`.
 *
 * Lifecycle of a model whose vectors depend on corpus statistics (the n-gram model's IDF table):
 * 1. at build time, `fit(passageTexts)` before embedding passages;
 * 2. `saveState(indexDir)` writes the fitted state next to the index (`embeddings.json`);
 * 3. at query time, `loadState(indexDir)` restores it, so queries are embedded exactly as at build time.
 * Models without state (USE) implement all three as no-ops. `HnswStore.save`/`HnswStore.load` call
 * `saveState`/`loadState` themselves, so a saved store is self-contained.
 */
export interface FootnoteEmbeddingsExtras {
  /** Stable model name recorded in the index manifest, e.g. `use-lite-512`, `ngram-2048-v1`. */
  readonly modelId: string;
  /** Length of every vector returned. */
  readonly dimension: number;
  /**
   * Identifies the exact text → vector function: `modelId` plus a fingerprint of any fitted state.
   * Two instances with the same `stateId` return the same vector for the same text, so it is the
   * embedding cache's key prefix. Equals `modelId` for stateless models; changes when `fit` changes the IDF.
   */
  readonly stateId: string;
  /** Fits corpus statistics (n-gram IDF) on the passage texts. No-op for stateless models. */
  fit(texts: readonly string[]): void;
  /** Writes the fitted state into `dir`; returns the file names written (empty when stateless). */
  saveState(dir: string): Promise<string[]>;
  /** Restores the state written by `saveState`. Throws FootnoteError INDEX_CORRUPT/INDEX_MODEL_MISMATCH. */
  loadState(dir: string): Promise<void>;
}

/** A LangChain `Embeddings` with Footnote's extras. Every vector has `dimension` entries and unit L2 norm. */
export type FootnoteEmbeddings = Embeddings & FootnoteEmbeddingsExtras;

/** True when `e` carries Footnote's extras (used by the store to save/load model state). */
export function isFootnoteEmbeddings(e: unknown): e is FootnoteEmbeddings {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Partial<FootnoteEmbeddingsExtras>;
  return (
    typeof o.modelId === 'string' &&
    typeof o.dimension === 'number' &&
    typeof o.saveState === 'function' &&
    typeof o.loadState === 'function'
  );
}
