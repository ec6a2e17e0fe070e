/**
 * Child process of `npm run bench`: a fresh process that opens the engine over an existing index,
 * answers one question (cold), then the given questions one after another (warm), and prints one JSON
 * line of timings and memory. Run in its own process so the figures are those of a process that only
 * serves questions: no module, model or index is loaded yet when it starts, and the bench's own ingest
 * does not count towards its peak memory.
 *
 * Usage: tsx src/bench/serve-probe.ts QUESTIONS.json   (configuration from the environment)
 */
import { readFile } from 'node:fs/promises';
import { openEngine } from '../answer/open-engine.js';
import { loadConfig } from '../config.js';

/** What the probe prints. Times in milliseconds; memory in bytes. */
export interface ProbeReport {
  /** From process start (performance.timeOrigin) to the first answer: boot, imports, model, index, question. */
  readonly startToFirstAnswerMs: number;
  /** From process start to the probe's first line of code (node boot, tsx and module imports). */
  readonly importsMs: number;
  readonly openEngineMs: number;
  readonly firstAskMs: number;
  /** Per-question latency of each warm question, in order. */
  readonly warmMs: readonly number[];
  readonly answered: number;
  readonly maxRssBytes: number;
  readonly heapUsedBytes: number;
  readonly model: string;
}

const importsMs = performance.now();
const questions = JSON.parse(await readFile(process.argv[2] ?? '', 'utf8')) as string[];
const [first = 'What did Kazakhstan’s exports to China total in 2023?', ...rest] = questions;
const config = loadConfig();
const t0 = performance.now();
const engine = await openEngine({ config, onStale: 'rebuild' });
const t1 = performance.now();
await engine.ask(first);
const t2 = performance.now();
const warmMs: number[] = [];
let answered = 0;
for (const question of rest) {
  const start = performance.now();
  const result = await engine.ask(question);
  warmMs.push(performance.now() - start);
  if (result.answered) answered += 1;
}
const report: ProbeReport = {
  startToFirstAnswerMs: t2,
  importsMs,
  openEngineMs: t1 - t0,
  firstAskMs: t2 - t1,
  warmMs,
  answered,
  // maxRSS is in kilobytes.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  heapUsedBytes: process.memoryUsage().heapUsed,
  model: engine.info().model,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
