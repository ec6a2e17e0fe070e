import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FeedbackRecord } from '../store/feedback-record.js';

// Votes are stored in the SQLite store (src/store); the record and the JSONL reader live there and are re-exported
// here for the callers of this module.
export type { FeedbackRecord } from '../store/feedback-record.js';
export { hashUserId, latestVotes, readFeedback } from '../store/feedback-record.js';
export type { FeedbackSink } from '../store/feedback-store.js';

/**
 * The JSONL feedback log that earlier versions wrote (the store imports such a file once, see
 * `importFeedbackFile`). Appends feedback lines to a file, one at a time: each line is written with a single `write` on a file opened for
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
