import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFootnoteError } from '../../src/errors.js';
import { hashUserId, latestVotes } from '../../src/store/feedback-record.js';
import type { FeedbackRecord } from '../../src/store/feedback-record.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openStore, STORE_FILE } from '../../src/store/open-store.js';
import type { OpenStoreOptions, Store } from '../../src/store/open-store.js';
import { ROOT, TSX } from '../../src/testing/run-main.js';

let dir: string;
const opened: Store[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-store-'));
});
afterEach(async () => {
  for (const s of opened.splice(0)) s.close();
  await rm(dir, { recursive: true, force: true });
});

function openIn(options: Partial<OpenStoreOptions> = {}): Store {
  const store = openStore({ dataDir: dir, ...options });
  opened.push(store);
  return store;
}

function record(over: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return {
    time: '2025-03-01T10:00:00.000Z',
    guildId: '100000000000000001',
    channelId: '100000000000000002',
    userHash: hashUserId('200000000000000001'),
    answerKey: 'k1',
    question: 'When was it "signed"?\nNewline @everyone',
    passageIds: ['a.md#0-aaaaaaaa', 'a.md#1-bbbbbbbb'],
    answered: true,
    vote: 'up',
    ...over,
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

function tables(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('given an empty folder, creates the database in WAL mode with every migration recorded', () => {
    const store = openIn();
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.path).toBe(join(dir, STORE_FILE));
    store.close();
    const db = new Database(join(dir, STORE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare('SELECT version FROM schema_version ORDER BY version').all() as {
      version: number;
    }[];
    db.close();
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(tables(join(dir, STORE_FILE))).toEqual(
      expect.arrayContaining([
        'feedback_votes',
        'watched_channels',
        'guild_options',
        'refusals',
        'schema_version',
      ]),
    );
  });

  it('given a database of an older schema with data, applies the missing migrations and keeps the data', async () => {
    const old = openIn({ migrations: MIGRATIONS.slice(0, 1) });
    expect(old.schemaVersion).toBe(1);
    await old.feedback.append(record());
    old.close();
    expect(tables(join(dir, STORE_FILE))).not.toContain('watched_channels');

    const store = openIn();
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.feedback.votes()).toEqual([record()]);
    store.settings.watch('g', 'c', 'mod');
    expect(store.settings.watched('g', 'c')?.by).toBe('mod');
  });

  it('opening again applies nothing twice', () => {
    openIn().close();
    const again = openIn();
    expect(again.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('given a database written by a newer version, refuses it and says what to do', () => {
    openIn().close();
    const db = new Database(join(dir, STORE_FILE));
    db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 'x')").run();
    db.close();
    const err = thrown(() => openIn());
    expect(isFootnoteError(err, 'STORE_SCHEMA_NEWER')).toBe(true);
    expect((err as Error).message).toMatch(/schema version 99.*newer.*git pull/s);
  });
});

describe('a bad or locked database at start', () => {
  it('given a file that is not a database, refuses it naming the file and the fix', async () => {
    await writeFile(join(dir, STORE_FILE), 'this is not a database, just some text '.repeat(200));
    const err = thrown(() => openIn());
    expect(isFootnoteError(err, 'STORE_CORRUPT')).toBe(true);
    expect((err as Error).message).toContain(join(dir, STORE_FILE));
    expect((err as Error).message).toMatch(/mv .*\.bad/);
  });

  it('given a database with damaged pages, refuses it', async () => {
    const store = openIn();
    for (let i = 0; i < 300; i++)
      await store.feedback.append(record({ answerKey: `k${i}`, question: 'q'.repeat(500) }));
    store.close();
    const fh = await open(join(dir, STORE_FILE), 'r+');
    // Keep the 100-byte header, overwrite pages 2.. with garbage.
    await fh.write(Buffer.alloc(20_000, 0xa5), 0, 20_000, 4096);
    await fh.close();
    const err = thrown(() => openIn());
    expect(isFootnoteError(err, 'STORE_CORRUPT')).toBe(true);
  });

  it('given a database another process holds locked, says so and what to do', () => {
    openIn().close();
    const other = new Database(join(dir, STORE_FILE));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const err = thrown(() => openIn({ busyTimeoutMs: 50 }));
      expect(isFootnoteError(err, 'STORE_LOCKED')).toBe(true);
      expect((err as Error).message).toMatch(/another Footnote.*DATA_DIR/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('given a folder that cannot be created, says the database cannot be opened', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const err = thrown(() => openStore({ dataDir: join(dir, 'file', 'sub') }));
    expect(isFootnoteError(err, 'STORE_UNAVAILABLE')).toBe(true);
  });
});

describe('feedback', () => {
  it('stores votes in order and reads them back; the last vote per user and answer counts', async () => {
    const store = openIn();
    const alice = hashUserId('1');
    await store.feedback.append(record({ userHash: alice, vote: 'up' }));
    await store.feedback.append(record({ userHash: alice, vote: 'down' }));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.feedback.append(record({ answerKey: `k${i + 2}` }))),
    );
    const votes = store.feedback.votes();
    expect(votes).toHaveLength(22);
    expect(votes[0]).toEqual(record({ userHash: alice, vote: 'up' }));
    expect(latestVotes(votes).get(`${alice}:k1`)?.vote).toBe('down');
    expect(JSON.stringify(votes)).not.toContain('200000000000000001');
  });

  it('rejects votes after close', async () => {
    const store = openIn();
    await store.feedback.close();
    await expect(store.feedback.append(record())).rejects.toThrow(/closed/);
  });

  it('reports the most down-voted and the most refused questions since a time', async () => {
    const store = openIn();
    const u = (n: number) => hashUserId(String(n));
    for (const n of [1, 2, 3])
      await store.feedback.append(
        record({ userHash: u(n), answerKey: 'a', question: 'Bad answer?', vote: 'down' }),
      );
    await store.feedback.append(
      record({ userHash: u(1), answerKey: 'b', question: 'So-so answer', vote: 'down' }),
    );
    await store.feedback.append(
      record({ userHash: u(2), answerKey: 'b', question: 'so-so   ANSWER', vote: 'up' }),
    );
    // changed their mind: only the last vote counts
    await store.feedback.append(record({ userHash: u(3), answerKey: 'c', question: 'Fine', vote: 'down' }));
    await store.feedback.append(record({ userHash: u(3), answerKey: 'c', question: 'Fine', vote: 'up' }));
    await store.feedback.append(
      record({ answerKey: 'old', question: 'Too old', vote: 'down', time: '2024-01-01T00:00:00.000Z' }),
    );
    for (let i = 0; i < 3; i++) {
      store.feedback.recordRefusal({
        time: '2025-03-02T00:00:00.000Z',
        guildId: 'g',
        channelId: 'c',
        question: 'What about tariffs?',
      });
    }
    store.feedback.recordRefusal({
      time: '2025-03-02T00:00:00.000Z',
      guildId: 'g',
      channelId: 'c',
      question: 'Visa rules?',
    });
    await store.feedback.append(
      record({ answerKey: 'r', question: 'Visa rules?', answered: false, vote: 'down' }),
    );

    const report = store.feedback.report('2025-01-01T00:00:00.000Z');
    expect(report.downVoted.map((q) => [q.question, q.down, q.up])).toEqual([
      ['Bad answer?', 3, 0],
      ['Visa rules?', 1, 0],
      ['so-so   ANSWER', 1, 1],
    ]);
    expect(report.refused.map((q) => [q.question, q.refused])).toEqual([
      ['What about tariffs?', 3],
      ['Visa rules?', 2],
    ]);
  });
});

describe('importing feedback.jsonl', () => {
  const jsonl = () =>
    [record(), record({ vote: 'down' }), record({ answerKey: 'k2', vote: 'down' })]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n{"time":"2025-';

  it('imports an existing feedback.jsonl on first start, skipping a torn line', async () => {
    await writeFile(join(dir, 'feedback.jsonl'), jsonl());
    const store = openIn();
    expect(store.imported).toMatchObject({ read: 3, added: 3, skipped: 1 });
    expect(store.feedback.votes()).toEqual([
      record(),
      record({ vote: 'down' }),
      record({ answerKey: 'k2', vote: 'down' }),
    ]);
  });

  it('run twice (and again after its bookkeeping is lost) gives the same rows', async () => {
    await writeFile(join(dir, 'feedback.jsonl'), jsonl());
    const first = openIn();
    const rows = first.feedback.votes();
    first.close();
    const second = openIn();
    expect(second.imported).toMatchObject({ read: 0, added: 0 });
    expect(second.feedback.votes()).toEqual(rows);
    second.close();

    const db = new Database(join(dir, STORE_FILE));
    db.exec('DELETE FROM feedback_imports');
    db.close();
    const third = openIn();
    expect(third.imported).toMatchObject({ read: 3, added: 0 });
    expect(third.feedback.votes()).toEqual(rows);
  });

  it('a file that grew since (an older bot ran again) adds only the new lines', async () => {
    const path = join(dir, 'feedback.jsonl');
    await writeFile(path, `${JSON.stringify(record())}\n`);
    openIn().close();
    await appendFile(path, `${JSON.stringify(record({ answerKey: 'new' }))}\n`);
    const store = openIn();
    expect(store.imported).toMatchObject({ read: 2, added: 1 });
    expect(store.feedback.votes().map((v) => v.answerKey)).toEqual(['k1', 'new']);
  });

  it('given no feedback.jsonl, imports nothing', () => {
    expect(openIn().imported).toBeNull();
  });
});

describe('settings', () => {
  it('watched channels and options persist across restarts; a second watch keeps the first since', () => {
    let t = Date.parse('2025-03-01T00:00:00Z');
    const store = openIn({ now: () => t });
    expect(store.settings.watch('g', 'c1', 'mod1')).toEqual({
      guildId: 'g',
      channelId: 'c1',
      since: '2025-03-01T00:00:00.000Z',
      by: 'mod1',
    });
    t += 60_000;
    expect(store.settings.watch('g', 'c1', 'mod2').since).toBe('2025-03-01T00:00:00.000Z');
    store.settings.watch('g', 'c2', 'mod1');
    store.settings.watch('other', 'c9', 'mod1');
    store.settings.setOption('g', 'replyConfidence', 0.9);
    store.settings.setOption('g', 'languages', ['en', 'ru']);
    store.close();

    const again = openIn();
    expect(again.settings.watchedChannels('g').map((w) => w.channelId)).toEqual(['c1', 'c2']);
    expect(again.settings.unwatch('g', 'c1')).toBe(true);
    expect(again.settings.unwatch('g', 'c1')).toBe(false);
    expect(again.settings.watched('g', 'c1')).toBeNull();
    expect(again.settings.options('g')).toEqual({ languages: ['en', 'ru'], replyConfidence: 0.9 });
    again.settings.setOption('g', 'replyConfidence', undefined);
    expect(again.settings.option('g', 'replyConfidence')).toBeUndefined();
  });
});

describe('kill -9 while votes are being written', () => {
  it('keeps every committed row; the database opens clean', async () => {
    const writer = spawn(
      process.execPath,
      ['--import', TSX, join(ROOT, 'tests', 'support', 'store-writer.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    writer.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      writer.on('exit', (_code, signal) => resolve(signal)),
    );
    const deadline = Date.now() + 20_000;
    while (!/committed 50\n/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    writer.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const committed = [...out.matchAll(/committed (\d+)\n/g)].map((m) => Number(m[1]));
    const last = Math.max(...committed);
    expect(last).toBeGreaterThanOrEqual(50);
    const store = openIn({ importFeedbackFrom: null });
    const keys = store.feedback.votes().map((v) => v.answerKey);
    // Every vote the writer saw committed is there, in order, with nothing torn; at most the one in flight beyond.
    expect(keys.length).toBeGreaterThanOrEqual(last + 1);
    expect(keys.length).toBeLessThanOrEqual(last + 2);
    expect(keys).toEqual(keys.map((_, n) => `k${n}`));
    // The option is written in its own transaction after the vote: the last printed one is there at least.
    const counter = store.settings.option('1', 'counter') as number;
    expect(counter).toBeGreaterThanOrEqual(Math.floor(last / 10) * 10);
    expect(counter).toBeLessThanOrEqual(Math.floor((keys.length - 1) / 10) * 10);
    store.close();
    const db = new Database(join(dir, STORE_FILE), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 30_000);
});
