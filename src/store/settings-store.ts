import type Database from 'better-sqlite3';

/** A channel where the bot checks claims on its own (issue 9, point 4). */
export interface WatchedChannel {
  readonly guildId: string;
  readonly channelId: string;
  /** ISO 8601: messages older than this are never checked. */
  readonly since: string;
  /** The Discord id of the moderator who turned it on. */
  readonly by: string;
}

/** Per-server settings: watched channels and options (JSON values by key). Every write is one transaction. */
export class SettingsStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  /** Turns the watch on; a channel already watched keeps its `since`. Returns the watch in force. */
  watch(guildId: string, channelId: string, by: string): WatchedChannel {
    return this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO watched_channels (guild_id, channel_id, since, by_user) VALUES (?, ?, ?, ?)
           ON CONFLICT (guild_id, channel_id) DO NOTHING`,
          )
          .run(guildId, channelId, new Date(this.now()).toISOString(), by);
        return this.watched(guildId, channelId)!;
      })
      .immediate();
  }

  /** Turns the watch off; false when the channel was not watched. */
  unwatch(guildId: string, channelId: string): boolean {
    return this.db.transaction(
      () =>
        this.db
          .prepare('DELETE FROM watched_channels WHERE guild_id = ? AND channel_id = ?')
          .run(guildId, channelId).changes > 0,
    )();
  }

  /** The watch on a channel, or null. */
  watched(guildId: string, channelId: string): WatchedChannel | null {
    const row = this.db
      .prepare('SELECT * FROM watched_channels WHERE guild_id = ? AND channel_id = ?')
      .get(guildId, channelId) as WatchedRow | undefined;
    return row ? toWatched(row) : null;
  }

  /** Every watched channel of a server, oldest watch first. */
  watchedChannels(guildId: string): WatchedChannel[] {
    const rows = this.db
      .prepare('SELECT * FROM watched_channels WHERE guild_id = ? ORDER BY since, channel_id')
      .all(guildId) as WatchedRow[];
    return rows.map(toWatched);
  }

  /** A server's option, or undefined when it was never set. */
  option(guildId: string, key: string): unknown {
    const row = this.db
      .prepare('SELECT value FROM guild_options WHERE guild_id = ? AND key = ?')
      .get(guildId, key) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  /** Every option of a server. */
  options(guildId: string): Record<string, unknown> {
    const rows = this.db
      .prepare('SELECT key, value FROM guild_options WHERE guild_id = ? ORDER BY key')
      .all(guildId) as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  /** Sets a server's option to a JSON value; `undefined` removes it. */
  setOption(guildId: string, key: string, value: unknown): void {
    this.db.transaction(() => {
      if (value === undefined) {
        this.db.prepare('DELETE FROM guild_options WHERE guild_id = ? AND key = ?').run(guildId, key);
        return;
      }
      this.db
        .prepare(
          `INSERT INTO guild_options (guild_id, key, value, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        )
        .run(guildId, key, JSON.stringify(value), new Date(this.now()).toISOString());
    })();
  }
}

interface WatchedRow {
  guild_id: string;
  channel_id: string;
  since: string;
  by_user: string;
}

function toWatched(r: WatchedRow): WatchedChannel {
  return { guildId: r.guild_id, channelId: r.channel_id, since: r.since, by: r.by_user };
}
