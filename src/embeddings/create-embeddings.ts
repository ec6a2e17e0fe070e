import { NgramEmbeddings, type NgramEmbeddingsOptions } from './ngram-embeddings.js';
import type { EmbeddingsKind, FootnoteEmbeddings } from './types.js';
import { UseEmbeddings, type UseEmbeddingsOptions } from './use-embeddings.js';

export type { EmbeddingsKind, FootnoteEmbeddings, FootnoteEmbeddingsExtras } from './types.js';
export { isFootnoteEmbeddings } from './types.js';

/** Options for {@link createEmbeddings}, per kind. */
export interface CreateEmbeddingsOptions {
  use?: UseEmbeddingsOptions;
  ngram?: NgramEmbeddingsOptions;
}

/**
 * Creates the embedding model chosen by `EMBEDDINGS=`: `use` (Universal Sentence Encoder lite, English,
 * 512-d, the default) or `ngram` (hashed character n-grams with TF-IDF, any script, 2048-d).
 *
 * Saving with the index: the caller building an index calls `fit(passageTexts)` then embeds passages,
 * and `saveState(indexDir)` (or `HnswStore.save`, which calls it) writes the model's state into the
 * index folder: `embeddings.json` for `ngram`, nothing for `use`. Loading an index calls
 * `loadState(indexDir)` (`HnswStore.load` does) before embedding any query.
 * The USE model loads lazily on first embed; nothing is loaded here.
 */
export function createEmbeddings(
  kind: EmbeddingsKind,
  options: CreateEmbeddingsOptions = {},
): FootnoteEmbeddings {
  switch (kind) {
    case 'use':
      return new UseEmbeddings(options.use);
    case 'ngram':
      return new NgramEmbeddings(options.ngram);
  }
}
