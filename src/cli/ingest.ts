import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { buildIndex } from '../index/build-index.js';
import { runCli } from './common.js';
import { createProgressReporter } from './progress.js';

await runCli(async () => {
  const { values } = parseArgs({ options: { force: { type: 'boolean' } } });
  const config = loadConfig();
  const progress = createProgressReporter();
  try {
    const summary = await buildIndex({
      corpusDir: config.CORPUS_DIR,
      indexDir: config.INDEX_DIR,
      cacheDir: config.DATA_DIR,
      embeddings: config.EMBEDDINGS,
      force: values.force ?? false,
      onProgress: progress.update,
    });
    progress.stop();
    const seconds = (summary.ms / 1000).toFixed(2);
    console.log(
      `Index ${summary.unchanged ? 'already up to date' : 'built'} in ${config.INDEX_DIR}: ` +
        `${summary.documents} documents, ${summary.passages} passages, ` +
        `${summary.computed} embeddings computed, ${summary.reused} reused (${summary.model}), ${seconds} s.`,
    );
    return 0;
  } finally {
    progress.stop();
  }
});
