/**
 * The store's schema, as numbered migrations applied in order at start (see `openStore`). A migration is never
 * edited once released: a change to the schema is a new migration with the next number. The numbers applied are
 * recorded in `schema_version`, and a database whose highest number is above the last one here is refused.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'feedback votes',
    sql: `
      CREATE TABLE feedback_votes (
        id          INTEGER PRIMARY KEY,
        time        TEXT    NOT NULL,
        guild_id    TEXT,
        channel_id  TEXT    NOT NULL,
        user_hash   TEXT    NOT NULL,
        answer_key  TEXT    NOT NULL,
        question    TEXT    NOT NULL,
        passage_ids TEXT    NOT NULL, -- JSON array of passage ids
        answered    INTEGER NOT NULL CHECK (answered IN (0, 1)),
        vote        TEXT    NOT NULL CHECK (vote IN ('up', 'down')),
        -- for votes imported from feedback.jsonl: "<line>:<sha256 of the line>", so an import run twice adds nothing
        import_key  TEXT    UNIQUE
      );
      CREATE INDEX feedback_votes_time ON feedback_votes (time);
    `,
  },
  {
    version: 2,
    name: 'watched channels and server options',
    sql: `
      CREATE TABLE watched_channels (
        guild_id   TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        since      TEXT NOT NULL, -- ISO 8601: messages older than this are never checked
        by_user    TEXT NOT NULL, -- the Discord id of the moderator who turned the watch on
        PRIMARY KEY (guild_id, channel_id)
      );
      CREATE TABLE guild_options (
        guild_id   TEXT NOT NULL,
        key        TEXT NOT NULL,
        value      TEXT NOT NULL, -- JSON
        updated_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, key)
      );
    `,
  },
  {
    version: 3,
    name: 'refused questions and feedback imports',
    sql: `
      CREATE TABLE refusals (
        id         INTEGER PRIMARY KEY,
        time       TEXT NOT NULL,
        guild_id   TEXT,
        channel_id TEXT NOT NULL,
        question   TEXT NOT NULL
      );
      CREATE INDEX refusals_time ON refusals (time);
      CREATE TABLE feedback_imports (
        file        TEXT    PRIMARY KEY,
        size        INTEGER NOT NULL,
        sha256      TEXT    NOT NULL,
        rows        INTEGER NOT NULL,
        imported_at TEXT    NOT NULL
      );
    `,
  },
];

/** The schema version this code writes: the last migration's number. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
