/**
 * The store as the operator meets it: `src/main.ts` refusing a bad database at start, and `npm run feedback`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashUserId } from '../../src/store/feedback-record.js';
import { openStore, STORE_FILE } from '../../src/store/open-store.js';
import { spawnSync } from 'node:child_process';
import { ROOT, runMain, TSX } from '../../src/testing/run-main.js';

const TOKEN = `store.${'s3cret'.repeat(12)}`;
const FEEDBACK = join(ROOT, 'src', 'cli', 'feedback.ts');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-store-process-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({
  DISCORD_TOKEN: TOKEN,
  DISCORD_APPLICATION_ID: '123456789012345678',
  DISCORD_API_URL: 'http://127.0.0.1:9',
  EMBEDDINGS: 'ngram',
  CORPUS_DIR: join(ROOT, 'corpus'),
  INDEX_DIR: join(dir, 'index'),
  DATA_DIR: dir,
});

function feedback(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, FEEDBACK, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dir },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('main with a bad database', () => {
  it('given a corrupt database file, prints the file and the fix and exits 1 without a stack trace', async () => {
    await writeFile(join(dir, STORE_FILE), 'not a database at all '.repeat(100));
    const run = runMain(dir, env());
    expect((await run.exited).code).toBe(1);
    const out = run.out().trim();
    expect(out).toMatch(/^footnote: .*footnote\.db is not a readable Footnote database/);
    expect(out).toContain('.bad');
    expect(out).not.toMatch(/^\s+at /m);
    expect(out).not.toContain(TOKEN);
  }, 30_000);
});

describe('npm run feedback', () => {
  it('prints the most down-voted and the most refused questions since a span', async () => {
    const store = openStore({ dataDir: dir });
    const now = new Date().toISOString();
    for (const n of [1, 2])
      await store.feedback.append({
        time: now,
        guildId: 'g',
        channelId: 'c',
        userHash: hashUserId(String(n)),
        answerKey: 'a',
        question: 'How long is the pipeline?',
        passageIds: [],
        answered: true,
        vote: 'down',
      });
    store.feedback.recordRefusal({
      time: now,
      guildId: 'g',
      channelId: 'c',
      question: 'What about tariffs?',
    });
    store.close();

    const run = feedback('--since', '7d');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /Most down-voted questions[^\n]*\n\s+1\. 👎 2\s+👍 0\s+How long is the pipeline\?/,
    );
    expect(run.out).toMatch(/Most refused questions[^\n]*\n\s+1\. refused 1×\s+What about tariffs\?/);

    const json = feedback('--since', '1h', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as { downVoted: { question: string; down: number }[] };
    expect(report.downVoted).toEqual([
      expect.objectContaining({ question: 'How long is the pipeline?', down: 2 }),
    ]);
  }, 30_000);

  it('given a bad --since, says what it takes and exits 1', () => {
    const run = feedback('--since', 'last week');
    expect(run.code).toBe(1);
    expect(run.out).toContain('30m, 24h, 7d, 2w');
  }, 30_000);
});
