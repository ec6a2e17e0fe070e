import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedbackLog, hashUserId, latestVotes, readFeedback } from '../../src/discord/feedback.js';
import type { FeedbackRecord } from '../../src/discord/feedback.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-feedback-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(over: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return {
    time: new Date(0).toISOString(),
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

describe('FeedbackLog', () => {
  it('writes one JSON line per vote, creating the folder, and reads them back', async () => {
    const path = join(dir, 'nested', 'feedback.jsonl');
    const log = new FeedbackLog(path);
    await log.append(record());
    await log.append(record({ vote: 'down', answerKey: 'k2' }));
    await log.close();
    const text = await readFile(path, 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    const { records, skipped } = await readFeedback(path);
    expect(skipped).toBe(0);
    expect(records).toEqual([record(), record({ vote: 'down', answerKey: 'k2' })]);
  });

  it('keeps concurrent appends whole and in call order', async () => {
    const path = join(dir, 'feedback.jsonl');
    const log = new FeedbackLog(path);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(record({ answerKey: `k${i}` }))));
    await log.close();
    const { records } = await readFeedback(path);
    expect(records.map((r) => r.answerKey)).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`));
  });

  it('appends to an existing file', async () => {
    const path = join(dir, 'feedback.jsonl');
    const first = new FeedbackLog(path);
    await first.append(record());
    await first.close();
    const second = new FeedbackLog(path);
    await second.append(record({ vote: 'down' }));
    await second.close();
    expect((await readFeedback(path)).records.map((r) => r.vote)).toEqual(['up', 'down']);
  });

  it('given a torn last line, reads every complete line and counts the torn one', async () => {
    const path = join(dir, 'feedback.jsonl');
    const log = new FeedbackLog(path);
    await log.append(record());
    await log.close();
    await appendFile(path, '{"time":"2025-');
    const { records, skipped } = await readFeedback(path);
    expect(records).toHaveLength(1);
    expect(skipped).toBe(1);
  });

  it('given no file, reads nothing', async () => {
    expect(await readFeedback(join(dir, 'none.jsonl'))).toEqual({ records: [], skipped: 0 });
  });

  it('rejects appends after close', async () => {
    const log = new FeedbackLog(join(dir, 'f.jsonl'));
    await log.close();
    await expect(log.append(record())).rejects.toThrow();
  });
});

describe('latestVotes', () => {
  it('keeps one vote per user per answer, the last one', () => {
    const alice = hashUserId('1');
    const bob = hashUserId('2');
    const votes = latestVotes([
      record({ userHash: alice, vote: 'up' }),
      record({ userHash: bob, vote: 'up' }),
      record({ userHash: alice, vote: 'down' }),
      record({ userHash: alice, answerKey: 'other', vote: 'up' }),
    ]);
    expect(votes.size).toBe(3);
    expect(votes.get(`${alice}:k1`)?.vote).toBe('down');
    expect(votes.get(`${bob}:k1`)?.vote).toBe('up');
  });

  it('hashes user ids with SHA-256 and never stores the id', () => {
    expect(hashUserId('123')).toBe('a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3');
    expect(JSON.stringify(record())).not.toContain('200000000000000001');
  });
});
