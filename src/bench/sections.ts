import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchContext, BenchRow, BenchSection } from './bench.js';
import { engineSections } from './engine-bench.js';

/**
 * The Discord section: the bot in its own process against the local Discord server, which lives with the
 * tests (tests/support). It is loaded at run time by path, so the built package (`npm run build`, src only)
 * does not include the test server.
 */
const discordSection: BenchSection = {
  name: 'discord',
  async run(context) {
    const url = pathToFileURL(join(context.root, 'tests', 'support', 'discord-bench.ts')).href;
    const module = (await import(url)) as { runDiscordBench(c: BenchContext): Promise<readonly BenchRow[]> };
    return module.runDiscordBench(context);
  },
};

/**
 * EXTENSION POINT: every section `npm run bench` runs, in this order, once per embeddings kind.
 *
 * To add one (the Discord load section, for instance, in `./discord-bench.ts`): export a
 * {@link BenchSection} from its module and append it below. Sections share a BenchContext:
 * after `ingest`, `context.indexDir`/`context.dataDir` hold a fresh index of `context.corpusDir` built
 * with `context.embeddings`, and `context.questions` holds the questions to time. Put anything that
 * must not be counted in the engine's memory figures after `memory`.
 *
 * @see ./bench.ts for the types, ./engine-bench.ts for the engine's own sections.
 */
export const sections: readonly BenchSection[] = [...engineSections, discordSection];
