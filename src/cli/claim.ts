import { parseArgs } from 'node:util';
import { claimLine } from '../eval/claims.js';
import { formatClaimCheck, readClaimBatch } from './claim-format.js';
import { openCliEngine, runCli } from './common.js';

const HELP = `Usage:
  npm run claim -- "a statement"          the verdict (supported, contradicted, not found), the deciding quote and where it stands
  npm run claim -- --json "a statement"   the result object as JSON
  npm run claim -- --batch FILE           JSON lines {id, claim} in, one JSON line per claim out:
                                          {id, claim, verdict, confidence, mismatch?, sources}`;

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, batch: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const text = positionals.join(' ');
  if (values.batch === undefined && text.trim() === '') {
    console.error(`Give a statement to check.\n\n${HELP}`);
    return 2;
  }
  // Read the batch file first: a mistyped path should not wait for an index build.
  const inputs = values.batch !== undefined ? await readClaimBatch(values.batch) : undefined;
  const { engine } = await openCliEngine();
  if (inputs !== undefined) {
    for (const input of inputs) {
      const check = await engine.checkClaim(input.claim);
      process.stdout.write(`${JSON.stringify(claimLine(input.id, input.claim, check))}\n`);
    }
    return 0;
  }
  const check = await engine.checkClaim(text);
  console.log(values.json ? JSON.stringify(check, null, 2) : formatClaimCheck(check, process.stdout.isTTY));
  return 0;
});
