import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCustomId, parseCustomId } from '../../../src/discord/components/custom-id.js';
import type { ButtonAction } from '../../../src/discord/components/custom-id.js';

const key = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
const n = fc.integer({ min: 0, max: 9_999_999 });

const action: fc.Arbitrary<ButtonAction> = fc.oneof(
  key.map((k) => ({ kind: 'more' as const, key: k })),
  key.map((k) => ({ kind: 'full' as const, key: k })),
  key.map((k) => ({ kind: 'thread' as const, key: k })),
  fc
    .tuple(fc.constantFrom('up' as const, 'down' as const), key)
    .map(([vote, k]) => ({ kind: 'vote' as const, vote, key: k })),
  fc.tuple(key, n).map(([docKey, ordinal]) => ({ kind: 'src' as const, docKey, ordinal })),
  fc.tuple(key, n).map(([k, page]) => ({ kind: 'look' as const, key: k, page })),
);

describe('custom-id codec', () => {
  it('round-trips every action within 100 characters', () => {
    fc.assert(
      fc.property(action, (a) => {
        const id = encodeCustomId(a);
        expect(id.length).toBeLessThanOrEqual(100);
        expect(id.startsWith('fn:')).toBe(true);
        expect(parseCustomId(id)).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes the documented forms', () => {
    expect(encodeCustomId({ kind: 'more', key: 'abc' })).toBe('fn:more:abc');
    expect(encodeCustomId({ kind: 'vote', vote: 'down', key: 'abc' })).toBe('fn:vote:down:abc');
    expect(encodeCustomId({ kind: 'src', docKey: 'd1', ordinal: 4 })).toBe('fn:src:d1:4');
    expect(encodeCustomId({ kind: 'look', key: 'k', page: 2 })).toBe('fn:look:k:2');
  });

  it.each([
    '',
    'fn',
    'fn:',
    'fn:more',
    'fn:more:',
    'fn:more:a:b',
    'fn:vote:sideways:k',
    'fn:src:k:-1',
    'fn:src:k:01',
    'fn:src:k:1.5',
    'fn:look:k:99999999',
    'fn:nope:k',
    'xx:more:k',
    'fn:more:has space',
    'fn:more:' + 'a'.repeat(33),
    'fn:more:' + 'a'.repeat(200),
  ])('rejects %j without throwing', (id) => {
    expect(parseCustomId(id)).toBeNull();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const parsed = parseCustomId(s);
        if (parsed !== null) expect(encodeCustomId(parsed)).toBe(s);
      }),
    );
  });

  it('refuses to encode a key the parser would reject', () => {
    expect(() => encodeCustomId({ kind: 'more', key: 'bad:key' })).toThrow();
    expect(() => encodeCustomId({ kind: 'src', docKey: 'k', ordinal: -1 })).toThrow();
  });
});
