/**
 * The bot as a process under operator-side faults: a bad index at start, a rebuild while it runs (SIGHUP), a
 * failed rebuild, SIGTERM in the middle of a burst, and kill -9 while feedback is being written.
 */
import { spawn } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, requireBotConfig } from '../../src/config.js';
import { registerCommands } from '../../src/discord/deploy.js';
import { readFeedback } from '../../src/discord/feedback.js';
import { buildIndex } from '../../src/index/build-index.js';
import { LocalDiscord } from '../support/discord-server.js';
import { discordEnv, ROOT, runMain, TSX, waitForOutput } from '../support/run-main.js';
import type { Run } from '../support/run-main.js';

const TOKEN = `proc.${'f4ult'.repeat(12)}`;
const EPHEMERAL = 64;

let dir: string;
let goodIndex: string;
const discord = new LocalDiscord();
let baseEnv: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-proc-'));
  const { apiUrl } = await discord.start();
  goodIndex = join(dir, 'good-index');
  baseEnv = {
    ...discordEnv(discord, apiUrl, TOKEN),
    CORPUS_DIR: join(ROOT, 'corpus'),
    EMBEDDINGS: 'ngram',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_CHANNEL_PER_MINUTE: '0',
  };
  await buildIndex({
    corpusDir: baseEnv.CORPUS_DIR!,
    indexDir: goodIndex,
    cacheDir: dir,
    embeddings: 'ngram',
  });
  await registerCommands(requireBotConfig(loadConfig({ ...baseEnv, INDEX_DIR: goodIndex, DATA_DIR: dir })));
}, 60_000);

afterAll(async () => {
  await discord.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the good index, and the path of its live version folder. */
async function copyIndex(name: string): Promise<{ indexDir: string; version: string }> {
  const indexDir = join(dir, name);
  await cp(goodIndex, indexDir, { recursive: true });
  const current = (await readFile(join(indexDir, 'current'), 'utf8')).trim();
  return { indexDir, version: join(indexDir, current) };
}

async function startBot(env: Record<string, string>): Promise<Run> {
  const run = runMain(dir, { ...baseEnv, DATA_DIR: dir, ...env });
  await waitForOutput(run, /Footnote is ready/, 30_000);
  return run;
}

async function stopBot(run: Run): Promise<void> {
  if (run.child.exitCode === null) {
    run.child.kill('SIGTERM');
    await run.exited;
  }
}

function askAndWait(question: string, timeoutMs = 10_000) {
  const i = discord.slashCommand({ name: 'ask', options: { question } });
  return discord.waitUntil(
    () => {
      const r = discord.interaction(i.id);
      if (r?.callbackType === undefined) return undefined;
      if (
        r.callbackType === InteractionResponseType.DeferredChannelMessageWithSource &&
        (r.original?.flags ?? 0) & 128
      )
        return undefined;
      return r;
    },
    timeoutMs,
    `an answer to ${question}`,
  );
}

describe('a bad index at start', () => {
  it.each([
    ['truncated', async (v: string) => truncate(join(v, 'hnsw.bin'), 100), {}, /truncated|damaged|size/i],
    [
      'corrupt (same size, changed bytes)',
      async (v: string) => {
        const bytes = await readFile(join(v, 'hnsw.bin'));
        bytes.fill(7, 200, 400);
        await writeFile(join(v, 'hnsw.bin'), bytes);
      },
      {},
      /checksum|corrupt|damaged/i,
    ],
    [
      'from another embedding model',
      () => Promise.resolve(),
      { EMBEDDINGS: 'use' },
      /built with model ngram-2048-v1.*EMBEDDINGS=use/s,
    ],
    [
      'from an older format',
      async (v: string) => {
        const manifest = JSON.parse(await readFile(join(v, 'manifest.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        await writeFile(join(v, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 0 }));
      },
      {},
      /format/i,
    ],
  ] as const)(
    'given an index %s, says what to run and exits 1 once, without a stack trace',
    async (name, damage, env, pattern) => {
      const { indexDir, version } = await copyIndex(`bad-${name.replace(/\W+/g, '-')}`);
      await damage(version);
      const run = runMain(dir, { ...baseEnv, DATA_DIR: dir, INDEX_DIR: indexDir, ...env });
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.out()).toMatch(pattern);
      expect(run.out()).toContain('npm run ingest');
      expect(run.out()).not.toMatch(/^\s+at /m);
      expect(run.out().match(/footnote: /g)).toHaveLength(1);
      expect(run.out()).not.toContain(TOKEN);
    },
  );

  it('given no index at all, builds it and starts', async () => {
    const run = await startBot({ INDEX_DIR: join(dir, 'fresh-index') });
    await stopBot(run);
    expect(run.out()).toContain('building it');
  });
});

describe('npm run ingest while the bot runs', () => {
  it('after SIGHUP answers from the new index; a failed rebuild leaves the old one serving', async () => {
    const corpus = join(dir, 'live-corpus');
    await cp(join(ROOT, 'corpus'), corpus, { recursive: true });
    const indexDir = join(dir, 'live-index');
    const env = { CORPUS_DIR: corpus, INDEX_DIR: indexDir };
    const run = await startBot(env);
    try {
      const fact = 'The Zephyrine accord on lunar tea was signed in Almaty in 2031 by twelve delegations.';
      const before = await askAndWait('When was the Zephyrine accord on lunar tea signed?');
      expect(before.original?.embeds[0]?.description ?? '').toContain('do not answer');

      await appendFile(join(corpus, 'kazakh-chinese-relations.txt'), `\n${fact}\n`);
      const ingest = runMain(
        dir,
        { ...baseEnv, ...env, DATA_DIR: dir },
        join(ROOT, 'src', 'cli', 'ingest.ts'),
      );
      expect((await ingest.exited).code).toBe(0);
      // Questions keep being answered while the new index loads.
      const during = Array.from({ length: 10 }, () =>
        askAndWait('Which transport hubs connect Kazakhstan and China?'),
      );
      run.child.kill('SIGHUP');
      for (const r of await Promise.all(during))
        expect(r.original?.embeds[0]?.description).toContain('Source excerpt');
      await waitForOutput(run, /index reloaded/);
      const after = await askAndWait('When was the Zephyrine accord on lunar tea signed?');
      expect(after.original?.embeds[0]?.description ?? '').toContain('Zephyrine');

      // A rebuild that fails (a file that is not UTF-8) publishes nothing; SIGHUP keeps the index that works.
      await writeFile(join(corpus, 'broken.txt'), Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x6f]));
      const failed = runMain(
        dir,
        { ...baseEnv, ...env, DATA_DIR: dir },
        join(ROOT, 'src', 'cli', 'ingest.ts'),
      );
      expect((await failed.exited).code).toBe(1);
      expect(failed.out()).toContain('broken.txt');
      run.child.kill('SIGHUP');
      await waitForOutput(run, /reload failed|kept the old index|keeping/i);
      const still = await askAndWait('When was the Zephyrine accord on lunar tea signed?');
      expect(still.original?.embeds[0]?.description ?? '').toContain('Zephyrine');
    } finally {
      await stopBot(run);
    }
  }, 60_000);
});

describe('SIGTERM in the middle of a burst', () => {
  it('finishes the answers in flight, tells later ones privately it is restarting, and exits 0 within 10 s', async () => {
    const run = await startBot({ INDEX_DIR: goodIndex });
    const ask = (question: string, n: number) =>
      discord.slashCommand({
        name: 'ask',
        options: { question },
        user: discord.createUser({ username: `t${n}` }),
      });
    const first = Array.from({ length: 200 }, (_, n) =>
      ask('Which transport hubs connect Kazakhstan and China?', n),
    );
    await discord.waitUntil(
      () => (first.some((i) => discord.interaction(i.id)?.callbackType !== undefined) ? true : undefined),
      10_000,
      'the first answer',
    );
    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    await waitForOutput(run, /finishing answers in flight|shutting down/);
    const late = Array.from({ length: 5 }, (_, n) => ask('Are you there?', 1000 + n));
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    const text = (id: string) => {
      const r = discord.interaction(id);
      return `${r?.original?.content ?? ''} ${JSON.stringify(r?.original?.embeds ?? [])}`;
    };
    // Every question of the burst got its answer (none lost to the shutdown).
    for (const i of first) expect(text(i.id)).toMatch(/Source excerpt|restarting/i);
    expect(first.filter((i) => text(i.id).includes('Source excerpt')).length).toBeGreaterThan(0);
    // The ones that reached the bot while it was draining were told, privately, to try again shortly (the
    // in-process e2e suite checks this path deterministically; here the race with the exit decides how many).
    for (const i of late.filter((l) => discord.interaction(l.id)?.callbackType !== undefined)) {
      const r = discord.interaction(i.id);
      expect(r?.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect((r?.original?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      expect(text(i.id)).toMatch(/restarting/i);
    }
    expect(run.out()).not.toContain(TOKEN);
  }, 30_000);
});

describe('kill -9 while feedback is being written', () => {
  it('keeps every line written before intact; at most the line in flight is lost', async () => {
    const file = join(dir, 'feedback-kill.jsonl');
    const writer = spawn(
      process.execPath,
      ['--import', TSX, join(ROOT, 'tests', 'support', 'feedback-writer.ts'), file],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      writer.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 200));
    writer.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    const last = lines.pop()!; // '' when the last write was complete, else the torn line in flight
    expect(lines.length).toBeGreaterThan(10);
    lines.forEach((line, n) => {
      const record = JSON.parse(line) as { answerKey: string };
      expect(record.answerKey).toBe(`k${n}`);
    });
    if (last !== '') expect(() => JSON.parse(last) as unknown).toThrow();
    const { records, skipped } = await readFeedback(file);
    expect(records).toHaveLength(lines.length);
    expect(skipped).toBe(last === '' ? 0 : 1);
  });
});
