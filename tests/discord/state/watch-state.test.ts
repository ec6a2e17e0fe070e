import { describe, expect, it } from 'vitest';
import { WatchState } from '../../../src/discord/state/watch-state.js';

describe('WatchState', () => {
  it('given a message id seen before, says it is not the first time', () => {
    const state = new WatchState(6);
    expect(state.firstTime('1')).toBe(true);
    expect(state.firstTime('1')).toBe(false);
    expect(state.firstTime('2')).toBe(true);
  });

  it('given 2 replies an hour, refuses the third in a channel until an hour has passed, other channels unaffected', () => {
    let now = 0;
    const state = new WatchState(2, () => now);
    expect(state.take(state.replies, 'a')).toBe(true);
    expect(state.take(state.replies, 'a')).toBe(true);
    expect(state.take(state.replies, 'a')).toBe(false);
    expect(state.take(state.replies, 'b')).toBe(true);
    now = 3_600_001;
    expect(state.take(state.replies, 'a')).toBe(true);
  });

  it('given a limit of 0, never refuses', () => {
    const state = new WatchState(0);
    for (let i = 0; i < 100; i++) expect(state.take(state.replies, 'a')).toBe(true);
  });
});
