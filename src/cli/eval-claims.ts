import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { formatClaimReport, readClaims, runClaims } from '../eval/claims.js';
import type { ClaimScore } from '../eval/claims.js';
import { openCorpusEngine } from '../eval/corpus-engine.js';
import { runCli } from './common.js';
import { createProgressReporter } from './progress.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'eval');
const HELP = `Usage:
  npm run eval:claims -- [--file FILE] [--corpus A=DIR] [--corpus B=DIR] [--json]
    checks every claim of FILE (default ../shared/eval/claims-dev.jsonl) against its corpus (A: CORPUS_DIR,
    B: ../shared/eval/rust-book/corpus) and prints verdict accuracy, precision and recall per verdict, and how
    often the deciding source covers the evidence, per corpus and overall, then the claims that fail.`;

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      corpus: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig();
  const corpora = new Map<string, string>([
    ['A', resolve(config.CORPUS_DIR)],
    ['B', join(SHARED, 'rust-book', 'corpus')],
  ]);
  for (const c of values.corpus ?? []) {
    const [name, dir] = c.split('=');
    if (!name || !dir) throw new Error(`--corpus takes NAME=DIR, not ${c}`);
    corpora.set(name, resolve(dir));
  }
  const items = await readClaims(values.file ?? join(SHARED, 'claims-dev.jsonl'));
  const groups: { name: string; scores: ClaimScore[] }[] = [];
  const lines = [];
  for (const [name, dir] of corpora) {
    const mine = items.filter((i) => i.corpus === name);
    if (mine.length === 0) continue;
    const progress = createProgressReporter();
    let engine;
    try {
      engine = await openCorpusEngine(dir, {
        dataDir: config.DATA_DIR,
        embeddings: config.EMBEDDINGS,
        onProgress: progress.update,
        log: progress.log,
      });
    } finally {
      progress.stop();
    }
    const run = await runClaims(mine, engine, dir);
    groups.push({ name: `corpus ${name}`, scores: run.scores });
    lines.push(...run.lines);
  }
  if (values.json) {
    console.log(JSON.stringify({ groups, lines }, null, 2));
    return 0;
  }
  console.log(formatClaimReport([...groups, { name: 'all', scores: groups.flatMap((g) => g.scores) }]));
  return 0;
});
