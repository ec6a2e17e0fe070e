import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A 👍 or 👎 on an answer. */
export type Vote = 'up' | 'down';

/**
 * One 👍/👎 click. Votes are kept as an append-only history: a user who changes their mind adds a record, and the
 * LAST record for a (`userHash`, `answerKey`) pair is the vote that counts (`latestVotes`).
 */
export interface FeedbackRecord {
  /** ISO 8601 time of the click. */
  readonly time: string;
  readonly guildId: string | null;
  readonly channelId: string;
  /** SHA-256 (hex) of the Discord user id: votes can be told apart without storing who voted. */
  readonly userHash: string;
  /** The answer's key: one vote per user per answer. */
  readonly answerKey: string;
  readonly question: string;
  readonly passageIds: readonly string[];
  readonly answered: boolean;
  readonly vote: Vote;
}

/** The shape of one line of the `feedback.jsonl` file that earlier versions wrote (and the store imports). */
export const feedbackRecordSchema = z.object({
  time: z.string(),
  guildId: z.string().nullable(),
  channelId: z.string(),
  userHash: z.string().regex(/^[0-9a-f]{64}$/),
  answerKey: z.string(),
  question: z.string(),
  passageIds: z.array(z.string()),
  answered: z.boolean(),
  vote: z.enum(['up', 'down']),
});

/** SHA-256 hex of a user id. */
export function hashUserId(userId: string): string {
  return createHash('sha256').update(userId).digest('hex');
}

/** A well-formed line of a feedback file, with its 0-based line number and the line's text as read. */
export interface FeedbackLine {
  readonly line: number;
  readonly text: string;
  readonly record: FeedbackRecord;
}

/** Parses the text of a feedback file: well-formed lines, and the count of malformed or torn ones. */
export function parseFeedbackLines(text: string): { lines: FeedbackLine[]; skipped: number } {
  const lines: FeedbackLine[] = [];
  let skipped = 0;
  text.split('\n').forEach((line, n) => {
    if (line.trim() === '') return;
    try {
      const parsed = feedbackRecordSchema.safeParse(JSON.parse(line));
      if (parsed.success) lines.push({ line: n, text: line, record: parsed.data });
      else skipped++;
    } catch {
      skipped++;
    }
  });
  return { lines, skipped };
}

/** The vote that counts per (user, answer): the last one in order. Keyed by `${userHash}:${answerKey}`. */
export function latestVotes(records: readonly FeedbackRecord[]): Map<string, FeedbackRecord> {
  const latest = new Map<string, FeedbackRecord>();
  for (const r of records) {
    const k = `${r.userHash}:${r.answerKey}`;
    latest.delete(k);
    latest.set(k, r);
  }
  return latest;
}
