import { describe, expect, it } from 'vitest';
import type { AnswerResult, AskOptions, Engine } from '../../../src/answer/types.js';
import { SwappableEngine } from '../../../src/discord/engine/engine-holder.js';
import { EngineScheduler, ScheduledEngine, ScheduledEngines } from '../../../src/discord/engine/scheduler.js';

/** Keeps the CPU busy for `ms`, as the engine's synchronous work does. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

const scheduler = (fastAboveMs = 100, initialCostMs = { full: 10, fast: 1 }) =>
  new EngineScheduler({ fastAboveMs, initialCostMs });

/** An engine whose `ask` records its calls and answers with the question; everything else is unused. */
function recordingEngine(costMs = 0): { engine: Engine; calls: { question: string; options: AskOptions }[] } {
  const calls: { question: string; options: AskOptions }[] = [];
  const unused = () => {
    throw new Error('not used');
  };
  const engine: Engine = {
    ask(question, options = {}) {
      calls.push({ question, options });
      spin(costMs);
      return Promise.resolve({
        answered: false,
        question,
        answer: '',
        reason: 'no-match',
        confidence: 0,
        sources: [],
        notes: [],
      } satisfies AnswerResult);
    },
    search: () => Promise.resolve([]),
    brief: (topic) => Promise.resolve({ topic, groups: [], found: false }),
    lookup: unused,
    topics: () => ['t'],
    documents: () => [],
    passage: () => null,
    passageById: () => null,
    info: unused,
    checkClaim: unused,
  };
  return { engine, calls };
}

describe('EngineScheduler', () => {
  it('given several jobs, runs them one at a time in arrival order', async () => {
    const s = scheduler();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`start ${name}`);
      await Promise.resolve();
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([s.run('ask', 'full', job('a')), s.run('ask', 'fast', job('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(s.stats).toMatchObject({ jobs: 2, full: 1, fast: 1 });
  });

  it('given a failing job, rejects its caller and still runs the next', async () => {
    const s = scheduler();
    const failing = s.run('ask', 'full', () => Promise.reject(new Error('boom')));
    const next = s.run('ask', 'full', () => Promise.resolve('ok'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });

  it('given 60 jobs of 5 ms queued at once, lets a timer due meanwhile fire long before the last job', async () => {
    const s = scheduler();
    const order: string[] = [];
    const jobs = Array.from({ length: 60 }, (_, n) =>
      s.run('ask', 'full', () => {
        spin(5);
        order.push(`job ${n}`);
        return Promise.resolve();
      }),
    );
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push('timer');
        resolve();
      }, 20),
    );
    await Promise.all([...jobs, timer]);
    // 300 ms of work; the timer runs within a time slice (15 ms) of being due, not after all of it.
    expect(order.indexOf('timer')).toBeGreaterThan(0);
    expect(order.indexOf('timer')).toBeLessThan(20);
  });

  it('given nothing queued, chooses full mode, unless the request itself is already older than the limit', () => {
    const s = scheduler(100);
    expect(s.modeFor('ask')).toBe('full');
    expect(s.busy(50)).toBe(false);
    expect(s.busy(150)).toBe(true);
  });

  it('given a backlog, chooses full mode while queue × cost stays under the limit, then fast', async () => {
    const s = scheduler(100, { full: 10, fast: 1 });
    const modes: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = s.run('ask', 'full', () => gate);
    const rest: Promise<void>[] = [];
    for (let n = 0; n < 20; n++) {
      const mode = s.modeFor('ask');
      modes.push(mode);
      rest.push(s.run('ask', mode, () => Promise.resolve()));
    }
    release();
    await Promise.all([first, ...rest]);
    // 10 ms each: the first job and nine more full ones fill the 100 ms; every later one is fast.
    expect(modes.slice(0, 9)).toEqual(Array(9).fill('full'));
    expect(modes.slice(9)).toEqual(Array(11).fill('fast'));
  });

  it('measures what jobs cost and predicts the wait from the latest estimates', async () => {
    const s = scheduler(1000, { full: 100, fast: 100 });
    await s.run('ask', 'fast', () => Promise.resolve(spin(2)));
    expect(s.costMs('ask', 'fast')).toBeLessThan(20);
    expect(s.costMs('search', 'fast')).toBe(s.costMs('ask', 'fast'));
    expect(s.predictedWaitMs()).toBe(0);
  });

  it('given a running job far past its estimate, says the wait cannot be predicted', async () => {
    const s = scheduler(100, { full: 1, fast: 1 });
    let release!: () => void;
    const slow = s.run('ask', 'full', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((r) => setTimeout(r, 40));
    expect(s.depth).toBe(1);
    expect(s.predictedWaitMs()).toBe(Number.POSITIVE_INFINITY);
    expect(s.busy()).toBe(true);
    release();
    await slow;
    expect(s.depth).toBe(0);
    expect(s.busy()).toBe(false);
  });
});

describe('ScheduledEngine', () => {
  it('given identical questions waiting together, asks the engine once and gives everyone the same answer', async () => {
    const { engine, calls } = recordingEngine();
    const scheduled = new ScheduledEngine(engine, scheduler());
    const same = await Promise.all([
      scheduled.ask('When was the pipeline built?', { mode: 'full' }),
      scheduled.ask('When was the pipeline built?', { mode: 'full' }),
      scheduled.ask('When was the pipeline built?', { mode: 'fast' }),
      scheduled.ask('When was the pipeline built?', { mode: 'full', context: ['Oil?'] }),
    ]);
    expect(calls.map((c) => [c.options.mode, c.options.context ?? []])).toEqual([
      ['full', []],
      ['fast', []],
      ['full', ['Oil?']],
    ]);
    expect(same[0]).toBe(same[1]);
    // Once answered, the same question is asked again (no cache across time).
    await scheduled.ask('When was the pipeline built?', { mode: 'full' });
    expect(calls).toHaveLength(4);
  });

  it('given no mode, asks the scheduler for one and passes it to the engine', async () => {
    const { engine, calls } = recordingEngine();
    const scheduled = new ScheduledEngine(engine, scheduler());
    await scheduled.ask('What about trade?');
    expect(calls[0]!.options.mode).toBe('full');
  });

  it('passes the cheap methods straight through', () => {
    const { engine } = recordingEngine();
    const s = scheduler();
    expect(new ScheduledEngine(engine, s).topics()).toEqual(['t']);
    expect(s.stats.jobs).toBe(0);
  });
});

describe('ScheduledEngines', () => {
  it('wraps the current engine once, and the new one after a swap', async () => {
    const first = recordingEngine();
    const second = recordingEngine();
    const holder = new SwappableEngine(first.engine);
    const engines = new ScheduledEngines(holder, scheduler());
    const a = engines.current();
    expect(engines.current()).toBe(a);
    holder.swap(second.engine);
    const b = engines.current();
    expect(b).not.toBe(a);
    await Promise.all([a.ask('q', { mode: 'full' }), b.ask('q', { mode: 'full' })]);
    expect(first.calls).toHaveLength(1);
    expect(second.calls).toHaveLength(1);
  });
});
