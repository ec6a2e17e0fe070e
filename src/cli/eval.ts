import { parseArgs } from 'node:util';
import { DEFAULT_EVAL_FILE, formatReport, readEvalFile, scoreBatch } from '../eval/run-eval.js';
import { runBatch } from './batch.js';
import { openCliEngine, runCli } from './common.js';

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { verbose: { type: 'boolean', short: 'v' }, json: { type: 'boolean' } },
  });
  const file = positionals[0] ?? DEFAULT_EVAL_FILE;
  const items = await readEvalFile(file);
  const { engine, config } = await openCliEngine();
  const lines = await runBatch(engine, items);
  const report = await scoreBatch(items, lines, config.CORPUS_DIR);
  if (values.json) {
    console.log(
      JSON.stringify({ overall: report.overall, byKind: Object.fromEntries(report.byKind) }, null, 2),
    );
    return 0;
  }
  console.log(`Eval: ${file} (${items.length} questions, embeddings: ${engine.info().model})\n`);
  console.log(formatReport(report));
  if (values.verbose) {
    console.log('\nPer question (rank of the first covering source; ✓ = answer correct):');
    for (const item of report.items) {
      const top = item.line.sources[0];
      console.log(
        `${item.id} ${item.kind.padEnd(13)} rank=${item.rank ?? '-'} ${item.correct ? '✓' : '✗'} answered=${item.answered}` +
          `  ${top ? `${top.doc}:${top.start}` : ''}  ${item.line.answer.slice(0, 100).replace(/\n/g, ' ')}`,
      );
    }
  }
  return 0;
});
