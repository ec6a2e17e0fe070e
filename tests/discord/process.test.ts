/**
 * The bot as an operator runs it: `src/main.ts` in a child process against the local Discord server, with the real
 * engine (n-gram embeddings) over a temporary index. A bad index at start, `npm run ingest` + SIGHUP while it runs
 * (and a failed rebuild), SIGHUP while it is still starting, SIGTERM in the middle of a burst; and, over all of it,
 * no ping and no token in any output or payload. (kill -9 while votes are written: tests/store/store.test.ts.)
 */
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, requireBotConfig } from '../../src/config.js';
import { registerCommands } from '../../src/discord/deploy.js';
import { buildIndex } from '../../src/index/build-index.js';
import { loadIndex } from '../../src/index/load-index.js';
import { LocalDiscord } from '../../src/testing/local-discord/index.js';
import type { InteractionRecord } from '../../src/testing/local-discord/index.js';
import { discordEnv, ROOT, runMain, waitForOutput } from '../../src/testing/run-main.js';
import type { Run } from '../../src/testing/run-main.js';
import { sentPayloads } from './world.js';

const TOKEN = `proc.${'Pr0cess'.repeat(10)}`;
const EPHEMERAL = 64;
const LOADING = 128;
const INGEST = join(ROOT, 'src', 'cli', 'ingest.ts');
const KNOWN = 'Which transport hubs connect Kazakhstan and China?';
const NEW_FACT = 'The Zephyrine accord on lunar tea was signed in Almaty in 2031 by twelve delegations.';
const NEW_QUESTION = 'When was the Zephyrine accord on lunar tea signed?';

let dir: string;
let goodIndex: string;
let baseEnv: Record<string, string>;
const discord = new LocalDiscord();
/** Every child process of this file, for the token check at the end. */
const runs: Run[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-process-'));
  const { apiUrl } = await discord.start();
  baseEnv = {
    ...discordEnv(discord, apiUrl, TOKEN),
    CORPUS_DIR: join(ROOT, 'corpus'),
    EMBEDDINGS: 'ngram',
    DATA_DIR: dir,
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_CHANNEL_PER_MINUTE: '0',
  };
  goodIndex = join(dir, 'good-index');
  await buildIndex({
    corpusDir: baseEnv.CORPUS_DIR!,
    indexDir: goodIndex,
    cacheDir: dir,
    embeddings: 'ngram',
  });
  await registerCommands(requireBotConfig(loadConfig({ ...baseEnv, INDEX_DIR: goodIndex })));
}, 60_000);

afterAll(async () => {
  for (const run of runs)
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  await discord.stop();
  await rm(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>, entry?: string): Run {
  const r = runMain(dir, { ...baseEnv, ...env }, entry);
  runs.push(r);
  return r;
}

async function startBot(env: Record<string, string>): Promise<Run> {
  const r = run(env);
  await waitForOutput(r, /Footnote is ready/, 30_000);
  return r;
}

async function stopBot(r: Run): Promise<void> {
  if (r.child.exitCode === null && r.child.signalCode === null) {
    r.child.kill('SIGTERM');
    await r.exited;
  }
}

/** A copy of the good index, and the path of its live version folder (named by `<index>/current`). */
async function copyIndex(name: string): Promise<{ indexDir: string; version: string }> {
  const indexDir = join(dir, name);
  await cp(goodIndex, indexDir, { recursive: true });
  const current = (await readFile(join(indexDir, 'current'), 'utf8')).trim();
  return { indexDir, version: join(indexDir, current) };
}

/** Dispatches /ask from a fresh user (no rate limit between them). */
let asker = 0;
function ask(question: string): string {
  return discord.slashCommand({
    name: 'ask',
    options: { question },
    user: discord.createUser({ username: `asker${asker++}` }),
  }).id;
}

function settled(id: string, timeoutMs = 10_000): Promise<InteractionRecord> {
  return discord.waitUntil(
    () => {
      const r = discord.interaction(id);
      if (r?.callbackType === undefined) return undefined;
      if (
        r.callbackType === InteractionResponseType.DeferredChannelMessageWithSource &&
        ((r.original?.flags ?? 0) & LOADING) !== 0
      )
        return undefined;
      return r;
    },
    timeoutMs,
    `the answer to ${id}`,
  );
}

/** What the user sees for an interaction: content and embed text. */
function text(r: InteractionRecord | undefined): string {
  return `${r?.original?.content ?? ''} ${JSON.stringify(r?.original?.embeds ?? [])}`;
}

async function answer(question: string): Promise<string> {
  return text(await settled(ask(question)));
}

/** The pino lines of a run's output. */
function logLines(r: Run): Record<string, unknown>[] {
  return r
    .out()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function editManifest(version: string, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const path = join(version, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  await writeFile(path, JSON.stringify(manifest, null, 2));
}

describe('an index that is missing at start', () => {
  it('is built, and the bot starts and answers', async () => {
    const r = await startBot({ INDEX_DIR: join(dir, 'fresh-index') });
    try {
      expect(r.out()).toContain('building it');
      expect(await answer(KNOWN)).toMatch(/> .*\\n— /);
    } finally {
      await stopBot(r);
    }
    expect((await r.exited).code).toBe(0);
  });
});

type Damage = (version: string, indexDir: string) => Promise<unknown>;

describe.concurrent(
  'a bad index at start: one clear line naming `npm run ingest`, exit 1, no stack trace',
  () => {
    const logins = () => discord.calls.filter((c) => c.route === 'getGatewayBot').length;
    let loginsBefore = 0;
    beforeAll(() => {
      loginsBefore = logins();
    });
    afterAll(() => {
      // None of them got as far as connecting to Discord.
      expect(logins()).toBe(loginsBefore);
    });

    const cases: [string, Damage, Record<string, string>, RegExp][] = [
      ['truncated (hnsw.bin cut)', (v) => truncate(join(v, 'hnsw.bin'), 100), {}, /hnsw\.bin .*truncated/],
      [
        'corrupt (bytes of hnsw.bin changed, same size)',
        async (v) => {
          const bytes = await readFile(join(v, 'hnsw.bin'));
          for (let k = 200; k < 400; k++) bytes[k] = bytes[k]! ^ 0xff;
          await writeFile(join(v, 'hnsw.bin'), bytes);
        },
        {},
        /hnsw\.bin .*corrupt \(checksum mismatch\)/,
      ],
      [
        'corrupt (passages.json cut)',
        async (v) => {
          const body = await readFile(join(v, 'passages.json'), 'utf8');
          await writeFile(join(v, 'passages.json'), body.slice(0, body.length / 2));
        },
        {},
        /passages\.json .*truncated/,
      ],
      [
        'from another embedding model (started with EMBEDDINGS=use)',
        () => Promise.resolve(),
        { EMBEDDINGS: 'use' },
        /built with model ngram-2048-v1, this run uses .*EMBEDDINGS=use/,
      ],
      [
        'from another embedding model (manifest names another model)',
        (v) => editManifest(v, (m) => (m.embedding = { model: 'minilm-l6-v2', dimension: 384 })),
        {},
        /built with model minilm-l6-v2, this run uses ngram-2048-v1/,
      ],
      [
        'from an older format (formatVersion 0)',
        (v) => editManifest(v, (m) => (m.formatVersion = 0)),
        {},
        /built by an older Footnote \(format 0\)/,
      ],
      [
        'with a corrupt `current` pointer',
        (_v, indexDir) => writeFile(join(indexDir, 'current'), '../../elsewhere\n'),
        {},
        /pointer .*current is corrupt/,
      ],
      [
        'whose live version folder is gone',
        (v) => rm(v, { recursive: true }),
        {},
        /v-[0-9TZ]+-[0-9a-f]+.* is missing/,
      ],
      [
        'whose live version lost its manifest.json',
        (v) => rm(join(v, 'manifest.json')),
        {},
        /has no manifest\.json/,
      ],
    ];

    it.each(cases)('given an index %s', async (name, damage, env, pattern) => {
      const { indexDir, version } = await copyIndex(`bad-${name.replace(/\W+/g, '-')}`);
      await damage(version, indexDir);
      const before = (await readdir(indexDir)).sort();
      const started = Date.now();
      const r = run({ INDEX_DIR: indexDir, ...env });
      const { code } = await r.exited;
      const out = r.out();
      expect(code, out).toBe(1);
      expect(out).toMatch(pattern);
      expect(out).toContain('npm run ingest');
      expect(out).not.toMatch(/^\s+at /m);
      // One message, once: no retry loop, no rebuild behind the operator's back.
      expect(out.match(/footnote: /g), out).toHaveLength(1);
      expect(out.trim().split('\n')).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await readdir(indexDir)).sort()).toEqual(before);

      // The fix it names works: what `npm run ingest` runs rebuilds it (not "already up to date"), and it loads.
      if (env.EMBEDDINGS === undefined) {
        const summary = await buildIndex({
          corpusDir: baseEnv.CORPUS_DIR!,
          indexDir,
          cacheDir: `${indexDir}-cache`,
          embeddings: 'ngram',
        });
        expect(summary.unchanged).toBe(false);
        await expect(loadIndex(indexDir, 'ngram')).resolves.toBeDefined();
      }
    });
  },
);

describe('npm run ingest while the bot runs', () => {
  it('switches on SIGHUP only, atomically, answering throughout; a failed rebuild keeps the old index and says why', async () => {
    const corpus = join(dir, 'live-corpus');
    await cp(join(ROOT, 'corpus'), corpus, { recursive: true });
    const { indexDir } = await copyIndex('live-index');
    const env = { CORPUS_DIR: corpus, INDEX_DIR: indexDir };
    const bot = await startBot(env);
    try {
      expect(await answer(NEW_QUESTION)).toContain('do not answer');

      await appendFile(join(corpus, 'kazakh-chinese-relations.txt'), `\n${NEW_FACT}\n`);
      const ingest = run(env, INGEST);
      expect((await ingest.exited).code, ingest.out()).toBe(0);
      // Not before SIGHUP: the bot keeps answering from the index it loaded.
      expect(await answer(NEW_QUESTION)).toContain('do not answer');

      // Questions asked just before, during and after the reload are all answered.
      const during = Array.from({ length: 20 }, () => ask(KNOWN));
      bot.child.kill('SIGHUP');
      during.push(...Array.from({ length: 20 }, () => ask(KNOWN)));
      await waitForOutput(bot, /index reloaded/);
      during.push(...Array.from({ length: 5 }, () => ask(KNOWN)));
      for (const r of await Promise.all(during.map((id) => settled(id))))
        expect(text(r)).toMatch(/> .*\\n— /);
      const after = await answer(NEW_QUESTION);
      expect(after).toContain('Zephyrine');
      expect(after).toMatch(/> .*\\n— /);

      // A rebuild that fails publishes nothing. A file that is not UTF-8 beside good ones would not fail it (ingest
      // skips the file with a warning); as the corpus's only document it leaves nothing to index (CORPUS_EMPTY).
      const current = await readFile(join(indexDir, 'current'), 'utf8');
      await rm(corpus, { recursive: true });
      await mkdir(corpus);
      await writeFile(join(corpus, 'broken.txt'), Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x6f]));
      const failed = run(env, INGEST);
      expect((await failed.exited).code).toBe(1);
      expect(failed.out()).toContain('broken.txt');
      expect(failed.out()).not.toMatch(/^\s+at /m);
      expect(await readFile(join(indexDir, 'current'), 'utf8')).toBe(current);
      // SIGHUP after it: a warning naming the problem, and the index that works keeps serving.
      bot.child.kill('SIGHUP');
      const warning = await discord.waitUntil(
        () => logLines(bot).find((l) => l.event === 'reload-failed'),
        10_000,
        'the reload-failed log line',
      );
      expect(Number(warning.level)).toBeGreaterThanOrEqual(40);
      expect(JSON.stringify(warning)).toContain('broken.txt');
      expect(String(warning.msg)).toMatch(/previous index/);
      expect(await answer(NEW_QUESTION)).toContain('Zephyrine');
      expect(bot.child.exitCode).toBeNull();
    } finally {
      await stopBot(bot);
    }
    expect((await bot.exited).code).toBe(0);
  }, 60_000);

  it('a SIGHUP while the bot is still building its first index does not kill it: it reloads once ready', async () => {
    const bot = run({ INDEX_DIR: join(dir, 'hup-index') });
    try {
      await waitForOutput(bot, /building it/);
      bot.child.kill('SIGHUP');
      await waitForOutput(bot, /Footnote is ready/);
      await waitForOutput(bot, /index reloaded/);
      expect(await answer(KNOWN)).toMatch(/> .*\\n— /);
    } finally {
      await stopBot(bot);
    }
    expect((await bot.exited).code).toBe(0);
  }, 30_000);

  it('a SIGHUP during a reload is not dropped: one more reload follows, so the bot ends on the index published last', async () => {
    const bot = await startBot({ INDEX_DIR: (await copyIndex('hup-twice-index')).indexDir });
    try {
      bot.child.kill('SIGHUP');
      await discord.waitUntil(
        () => (logLines(bot).some((l) => l.event === 'reload') ? true : undefined),
        10_000,
        'the reload to begin',
      );
      bot.child.kill('SIGHUP');
      await discord.waitUntil(
        () => (logLines(bot).filter((l) => l.event === 'reloaded').length >= 2 ? true : undefined),
        10_000,
        'a second reload',
      );
      const lines = logLines(bot);
      console.log(lines.filter((l) => String(l.event).startsWith('reload')).map((l) => [l.event, l.time]));
      expect(lines.filter((l) => l.event === 'reload-queued')).toHaveLength(1);
      expect(lines.filter((l) => l.event === 'reloaded')).toHaveLength(2);
    } finally {
      await stopBot(bot);
    }
  }, 30_000);
});

describe('SIGTERM in the middle of a burst', () => {
  it('finishes the answers in flight, tells later interactions privately it is restarting, and exits 0 within 10 s', async () => {
    const bot = await startBot({ INDEX_DIR: goodIndex });
    // The first 30 answers are held at Discord for 1.5 s: they are in flight when the signal arrives.
    let held = new Set<string>();
    const arrived = new Set<string>();
    discord.delayNext({
      route: (call) => {
        const id = call.params.interactionId ?? '';
        if (call.route !== 'interactionCallback' || !held.has(id)) return false;
        arrived.add(id);
        return true;
      },
      delayMs: 1500,
      times: 30,
    });
    held = new Set(Array.from({ length: 30 }, () => ask(KNOWN)));
    await discord.waitUntil(
      () => (arrived.size === held.size ? true : undefined),
      10_000,
      'the first 30 answers on their way',
    );
    // More arrive right at the signal: each is either answered or told to retry, none is lost.
    const racing = Array.from({ length: 30 }, () => ask(KNOWN));
    const signalledAt = Date.now();
    bot.child.kill('SIGTERM');
    await waitForOutput(bot, /finishing answers in flight/);
    const late = Array.from({ length: 5 }, () => ask(KNOWN));

    const { code } = await bot.exited;
    expect(code, bot.out()).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);

    for (const id of held) {
      const r = discord.interaction(id);
      expect(r?.callbackAt).toBeGreaterThan(signalledAt);
      expect(r?.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(text(r)).toMatch(/> .*\\n— /);
    }
    for (const id of racing) expect(text(discord.interaction(id))).toMatch(/> .*\\n— |restarting/);
    for (const id of late) {
      const r = discord.interaction(id);
      expect(r?.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect((r?.original?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      expect(r?.original?.content).toBe('Footnote is restarting, try again shortly.');
    }
    const line = logLines(bot).find((l) => l.event === 'interaction' && l.id === late[0]);
    expect(line).toMatchObject({ outcome: 'restarting' });
  }, 30_000);
});

describe('security over every run above', () => {
  it('pinged no one: every payload the bot processes sent carries allowed_mentions parse []', () => {
    const payloads = sentPayloads(discord);
    expect(payloads.length).toBeGreaterThan(100);
    for (const { call, raw } of payloads) expect(raw['allowed_mentions'], call.route).toEqual({ parse: [] });
  });

  it('never printed the token, nor sent it in a message', () => {
    expect(runs.length).toBeGreaterThan(10);
    for (const r of runs) expect(r.out()).not.toContain(TOKEN);
    for (const call of discord.calls) {
      expect(JSON.stringify(call.body ?? null)).not.toContain(TOKEN);
      expect(JSON.stringify(call.response ?? null)).not.toContain(TOKEN);
    }
  });
});
