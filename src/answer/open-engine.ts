import { loadCorpus } from '../corpus/load-corpus.js';
import { DEFAULT_PASSAGE_SETTINGS } from '../corpus/split-passages.js';
import type { Config } from '../config.js';
import { createEmbeddings } from '../embeddings/create-embeddings.js';
import { buildIndex, indexStatus, type BuildProgress } from '../index/build-index.js';
import { checkCompatible } from '../index/manifest.js';
import { loadIndex } from '../index/load-index.js';
import { DEFAULT_ENGINE_SETTINGS, FootnoteEngine, type EngineSettings } from './engine.js';

/** How to open the engine. */
export interface OpenEngineOptions {
  readonly config: Config;
  /**
   * What to do when the index no longer matches: `rebuild` (the command line) or `warn` (the bot: a changed
   * corpus or passage setting is a warning, it keeps answering from the index as built; an index from another
   * embedding model is refused with INDEX_MODEL_MISMATCH). A missing index is always built.
   */
  readonly onStale?: 'rebuild' | 'warn';
  readonly onProgress?: (event: BuildProgress) => void;
  readonly log?: (message: string) => void;
  readonly settings?: EngineSettings;
}

/**
 * Opens the engine over the configured corpus and index, building the index first when there is
 * none. Faults (unreadable corpus, corrupt index, model mismatch) throw a FootnoteError that says
 * what to run.
 */
export async function openEngine(options: OpenEngineOptions): Promise<FootnoteEngine> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const documents = await loadCorpus(config.CORPUS_DIR, { warn: log });
  const model = createEmbeddings(config.EMBEDDINGS);
  const status = await indexStatus(config.INDEX_DIR, documents, model, DEFAULT_PASSAGE_SETTINGS);
  const build = () =>
    buildIndex({
      corpusDir: config.CORPUS_DIR,
      indexDir: config.INDEX_DIR,
      cacheDir: config.DATA_DIR,
      embeddings: config.EMBEDDINGS,
      force: true,
      warn: log,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  if (status.state === 'missing') {
    log(`No index at ${config.INDEX_DIR} yet: building it from ${config.CORPUS_DIR} (one time).`);
    await build();
  } else if (status.state === 'stale') {
    if (options.onStale !== 'warn') {
      log(`Rebuilding the index: ${status.reason}.`);
      await build();
    } else if (status.kind === 'model') {
      // The bot never rebuilds behind the operator's back: an index from another model cannot answer.
      checkCompatible(status.manifest, {
        model: model.modelId,
        dimension: model.dimension,
        setting: config.EMBEDDINGS,
      });
    } else {
      log(
        `Warning: ${status.reason}; answers come from the index as built. Run \`npm run ingest\`, then send SIGHUP to reload.`,
      );
    }
  }
  const index = await loadIndex(config.INDEX_DIR, config.EMBEDDINGS);
  // Load and warm the model now, so the first question does not pay for it (USE: ~0.4 s).
  await index.embeddings.embedQuery('warm-up');
  const settings = options.settings ?? DEFAULT_ENGINE_SETTINGS;
  const threshold = config.ANSWER_THRESHOLD;
  return new FootnoteEngine(
    index,
    threshold === undefined
      ? settings
      : { ...settings, answer: { ...settings.answer, refusalThreshold: threshold } },
  );
}
