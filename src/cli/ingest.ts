import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { skipWarning } from '../corpus/load-corpus.js';
import { buildIndex } from '../index/build-index.js';
import { runCli } from './common.js';
import { createProgressReporter, describeFormats } from './progress.js';

await runCli(async () => {
  const { values } = parseArgs({ options: { force: { type: 'boolean' } } });
  // `npm run ingest --force` hands --force to npm, which sets npm_config_force instead of passing it on.
  const force = values.force ?? process.env['npm_config_force'] === 'true';
  const config = loadConfig();
  const progress = createProgressReporter();
  try {
    const summary = await buildIndex({
      corpusDir: config.CORPUS_DIR,
      indexDir: config.INDEX_DIR,
      cacheDir: config.DATA_DIR,
      embeddings: config.EMBEDDINGS,
      force,
      onProgress: progress.update,
      warn: progress.log,
    });
    progress.stop();
    const seconds = (summary.ms / 1000).toFixed(2);
    console.log(
      `Index ${summary.unchanged ? 'already up to date' : 'built'} in ${config.INDEX_DIR}: ` +
        `${summary.documents} documents, ${summary.passages} passages, ` +
        `${summary.computed} embeddings computed, ${summary.reused} reused (${summary.model}), ${seconds} s.`,
    );
    if (Object.keys(summary.formats).length > 1)
      console.log(`By format: ${describeFormats(summary.formats)}.`);
    if (summary.skipped.length > 0) {
      console.log(`${summary.skipped.length} file${summary.skipped.length === 1 ? '' : 's'} skipped:`);
      for (const s of summary.skipped) console.log(`  ${skipWarning(s).replace(/^Warning: /u, '')}`);
    }
    return 0;
  } finally {
    progress.stop();
  }
});
