import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatBenchTable } from '../bench/bench.js';
import { runBench } from '../bench/engine-bench.js';
import { sections } from '../bench/sections.js';
import { loadConfig } from '../config.js';
import type { EmbeddingsKind } from '../embeddings/create-embeddings.js';
import { FootnoteError } from '../errors.js';
import { runCli } from './common.js';

const HELP = `Usage:
  npm run bench                            cold start, warm latency, ingest and memory with the configured embeddings
  npm run bench -- --embeddings ngram      another embeddings kind; "use,ngram" runs both
  npm run bench -- --questions 400         warm questions to time (default 240, at least 200 for a useful p99)
  npm run bench -- --json                  the figures as JSON on stdout (progress stays on stderr)
  npm run bench -- --keep                  keep the scratch index folders
  npm run bench -- --quick                 skip the Discord section's 60 s sustained-rate run (the rate search stays)`;

/** The project folder: child processes (`npx tsx src/cli/ask.ts`) run from there. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      embeddings: { type: 'string' },
      questions: { type: 'string', default: '240' },
      json: { type: 'boolean' },
      keep: { type: 'boolean' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig();
  const kinds = (values.embeddings ?? config.EMBEDDINGS).split(',').map((k) => k.trim());
  const bad = kinds.filter((k) => k !== 'use' && k !== 'ngram');
  if (bad.length > 0)
    throw new FootnoteError(
      'INPUT_INVALID',
      `Unknown embeddings ${bad.join(', ')}: use "use", "ngram" or "use,ngram".`,
    );
  const questions = Number(values.questions);
  if (!Number.isInteger(questions) || questions < 1) {
    throw new FootnoteError(
      'INPUT_INVALID',
      `--questions needs a positive whole number, not "${values.questions}".`,
    );
  }
  const report = await runBench({
    root: ROOT,
    corpusDir: resolve(config.CORPUS_DIR),
    kinds: kinds as EmbeddingsKind[],
    questions,
    sections,
    keep: values.keep ?? false,
    quick: values.quick ?? false,
    log: (message) => process.stderr.write(`${message}\n`),
  });
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(
    `\nFootnote bench: ${report.startedAt}, Node ${report.node}, ${report.platform}, ${report.cpus} CPUs`,
  );
  console.log(`Questions: ${report.questionSource}\n`);
  console.log(formatBenchTable(report.results));
  return 0;
});
