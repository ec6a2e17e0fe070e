import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { openEngine } from '../answer/open-engine.js';
import type { EngineSettings, FootnoteEngine } from '../answer/engine.js';
import { loadConfig } from '../config.js';
import type { EmbeddingsKind } from '../embeddings/create-embeddings.js';
import type { BuildProgress } from '../index/build-index.js';

/**
 * A readable, stable folder name for a corpus: its folder's parent and own name (lower-case, anything but
 * letters and digits folded to `-`), then the first 8 hex digits of the SHA-256 of its resolved path, so two
 * corpora never share a name. `../shared/eval/rust-book/corpus` → `rust-book-corpus-1a2b3c4d`.
 */
export function corpusSlug(corpusDir: string): string {
  const path = resolve(corpusDir);
  const readable = [basename(dirname(path)), basename(path)]
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  return readable === '' ? hash : `${readable}-${hash}`;
}

/** Where the eval (and `bench --corpus`) keeps the index of a corpus: `<dataDir>/eval/<slug>/index`. */
export function corpusIndexDir(corpusDir: string, dataDir: string): string {
  return join(dataDir, 'eval', corpusSlug(corpusDir), 'index');
}

/** How to open an engine over a corpus. Nothing here is per corpus: the same settings serve every corpus. */
export interface OpenCorpusEngineOptions {
  /** Holds the index (`<dataDir>/eval/<slug>/index`) and the embedding cache shared by every corpus. */
  readonly dataDir: string;
  /** Default `use`, as for a user. */
  readonly embeddings?: EmbeddingsKind;
  /** Default: the engine's defaults. */
  readonly settings?: EngineSettings;
  /** Overrides the refusal threshold (as ANSWER_THRESHOLD does for the bot). */
  readonly answerThreshold?: number;
  readonly onProgress?: (event: BuildProgress) => void;
  readonly log?: (message: string) => void;
}

/**
 * Opens the engine over `corpusDir` with its index under `dataDir` ({@link corpusIndexDir}): built when
 * missing, reused when fresh, rebuilt when the corpus, the model or the passage settings changed (openEngine's
 * own logic). Documents are named by their path relative to `corpusDir`, as the eval sets name them.
 */
export async function openCorpusEngine(
  corpusDir: string,
  options: OpenCorpusEngineOptions,
): Promise<FootnoteEngine> {
  const config = loadConfig({
    CORPUS_DIR: corpusDir,
    INDEX_DIR: corpusIndexDir(corpusDir, options.dataDir),
    DATA_DIR: options.dataDir,
    EMBEDDINGS: options.embeddings ?? 'use',
    ...(options.answerThreshold !== undefined ? { ANSWER_THRESHOLD: String(options.answerThreshold) } : {}),
  });
  return openEngine({
    config,
    onStale: 'rebuild',
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
