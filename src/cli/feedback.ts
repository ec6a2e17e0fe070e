import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openStore } from '../store/open-store.js';
import { runCli } from './common.js';
import { formatFeedbackReport, parseSince } from './feedback-report.js';

const HELP = `Usage:
  npm run feedback -- [--since 7d] [--limit 10] [--json]
    the most down-voted and the most refused questions since then (30m, 24h, 7d, 2w or a date; default 7d)`;

function main(): number {
  const { values } = parseArgs({
    options: {
      since: { type: 'string', default: '7d' },
      limit: { type: 'string', default: '10' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    console.error(`--limit must be a positive whole number\n\n${HELP}`);
    return 2;
  }
  const since = parseSince(values.since, Date.now());
  const store = openStore({ dataDir: loadConfig().DATA_DIR });
  try {
    const report = store.feedback.report(since, limit);
    console.log(
      values.json ? JSON.stringify({ since, ...report }, null, 2) : formatFeedbackReport(report, since),
    );
  } finally {
    store.close();
  }
  return 0;
}

await runCli(() => Promise.resolve().then(main));
