import type { RepliableInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { Trace } from '../../src/discord/context.js';
import { notice as renderNotice } from '../../src/discord/views/reply.js';
import type { Reply } from '../../src/discord/views/reply.js';
import { answerWithin, send } from '../../src/discord/respond.js';

/** A stand-in for a discord.js interaction that records the calls made on it, in order. */
function fakeInteraction(): { interaction: RepliableInteraction; log: string[]; bodies: unknown[] } {
  const log: string[] = [];
  const bodies: unknown[] = [];
  const state = { deferred: false, replied: false };
  const fake = {
    get deferred() {
      return state.deferred;
    },
    get replied() {
      return state.replied;
    },
    reply(body: unknown) {
      log.push('reply');
      bodies.push(body);
      state.replied = true;
      return Promise.resolve();
    },
    deferReply(body: unknown) {
      log.push('defer');
      bodies.push(body);
      state.deferred = true;
      return Promise.resolve();
    },
    editReply(body: unknown) {
      log.push('edit');
      bodies.push(body);
      state.replied = true;
      return Promise.resolve();
    },
    followUp(body: unknown) {
      log.push('followUp');
      bodies.push(body);
      return Promise.resolve();
    },
  };
  return { interaction: fake as unknown as RepliableInteraction, log, bodies };
}

const answer = renderNotice('answer');
const after = (ms: number, log?: string[]): Promise<Reply> =>
  new Promise((resolve) =>
    setTimeout(() => {
      log?.push('computed');
      resolve(answer);
    }, ms),
  );

describe('answerWithin', () => {
  it('given an answer ready within the budget, answers in the first response', async () => {
    const { interaction, log, bodies } = fakeInteraction();
    const trace = new Trace(Date.now());
    await answerWithin(interaction, trace, () => after(10), { ephemeral: false, budgetMs: 200 });
    expect(log).toEqual(['reply']);
    expect(bodies[0]).toEqual(answer);
    expect(trace.deferred).toBe(false);
    expect(trace.ackAt).not.toBeNull();
  });

  it('given a slow answer, defers when the budget runs out, then edits the answer in', async () => {
    const { interaction, log } = fakeInteraction();
    const trace = new Trace(Date.now());
    const started = Date.now();
    await answerWithin(interaction, trace, () => after(250, log), { ephemeral: false, budgetMs: 50 });
    expect(log).toEqual(['defer', 'computed', 'edit']);
    expect(trace.deferred).toBe(true);
    expect(trace.ackAt! - started).toBeLessThan(200);
  });

  it('given an interaction already past its budget on arrival, defers before computing', async () => {
    const { interaction, log } = fakeInteraction();
    const now = Date.now();
    const trace = new Trace(now, now - 2000);
    await answerWithin(
      interaction,
      trace,
      () => {
        log.push('compute started');
        return after(0);
      },
      { ephemeral: false, budgetMs: 1500 },
    );
    expect(log).toEqual(['defer', 'compute started', 'edit']);
  });

  it('given private, chooses ephemeral in the first response and in the deferral', async () => {
    const direct = fakeInteraction();
    await answerWithin(direct.interaction, new Trace(Date.now()), () => after(0), {
      ephemeral: true,
      budgetMs: 200,
    });
    expect(direct.bodies[0]).toMatchObject({ flags: 64 });
    const late = fakeInteraction();
    await answerWithin(late.interaction, new Trace(Date.now()), () => after(100), {
      ephemeral: true,
      budgetMs: 10,
    });
    expect(late.bodies[0]).toEqual({ flags: 64 });
  });

  it('given a computation that fails in time, rethrows without answering', async () => {
    const { interaction, log } = fakeInteraction();
    await expect(
      answerWithin(interaction, new Trace(Date.now()), () => Promise.reject(new Error('boom')), {
        ephemeral: false,
        budgetMs: 100,
      }),
    ).rejects.toThrow('boom');
    expect(log).toEqual([]);
  });

  it('given a computation that throws synchronously, rethrows without answering', async () => {
    const { interaction, log } = fakeInteraction();
    await expect(
      answerWithin(
        interaction,
        new Trace(Date.now()),
        () => {
          throw new Error('sync boom');
        },
        { ephemeral: false, budgetMs: 100 },
      ),
    ).rejects.toThrow('sync boom');
    expect(log).toEqual([]);
  });

  it('given a computation that fails after the deferral, rethrows once deferred so the catch can edit', async () => {
    const { interaction, log } = fakeInteraction();
    const failLate = () =>
      new Promise<Reply>((_, reject) => setTimeout(() => reject(new Error('late boom')), 80));
    await expect(
      answerWithin(interaction, new Trace(Date.now()), failLate, { ephemeral: false, budgetMs: 10 }),
    ).rejects.toThrow('late boom');
    expect(log).toEqual(['defer']);
    expect(interaction.deferred).toBe(true);
  });
});

describe('answerWithin with the engine queue', () => {
  const queue = (depth: number, waitMs: number) => ({ depth, predictedWaitMs: () => waitMs });

  it('given a queue that predicts the answer well before 2.5 s, keeps waiting past the budget and replies', async () => {
    const { interaction, log } = fakeInteraction();
    const trace = new Trace(Date.now());
    await answerWithin(interaction, trace, () => after(120, log), {
      ephemeral: false,
      budgetMs: 20,
      queue: queue(3, 100),
    });
    expect(log).toEqual(['computed', 'reply']);
    expect(trace.deferred).toBe(false);
  });

  it('given an interaction past its budget on arrival and a queue that predicts it in time, computes first', async () => {
    const { interaction, log } = fakeInteraction();
    const now = Date.now();
    await answerWithin(interaction, new Trace(now, now - 1600), () => after(10, log), {
      ephemeral: false,
      budgetMs: 1500,
      queue: queue(50, 300),
    });
    expect(log).toEqual(['computed', 'reply']);
  });

  it('given a queue that predicts the answer after 2.5 s, defers at the budget', async () => {
    const { interaction, log } = fakeInteraction();
    await answerWithin(interaction, new Trace(Date.now()), () => after(120, log), {
      ephemeral: false,
      budgetMs: 20,
      queue: queue(300, 5000),
    });
    expect(log).toEqual(['defer', 'computed', 'edit']);
  });

  it('given an empty queue (a lone slow answer, or a budget of 0), defers as without a queue', async () => {
    const slow = fakeInteraction();
    await answerWithin(slow.interaction, new Trace(Date.now()), () => after(120, slow.log), {
      ephemeral: false,
      budgetMs: 20,
      queue: queue(0, 0),
    });
    expect(slow.log).toEqual(['defer', 'computed', 'edit']);
    const zero = fakeInteraction();
    await answerWithin(zero.interaction, new Trace(Date.now()), () => after(0, zero.log), {
      ephemeral: false,
      budgetMs: 0,
      queue: queue(0, 0),
    });
    expect(zero.log).toEqual(['defer', 'computed', 'edit']);
  });

  it('given a queue that predicts in time but an answer still missing at 2.5 s, defers then', async () => {
    const { interaction, log } = fakeInteraction();
    const now = Date.now();
    // Created 2.4 s ago: 100 ms to the point where it must be acknowledged.
    const trace = new Trace(now, now - 2400);
    await answerWithin(interaction, trace, () => after(300, log), {
      ephemeral: false,
      budgetMs: 1500,
      queue: queue(2, 10),
    });
    expect(log).toEqual(['defer', 'computed', 'edit']);
    expect(trace.ackAt! - now).toBeLessThan(250);
  });
});

describe('send', () => {
  it('replies first, edits a deferral, and follows up after that', async () => {
    const fresh = fakeInteraction();
    await send(fresh.interaction, new Trace(Date.now()), answer, true);
    expect(fresh.log).toEqual(['reply']);
    expect(fresh.bodies[0]).toMatchObject({ flags: 64 });

    const deferred = fakeInteraction();
    await deferred.interaction.deferReply();
    await send(deferred.interaction, new Trace(Date.now()), answer, true);
    await send(deferred.interaction, new Trace(Date.now()), answer, true);
    expect(deferred.log).toEqual(['defer', 'edit', 'followUp']);
  });
});

describe('Trace', () => {
  it('starts the clock at the creation time when it is earlier, never later than arrival', () => {
    expect(new Trace(10_000, 7_000).startedAt).toBe(7_000);
    expect(new Trace(10_000, 12_000).startedAt).toBe(10_000);
    expect(new Trace(10_000, Number.NaN).startedAt).toBe(10_000);
  });
});
