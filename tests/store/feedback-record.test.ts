import { describe, expect, it } from 'vitest';
import { hashUserId, latestVotes, parseFeedbackLines } from '../../src/store/feedback-record.js';
import type { FeedbackRecord } from '../../src/store/feedback-record.js';

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

describe('parseFeedbackLines', () => {
  it('given well-formed lines, a malformed one and a torn last one, keeps the well-formed with their line numbers and counts the others', () => {
    const text = [
      JSON.stringify(record()),
      '',
      JSON.stringify({ ...record(), vote: 'sideways' }),
      JSON.stringify(record({ answerKey: 'k2' })),
      '{"time":"2025-',
    ].join('\n');
    const { lines, skipped } = parseFeedbackLines(text);
    expect(lines.map((l) => [l.line, l.record.answerKey])).toEqual([
      [0, 'k1'],
      [3, 'k2'],
    ]);
    expect(skipped).toBe(2);
  });
});
