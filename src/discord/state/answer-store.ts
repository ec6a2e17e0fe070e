import { randomBytes } from 'node:crypto';
import type { Source } from '../../answer/types.js';

/** What the bot remembers about an answer so its buttons and follow-ups work. */
export interface StoredAnswer {
  readonly kind: 'answer';
  readonly question: string;
  /** Earlier questions of the conversation (reply chain or thread), most recent last. */
  readonly context: readonly string[];
  readonly answered: boolean;
  /** The engine's sources, best first, as they were shown. */
  readonly sources: readonly Source[];
}

/** A `/lookup` whose pages the buttons step through. */
export interface StoredLookup {
  readonly kind: 'lookup';
  readonly term: string;
}

export type StoredEntry = StoredAnswer | StoredLookup;

/**
 * A bounded, in-memory LRU of answers keyed by short random ids (the keys inside button custom_ids).
 * Deliberately not persisted: after a restart old buttons answer "too old, ask again".
 */
export class AnswerStore {
  private readonly entries = new Map<string, StoredEntry>();

  /** @param capacity entries kept; the least recently used is dropped beyond it. */
  constructor(private readonly capacity = 5000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  /** Stores an entry and returns its key: 8 URL-safe characters. */
  put(entry: StoredEntry): string {
    let key = randomKey();
    while (this.entries.has(key)) key = randomKey();
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return key;
  }

  /** The entry for `key`, refreshed as recently used, or undefined when unknown or evicted. */
  get(key: string): StoredEntry | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}

function randomKey(): string {
  return randomBytes(6).toString('base64url');
}
