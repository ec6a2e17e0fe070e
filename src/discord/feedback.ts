import { createHash } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Vote } from './custom-id.js';

/**
 * One 👍/👎 click, one line of `feedback.jsonl`.
 *
 * The file is an append-only log: a user who changes their mind adds a line, and the LAST line for a
 * (`userHash`, `answerKey`) pair is the vote that counts (`latestVotes`). Nothing is rewritten in place, so a crash
 * can at worst lose or truncate the line being written; `readFeedback` skips a torn last line.
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

const recordSchema = z.object({
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

/**
 * Appends feedback lines to a file, one at a time: each line is written with a single `write` on a file opened for
 * appending and then `fsync`ed before the click is acknowledged, so `kill -9` loses at most the line in flight.
 */
export class FeedbackLog {
  private handle: Promise<FileHandle> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(readonly path: string) {}

  /** Appends one record and resolves once it is on disk. Concurrent calls are written in call order. */
  append(record: FeedbackRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('feedback log is closed'));
    const line = `${JSON.stringify(record)}\n`;
    const write = this.queue.then(async () => {
      const fh = await this.open();
      await fh.write(line);
      await fh.sync();
    });
    this.queue = write.catch(() => undefined);
    return write;
  }

  /** Waits for pending writes and closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle).close();
  }

  private open(): Promise<FileHandle> {
    this.handle ??= (async () => {
      await mkdir(dirname(this.path), { recursive: true });
      return open(this.path, 'a');
    })();
    // A failed open is retried on the next append rather than cached.
    this.handle.catch(() => {
      this.handle = null;
    });
    return this.handle;
  }
}

/** Reads every well-formed line of a feedback file; malformed or torn lines are counted, not thrown. */
export async function readFeedback(path: string): Promise<{ records: FeedbackRecord[]; skipped: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0 };
    throw err;
  }
  const records: FeedbackRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(line));
      if (parsed.success) records.push(parsed.data);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

/** The vote that counts per (user, answer): the last one in file order. Keyed by `${userHash}:${answerKey}`. */
export function latestVotes(records: readonly FeedbackRecord[]): Map<string, FeedbackRecord> {
  const latest = new Map<string, FeedbackRecord>();
  for (const r of records) {
    const k = `${r.userHash}:${r.answerKey}`;
    latest.delete(k);
    latest.set(k, r);
  }
  return latest;
}
