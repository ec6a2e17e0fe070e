import type { BenchSection } from './bench.js';
import { discordSection } from './discord-bench.js';
import { engineSections } from './engine-bench.js';

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
