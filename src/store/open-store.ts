import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { FootnoteError } from '../errors.js';
import { FeedbackStore, importFeedbackFile } from './feedback-store.js';
import type { FeedbackImport } from './feedback-store.js';
import { MIGRATIONS } from './migrations.js';
import type { Migration } from './migrations.js';
import { SettingsStore } from './settings-store.js';

/** The database file's name under DATA_DIR. */
export const STORE_FILE = 'footnote.db';

export interface OpenStoreOptions {
  /** The folder that holds the database (DATA_DIR); created if missing. */
  readonly dataDir: string;
  /** The database's file name in `dataDir` (default `footnote.db`). */
  readonly file?: string;
  /** The migrations to apply (default: all of them). Tests pass a prefix to build an older schema. */
  readonly migrations?: readonly Migration[];
  /**
   * How long a statement waits for another process's lock before the store gives up (ms, default 2000). At start a
   * lock held longer than this is reported as STORE_LOCKED.
   */
  readonly busyTimeoutMs?: number;
  /**
   * The `feedback.jsonl` written by earlier versions, imported once (default `dataDir/feedback.jsonl`); `null` skips.
   */
  readonly importFeedbackFrom?: string | null;
  readonly now?: () => number;
}

/**
 * The bot's own database: per-server settings and feedback, in one SQLite file under DATA_DIR (WAL journal, `fsync`
 * on every commit). Every write is one transaction, so a crash or `kill -9` loses nothing that was committed.
 */
export class Store {
  readonly feedback: FeedbackStore;
  readonly settings: SettingsStore;
  private closed = false;

  /** Use `openStore`. */
  constructor(
    readonly path: string,
    private readonly db: Database.Database,
    /** The schema version after the migrations. */
    readonly schemaVersion: number,
    now: () => number,
  ) {
    this.feedback = new FeedbackStore(db, now);
    this.settings = new SettingsStore(db, now);
  }

  /** The import of `feedback.jsonl` done at this start, if there was one to do. */
  imported: FeedbackImport | null = null;

  /** Closes the database (idempotent); later calls on the store throw. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.feedback.markClosed();
    this.db.close();
  }
}

/**
 * Opens (creating if needed) the database, checks it, applies the missing migrations in one transaction and imports
 * an existing `feedback.jsonl` once.
 *
 * Throws FootnoteError, whose message names the file and the fix: STORE_CORRUPT (not a database or damaged),
 * STORE_LOCKED (another process holds a lock), STORE_SCHEMA_NEWER (written by a newer Footnote),
 * STORE_UNAVAILABLE (the folder or file cannot be opened or written).
 */
export function openStore(options: OpenStoreOptions): Store {
  const path = resolve(options.dataDir, options.file ?? STORE_FILE);
  const migrations = options.migrations ?? MIGRATIONS;
  const now = options.now ?? Date.now;
  let db: Database.Database | undefined;
  try {
    mkdirSync(options.dataDir, { recursive: true });
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 2000 });
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (mode.toLowerCase() !== 'wal') {
      throw new FootnoteError(
        'STORE_UNAVAILABLE',
        `${path}: could not turn on the WAL journal (got "${mode}").`,
      );
    }
    db.pragma('synchronous = FULL');
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new FootnoteError('STORE_CORRUPT', corruptMessage(path, check));
    const version = migrate(db, path, migrations, now);
    const store = new Store(path, db, version, now);
    const jsonl =
      options.importFeedbackFrom === undefined
        ? join(options.dataDir, 'feedback.jsonl')
        : options.importFeedbackFrom;
    if (jsonl !== null) store.imported = importFeedbackFile(db, jsonl, now);
    return store;
  } catch (err) {
    try {
      db?.close();
    } catch {
      // the original fault is the one to report
    }
    throw storeError(err, path);
  }
}

/** Applies the migrations not yet recorded in `schema_version`, all in one transaction; returns the version. */
function migrate(
  db: Database.Database,
  path: string,
  migrations: readonly Migration[],
  now: () => number,
): number {
  const known = migrations[migrations.length - 1]?.version ?? 0;
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > known) {
      throw new FootnoteError(
        'STORE_SCHEMA_NEWER',
        `${path} has schema version ${current}, newer than this Footnote knows (${known}): it was written by a newer ` +
          'version. Run that version (git pull && npm ci), or set DATA_DIR to another folder. Do not delete the file: ' +
          'it holds the feedback and the server settings.',
      );
    }
    const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date(now()).toISOString());
    }
    return Math.max(current, known);
  });
  return run.immediate();
}

function corruptMessage(path: string, detail: string): string {
  return (
    `${path} is not a readable Footnote database (${detail}). Stop the bot, move the file aside ` +
    `(mv "${path}" "${path}.bad", with its -wal and -shm files if present) and start again: a new database is ` +
    'created and feedback.jsonl, if present, is imported again; watched channels and server options must be set again.'
  );
}

/** Turns a SQLite or file-system error at start into a FootnoteError that says what to do. */
function storeError(err: unknown, path: string): FootnoteError {
  if (err instanceof FootnoteError) return err;
  const code = (err as { code?: unknown }).code;
  const detail = err instanceof Error ? err.message : String(err);
  if (
    code === 'SQLITE_NOTADB' ||
    code === 'SQLITE_CORRUPT' ||
    (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))
  ) {
    return new FootnoteError('STORE_CORRUPT', corruptMessage(path, detail), { cause: err });
  }
  if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
    return new FootnoteError(
      'STORE_LOCKED',
      `${path} is locked by another process (${detail}). Is another Footnote running with the same DATA_DIR? ` +
        'Stop it (or give this one another DATA_DIR) and start again.',
      { cause: err },
    );
  }
  return new FootnoteError(
    'STORE_UNAVAILABLE',
    `Cannot open the database ${path} (${detail}). Check that DATA_DIR exists and is writable by the bot's user, ` +
      'and that the disk is not full.',
    { cause: err },
  );
}
