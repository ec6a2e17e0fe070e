import { loadConfig, type Config } from '../config.js';
import { openEngine } from '../answer/open-engine.js';
import type { Engine } from '../answer/types.js';
import { isFootnoteError } from '../errors.js';
import { createProgressReporter } from './progress.js';

/**
 * Runs a command-line entry point: its return value is the exit code; a FootnoteError prints its
 * message (which says what to do) without a stack trace; anything else prints the stack.
 */
export async function runCli(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (err) {
    if (isFootnoteError(err)) {
      console.error(`footnote: ${err.message}`);
    } else {
      console.error('footnote: unexpected error, please report it with the output below.');
      console.error(err);
    }
    process.exitCode = 1;
  }
}

/**
 * Opens the engine for a command-line run: builds the index first when there is none, and rebuilds
 * it when the corpus changed since it was built. Progress goes to stderr, so stdout stays clean for
 * `--json` and `--batch`.
 */
export async function openCliEngine(): Promise<{ engine: Engine; config: Config }> {
  const config = loadConfig();
  const progress = createProgressReporter();
  try {
    const engine = await openEngine({
      config,
      onStale: 'rebuild',
      onProgress: progress.update,
      log: progress.log,
    });
    return { engine, config };
  } finally {
    progress.stop();
  }
}
