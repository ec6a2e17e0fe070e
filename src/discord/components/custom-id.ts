import { z } from 'zod';

/**
 * The one codec for button custom_ids. Every id starts with `fn:` and stays within Discord's 100 characters:
 *
 * - `fn:more:<key>` More sources of a stored answer
 * - `fn:full:<key>` Full passage of a stored answer
 * - `fn:thread:<key>` Discuss in thread
 * - `fn:vote:up|down:<key>` feedback
 * - `fn:src:<docKey>:<ordinal>` step `/source` to a passage (0-based ordinal)
 * - `fn:look:<key>:<page>` a page of a stored `/lookup` (0-based page)
 *
 * `key` refers to the bot's in-memory answer store; it may have expired (after a restart, or when evicted), which
 * the button handler must treat as an ordinary outcome.
 */
export type ButtonAction =
  | { readonly kind: 'more'; readonly key: string }
  | { readonly kind: 'full'; readonly key: string }
  | { readonly kind: 'thread'; readonly key: string }
  | { readonly kind: 'vote'; readonly vote: Vote; readonly key: string }
  | { readonly kind: 'src'; readonly docKey: string; readonly ordinal: number }
  | { readonly kind: 'look'; readonly key: string; readonly page: number };

export type Vote = 'up' | 'down';

/** Discord's limit on a custom_id. */
export const CUSTOM_ID_MAX = 100;

const PREFIX = 'fn';
const key = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
const index = z
  .string()
  .regex(/^(0|[1-9]\d{0,6})$/)
  .transform(Number);

const schema = z.union([
  z.tuple([z.literal('more'), key]).transform(([, k]) => ({ kind: 'more' as const, key: k })),
  z.tuple([z.literal('full'), key]).transform(([, k]) => ({ kind: 'full' as const, key: k })),
  z.tuple([z.literal('thread'), key]).transform(([, k]) => ({ kind: 'thread' as const, key: k })),
  z
    .tuple([z.literal('vote'), z.enum(['up', 'down']), key])
    .transform(([, vote, k]) => ({ kind: 'vote' as const, vote, key: k })),
  z
    .tuple([z.literal('src'), key, index])
    .transform(([, docKey, ordinal]) => ({ kind: 'src' as const, docKey, ordinal })),
  z
    .tuple([z.literal('look'), key, index])
    .transform(([, k, page]) => ({ kind: 'look' as const, key: k, page })),
]);

/** Encodes an action as a custom_id. Throws on a key or number the parser would reject: a programming error. */
export function encodeCustomId(action: ButtonAction): string {
  const parts = ((): (string | number)[] => {
    switch (action.kind) {
      case 'more':
      case 'full':
      case 'thread':
        return [action.kind, action.key];
      case 'vote':
        return ['vote', action.vote, action.key];
      case 'src':
        return ['src', action.docKey, action.ordinal];
      case 'look':
        return ['look', action.key, action.page];
    }
  })();
  const id = [PREFIX, ...parts].join(':');
  if (id.length > CUSTOM_ID_MAX || parseCustomId(id) === null) {
    throw new Error(`custom_id cannot encode ${JSON.stringify(action)}`);
  }
  return id;
}

/** Parses a custom_id, or returns null for anything that is not a well-formed Footnote id. */
export function parseCustomId(id: string): ButtonAction | null {
  if (id.length > CUSTOM_ID_MAX) return null;
  const [prefix, ...rest] = id.split(':');
  if (prefix !== PREFIX) return null;
  const parsed = schema.safeParse(rest);
  return parsed.success ? parsed.data : null;
}
