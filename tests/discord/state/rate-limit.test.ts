import { describe, expect, it } from 'vitest';
import { RateLimits } from '../../../src/discord/state/rate-limit.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateLimits', () => {
  it('given 3 per minute per user, allows 3 and refuses the 4th with the wait until the oldest expires', () => {
    const c = clock();
    const limits = new RateLimits({ userPerMinute: 3, channelPerMinute: 0 }, c.now);
    expect(limits.take('u', 'c').ok).toBe(true);
    c.advance(10_000);
    expect(limits.take('u', 'c').ok).toBe(true);
    expect(limits.take('u', 'c').ok).toBe(true);
    c.advance(5_000);
    const refused = limits.take('u', 'c');
    expect(refused).toEqual({ ok: false, scope: 'user', retryAfterSeconds: 45, firstRefusal: true });
  });

  it('slides: a slot frees exactly when the oldest hit leaves the window', () => {
    const c = clock();
    const limits = new RateLimits({ userPerMinute: 1, channelPerMinute: 0 }, c.now);
    expect(limits.take('u', 'c').ok).toBe(true);
    c.advance(59_999);
    expect(limits.take('u', 'c').ok).toBe(false);
    c.advance(1);
    expect(limits.take('u', 'c').ok).toBe(true);
  });

  it('keeps users apart', () => {
    const limits = new RateLimits({ userPerMinute: 1, channelPerMinute: 0 }, clock().now);
    expect(limits.take('a', 'c').ok).toBe(true);
    expect(limits.take('b', 'c').ok).toBe(true);
    expect(limits.take('a', 'c').ok).toBe(false);
  });

  it('limits a channel across users, and a refusal by the channel does not use the user budget', () => {
    const c = clock();
    const limits = new RateLimits({ userPerMinute: 2, channelPerMinute: 2 }, c.now);
    expect(limits.take('a', 'c').ok).toBe(true);
    expect(limits.take('b', 'c').ok).toBe(true);
    const refused = limits.take('a', 'c');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.scope).toBe('channel');
    // 'a' has used one slot, not two: it still may ask once elsewhere.
    expect(limits.take('a', 'other').ok).toBe(true);
    expect(limits.take('a', 'third').ok).toBe(false);
  });

  it('given 0, never limits', () => {
    const limits = new RateLimits({ userPerMinute: 0, channelPerMinute: 0 }, clock().now);
    for (let i = 0; i < 1000; i++) expect(limits.take('u', 'c').ok).toBe(true);
  });

  it('reports the first refusal in a window once, so mentions notify once', () => {
    const c = clock();
    const limits = new RateLimits({ userPerMinute: 1, channelPerMinute: 0 }, c.now);
    limits.take('u', 'c');
    const first = limits.take('u', 'c');
    const second = limits.take('u', 'c');
    expect(first.ok === false && first.firstRefusal).toBe(true);
    expect(second.ok === false && second.firstRefusal).toBe(false);
    c.advance(60_000);
    expect(limits.take('u', 'c').ok).toBe(true);
    const again = limits.take('u', 'c');
    expect(again.ok === false && again.firstRefusal).toBe(true);
  });
});
