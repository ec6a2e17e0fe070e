import { describe, expect, it } from 'vitest';
import type { BatchResult } from '../../src/bench/discord-bench.js';
import { distinctQuestions, drift, holds, PROBE_RATES, searchRate } from '../../src/bench/discord-bench.js';
import { sections } from '../../src/bench/sections.js';

/** The Discord section's pure parts. Its figures are printed by `npm run bench`; no timing is asserted here. */
describe('searchRate', () => {
  it('given a bot that holds up to 300/s, steps up until 320 fails, then halves the gap twice', async () => {
    const tried: number[] = [];
    const result = await searchRate((rate) => {
      tried.push(rate);
      return Promise.resolve(rate <= 300);
    });
    expect(tried).toEqual([20, 40, 80, 160, 320, 240, 280]);
    expect(result).toEqual({ best: 280, failed: 320 });
  });

  it('given a bot that holds every rate, stops at the last one without a failure', async () => {
    expect(await searchRate(() => Promise.resolve(true))).toEqual({
      best: PROBE_RATES.at(-1),
      failed: undefined,
    });
  });

  it('given a bot that holds none, reports 0 without halving', async () => {
    const tried: number[] = [];
    const result = await searchRate((rate) => {
      tried.push(rate);
      return Promise.resolve(false);
    });
    expect(tried).toEqual([20]);
    expect(result).toEqual({ best: 0, failed: 20 });
  });
});

describe('holds', () => {
  const base: BatchResult = {
    ack: [10, 20],
    answer: [10, 20],
    lost: 0,
    expired: 0,
    deferred: 0,
    achievedPerSecond: 100,
    modes: { full: 2, fast: 0 },
  };

  it('given every answer under 1 s at the offered rate, holds', () => {
    expect(holds(base, 100)).toBe(true);
  });

  it('given a p99 of 1 s, a lost or expired answer, a growing backlog or a generator that fell behind, does not hold', () => {
    expect(holds({ ...base, answer: [10, 1000] }, 100)).toBe(false);
    expect(holds({ ...base, lost: 1 }, 100)).toBe(false);
    expect(holds({ ...base, expired: 1 }, 100)).toBe(false);
    expect(holds({ ...base, driftMs: 250 }, 100)).toBe(false);
    expect(holds({ ...base, achievedPerSecond: 90 }, 100)).toBe(false);
  });
});

describe('drift', () => {
  it('given steady answer times, is about 0; given answer times that keep growing, is the growth', () => {
    expect(drift([20, 500, 500, 500, 500, 500])).toBe(0);
    expect(drift([100, 200, 300, 400, 500, 600])).toBe(200);
  });

  it('given unanswered questions at the end, is infinite; given too few questions, is 0', () => {
    expect(drift([10, 10, 10, undefined, undefined, undefined])).toBe(Number.POSITIVE_INFINITY);
    expect(drift([10, 20])).toBe(0);
  });
});

describe('distinctQuestions', () => {
  it('given 2 questions and count 5, cycles them, numbering the repeats', () => {
    expect(distinctQuestions(['a?', 'b?'], 5)).toEqual(['a?', 'b?', 'a? (1)', 'b? (1)', 'a? (2)']);
  });

  it('given no questions, returns none rather than looping forever', () => {
    expect(distinctQuestions([], 3)).toEqual([]);
  });
});

describe('sections', () => {
  it('end with the Discord section, after the engine sections', () => {
    expect(sections.at(-1)?.name).toBe('discord');
  });
});
