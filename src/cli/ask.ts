import { parseArgs } from 'node:util';
import { USAGE } from '../answer/sanitize.js';
import { runBatch } from '../eval/batch.js';
import { readBatchFile } from './batch.js';
import { formatForTerminal } from './format.js';
import { openCliEngine, runCli } from './common.js';

const HELP = `Usage:
  npm run ask -- "your question"          answer with the quoted source
  npm run ask -- --json "your question"   print the result object as JSON
  npm run ask -- --batch FILE             JSON lines {id, question} in, one JSON line per question out`;

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, batch: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const question = positionals.join(' ');
  if (values.batch === undefined && question.trim() === '') {
    console.error(`${USAGE}\n\n${HELP}`);
    return 2;
  }
  // Read the batch file first: a mistyped path should not wait for an index build.
  const inputs = values.batch !== undefined ? await readBatchFile(values.batch) : undefined;
  const { engine } = await openCliEngine();
  if (inputs !== undefined) {
    for (const line of await runBatch(engine, inputs)) process.stdout.write(`${JSON.stringify(line)}\n`);
    return 0;
  }
  const result = await engine.ask(question);
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return 0;
  }
  console.log(formatForTerminal(result, process.stdout.isTTY));
  return 0;
});
