import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { latestVotes, parseFeedbackLines } from './feedback-record.js';
import type { FeedbackRecord } from './feedback-record.js';

/** Where the bot hands feedback: one record per click, resolved once committed. */
export interface FeedbackSink {
  /** Stores one vote; resolves once it is committed (on disk). Rejects after `close`. */
  append(record: FeedbackRecord): Promise<void>;
  /** Notes a question the bot refused, for the report of what the documents miss; false when it could not. */
  recordRefusal(record: RefusalRecord): boolean;
  /** Refuses further votes. Idempotent. */
  close(): Promise<void>;
}

/** A question the bot said the documents do not answer. */
export interface RefusalRecord {
  /** ISO 8601. */
  readonly time: string;
  readonly guildId: string | null;
  readonly channelId: string;
  readonly question: string;
}

/** One question in the feedback report; questions are grouped case- and whitespace-insensitively. */
export interface QuestionCount {
  /** The question as last asked. */
  readonly question: string;
  /** Down-votes that count (each user's last vote per answer). */
  readonly down: number;
  readonly up: number;
  /** Times the bot refused it (refusals logged, and voted answers that were refusals). */
  readonly refused: number;
  /** ISO 8601 time of the latest vote or refusal. */
  readonly last: string;
}

export interface FeedbackReport {
  /** Questions with at least one down-vote, most down-votes first. */
  readonly downVoted: QuestionCount[];
  /** Questions the bot refused, most often first: what the documents are missing. */
  readonly refused: QuestionCount[];
  readonly votes: number;
  readonly refusals: number;
}

/** The result of importing `feedback.jsonl`. */
export interface FeedbackImport {
  readonly file: string;
  /** Lines read this time (0 when the same file was imported before). */
  readonly read: number;
  /** Rows added (an import run again adds none). */
  readonly added: number;
  /** Malformed or torn lines. */
  readonly skipped: number;
}

const INSERT_VOTE = `INSERT INTO feedback_votes
  (time, guild_id, channel_id, user_hash, answer_key, question, passage_ids, answered, vote, import_key)
  VALUES (@time, @guildId, @channelId, @userHash, @answerKey, @question, @passageIds, @answered, @vote, @importKey)`;

interface VoteRow {
  time: string;
  guild_id: string | null;
  channel_id: string;
  user_hash: string;
  answer_key: string;
  question: string;
  passage_ids: string;
  answered: number;
  vote: 'up' | 'down';
}

/**
 * Feedback votes and refused questions in the store. Writes are synchronous SQLite transactions committed with
 * `fsync` (a few ms); the promise of `append` only keeps the interface of the older JSONL log.
 */
export class FeedbackStore implements FeedbackSink {
  private closed = false;
  private insertVoteStatement: Database.Statement | undefined;
  private insertRefusalStatement: Database.Statement | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  // Prepared on first use: a store opened with older migrations (tests) may not have every table.
  private get insertVote(): Database.Statement {
    return (this.insertVoteStatement ??= this.db.prepare(INSERT_VOTE));
  }

  private get insertRefusal(): Database.Statement {
    return (this.insertRefusalStatement ??= this.db.prepare(
      'INSERT INTO refusals (time, guild_id, channel_id, question) VALUES (?, ?, ?, ?)',
    ));
  }

  append(record: FeedbackRecord): Promise<void> {
    try {
      this.assertOpen();
      this.db.transaction(() => this.insertVote.run(voteParams(record, null)))();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Notes a question the bot refused; never throws (the answer matters more than the note). */
  recordRefusal(record: RefusalRecord): boolean {
    try {
      this.assertOpen();
      this.db.transaction(() =>
        this.insertRefusal.run(record.time, record.guildId, record.channelId, record.question),
      )();
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** @internal Called by `Store.close`. */
  markClosed(): void {
    this.closed = true;
  }

  /** Every vote in the order it was stored, optionally only those at or after `since` (ISO 8601). */
  votes(since?: string): FeedbackRecord[] {
    this.assertOpen();
    const rows = this.db
      .prepare(`SELECT * FROM feedback_votes WHERE time >= ? ORDER BY id`)
      .all(since ?? '') as VoteRow[];
    return rows.map(toRecord);
  }

  /** Refused questions logged at or after `since` (ISO 8601), oldest first. */
  refusals(since?: string): RefusalRecord[] {
    this.assertOpen();
    const rows = this.db
      .prepare('SELECT time, guild_id, channel_id, question FROM refusals WHERE time >= ? ORDER BY id')
      .all(since ?? '') as { time: string; guild_id: string | null; channel_id: string; question: string }[];
    return rows.map((r) => ({
      time: r.time,
      guildId: r.guild_id,
      channelId: r.channel_id,
      question: r.question,
    }));
  }

  /**
   * The most down-voted and the most refused questions since `since` (ISO 8601), `limit` of each. Only each user's
   * last vote on an answer counts.
   */
  report(since: string, limit = 10): FeedbackReport {
    const votes = [...latestVotes(this.votes(since)).values()];
    const refusals = this.refusals(since);
    const byQuestion = new Map<
      string,
      { question: string; down: number; up: number; refused: Set<string>; last: string }
    >();
    const entry = (question: string, time: string) => {
      const key = question.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
      let e = byQuestion.get(key);
      if (!e) byQuestion.set(key, (e = { question, down: 0, up: 0, refused: new Set(), last: time }));
      if (time >= e.last) {
        e.last = time;
        e.question = question;
      }
      return e;
    };
    for (const v of votes) {
      const e = entry(v.question, v.time);
      if (v.vote === 'down') e.down++;
      else e.up++;
      if (!v.answered) e.refused.add(`answer:${v.answerKey}`);
    }
    refusals.forEach((r, i) => entry(r.question, r.time).refused.add(`refusal:${i}`));
    const all = [...byQuestion.values()].map((e) => ({
      question: e.question,
      down: e.down,
      up: e.up,
      refused: e.refused.size,
      last: e.last,
    }));
    return {
      downVoted: all
        .filter((q) => q.down > 0)
        .sort((a, b) => b.down - a.down || a.up - b.up || b.last.localeCompare(a.last))
        .slice(0, limit),
      refused: all
        .filter((q) => q.refused > 0)
        .sort((a, b) => b.refused - a.refused || b.last.localeCompare(a.last))
        .slice(0, limit),
      votes: votes.length,
      refusals: refusals.length,
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('feedback store is closed');
  }
}

/**
 * Imports a `feedback.jsonl` written by an earlier version, once: the file's size and hash are recorded, so the same
 * file is not read again, and every line is keyed by its number and hash (`INSERT OR IGNORE`), so an import run again,
 * or of the same file with lines added since, adds only what is new. All in one transaction. Returns null when there
 * is no such file.
 */
export function importFeedbackFile(
  db: Database.Database,
  path: string,
  now: () => number,
): FeedbackImport | null {
  const file = resolve(path);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const done = db.prepare('SELECT 1 FROM feedback_imports WHERE file = ? AND sha256 = ?').get(file, sha256);
  if (done !== undefined) return { file, read: 0, added: 0, skipped: 0 };
  const { lines, skipped } = parseFeedbackLines(bytes.toString('utf8'));
  const insert = db.prepare(INSERT_VOTE.replace('INSERT INTO', 'INSERT OR IGNORE INTO'));
  const run = db.transaction(() => {
    let added = 0;
    for (const l of lines) {
      const key = `${l.line}:${createHash('sha256').update(l.text).digest('hex')}`;
      added += insert.run(voteParams(l.record, key)).changes;
    }
    db.prepare(
      `INSERT INTO feedback_imports (file, size, sha256, rows, imported_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (file) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, rows = excluded.rows,
       imported_at = excluded.imported_at`,
    ).run(file, size, sha256, lines.length, new Date(now()).toISOString());
    return added;
  });
  const added = run.immediate();
  return { file, read: lines.length, added, skipped };
}

function voteParams(r: FeedbackRecord, importKey: string | null): Record<string, unknown> {
  return {
    time: r.time,
    guildId: r.guildId,
    channelId: r.channelId,
    userHash: r.userHash,
    answerKey: r.answerKey,
    question: r.question,
    passageIds: JSON.stringify(r.passageIds),
    answered: r.answered ? 1 : 0,
    vote: r.vote,
    importKey,
  };
}

function toRecord(r: VoteRow): FeedbackRecord {
  return {
    time: r.time,
    guildId: r.guild_id,
    channelId: r.channel_id,
    userHash: r.user_hash,
    answerKey: r.answer_key,
    question: r.question,
    passageIds: JSON.parse(r.passage_ids) as string[],
    answered: r.answered === 1,
    vote: r.vote,
  };
}
