import type { ClaimCheck } from '../../answer/claims.js';
import { cleanQuestion } from '../../answer/sanitize.js';
import type {
  AnswerResult,
  AskOptions,
  Brief,
  Engine,
  EngineMode,
  SearchOptions,
  Source,
} from '../../answer/types.js';
import { splitSentences } from '../../corpus/text.js';
import type { EngineHolder } from './engine-holder.js';

/**
 * One queue for the engine's expensive work (ask, search, brief, claim checks): jobs run one at a time, back to back for a time
 * slice of 15 ms, then the scheduler yields a turn of the event loop (`setImmediate`) to timers, gateway frames and
 * REST responses.
 *
 * Why (measured with USE on 2 cores, the bot process against the local Discord server):
 * - The work is synchronous CPU on the main thread: a `full` question ~10.5 ms (the query embedding is ~10 ms of
 *   it, a blocking wasm pass), a `fast` one ~0.5 ms. Run concurrently, hundreds of questions interleave as promise
 *   continuations (microtasks) and the event loop does not get back to timers and sockets between them: before
 *   this queue, 300 simultaneous `/search` made the 1.5 s "defer now" timer fire ~0.6 s late (acknowledgements at
 *   2.1 s) and 300 `/ask` + 100 `/search` + 100 `/brief` + 100 mentions at once took acknowledgements to 2.75 s,
 *   close to Discord's 3 s. With the queue a timer waits at most one slice and one job (the mixed burst:
 *   acknowledgements p99 1.3 s, every answer in the first response). Yielding after every job instead of every
 *   slice was measured worse: 1000 `/ask` at once were answered one loop turn at a time, and most were deferred.
 * - The mode is chosen per job from the predicted wait (queued jobs × their measured cost, plus the measured
 *   length of the yields): `full` while the request's age, the wait and the job stay under `fastAboveMs`, `fast`
 *   beyond. Bursts keep some full answers (about 20 of 50 at once at the default budget) and 300 at once are
 *   still answered in the first response; the fixed "more than 16 handlers in flight" rule this replaces also
 *   counted handlers that were only waiting on Discord (100 mention replies queued behind the REST budget count
 *   as 100, with the CPU idle). The cost: under sustained load the queue is allowed to reach `fastAboveMs`,
 *   so answers then take ~0.5 s rather than ~20 ms, with more of them in `full` mode.
 * - Identical requests waiting together (same engine, question, context, count and mode) are computed once
 *   (a class asking the same question at once: 300 `/ask` of 8 questions were all answered in `full` mode).
 *   Results are immutable data, so sharing them is safe. Nothing is cached once answered.
 *
 * Worker threads were not used: the engine work of 1000 simultaneous `/ask` is ~0.6 s of the bot's ~1.5 s of CPU
 * (the rest is discord.js, HTTP and GC), and a worker would load a second copy of the model and index (~300 MB).
 */
export interface EngineSchedulerOptions {
  /** Predicted backlog (ms) above which new work uses `fast` mode. */
  readonly fastAboveMs: number;
  /** Cost estimates (ms) before the first measurements. Default: full 20, fast 2 (pessimistic for USE). */
  readonly initialCostMs?: { readonly full: number; readonly fast: number };
  /** Clock (ms); injectable for tests. */
  readonly now?: () => number;
}

/** What a scheduled job is, for cost estimates: the engine method and its mode (`claim`: one sentence's check). */
export type JobKind = 'ask' | 'search' | 'brief' | 'claim';

interface Job {
  readonly kind: JobKind;
  readonly mode: EngineMode;
  /** `kind:mode`, the key of its cost estimate. */
  readonly key: string;
  readonly enqueuedAt: number;
  run(): Promise<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/** Counters for logs and the bench. */
export interface SchedulerStats {
  /** Jobs run. */
  jobs: number;
  /** Requests that joined an identical waiting job instead of running their own. */
  coalesced: number;
  full: number;
  fast: number;
  /** Most jobs waiting at once. */
  maxQueued: number;
  /** Longest wait from queueing to start (ms). */
  maxWaitMs: number;
}

/** Weight of a new measurement in the moving averages. */
const ALPHA = 0.2;
/** A single measurement counts at most this much (ms): one slow job must not pin the estimate for long. */
const MAX_SAMPLE_MS = 1000;
/**
 * Jobs run back to back for this long (ms) before the scheduler yields to the event loop. Yielding after every
 * job was measured to cost more than it saves: 1000 simultaneous fast questions (0.5 ms each) took 2.2 s instead
 * of 1.5 s, replies being sent one loop turn at a time instead of in batches.
 */
const SLICE_MS = 15;
/** A running job this much past twice its estimate (ms) makes the wait unpredictable (Infinity). */
const OVERRUN_MS = 20;

export class EngineScheduler {
  readonly fastAboveMs: number;
  readonly stats: SchedulerStats = { jobs: 0, coalesced: 0, full: 0, fast: 0, maxQueued: 0, maxWaitMs: 0 };
  private readonly now: () => number;
  private readonly initial: { readonly full: number; readonly fast: number };
  private readonly queue: Job[] = [];
  /** Queued jobs by `kind:mode`, to predict the wait from the latest cost estimates. */
  private readonly queuedByKey = new Map<string, number>();
  private current: { readonly key: string; readonly start: number } | null = null;
  private draining = false;
  /** Moving average of each `kind:mode`'s cost (ms). */
  private readonly cost = new Map<string, number>();
  /**
   * Moving average of a yield's length while jobs wait (ms): the rest of the bot's work (gateway frames, REST
   * requests and responses) that runs between slices, so it is added to the wait in proportion.
   */
  private gap = 0;
  private gapMeasured = false;

  /**
   * The bot's scheduler for an answer budget (ANSWER_BUDGET_MS): `fast` once a question would wait more than a
   * third of the budget (500 ms at the default 1500), so that answers still go out in the first response.
   */
  static forBudget(answerBudgetMs: number): EngineScheduler {
    return new EngineScheduler({ fastAboveMs: answerBudgetMs / 3 });
  }

  constructor(options: EngineSchedulerOptions) {
    this.fastAboveMs = options.fastAboveMs;
    this.now = options.now ?? (() => performance.now());
    this.initial = options.initialCostMs ?? { full: 20, fast: 2 };
  }

  /** Jobs queued or running. */
  get depth(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /**
   * Predicted time (ms) until everything queued now is done: each queued job at its kind's and mode's measured
   * cost, plus what the running job has left, plus the event-loop turns in between.
   */
  predictedWaitMs(): number {
    let work = 0;
    for (const [key, count] of this.queuedByKey) work += count * this.costOfKey(key);
    if (this.current) {
      const expected = this.costOfKey(this.current.key);
      const elapsed = this.now() - this.current.start;
      // A job far past its estimate (a slow engine, a long pause) makes any prediction a guess.
      if (elapsed > 2 * expected + OVERRUN_MS) return Number.POSITIVE_INFINITY;
      work += Math.max(0, expected - elapsed);
    }
    return work * (1 + this.gap / SLICE_MS);
  }

  /** Measured (or initial) cost of one job of this kind and mode, in ms. */
  costMs(kind: JobKind, mode: EngineMode): number {
    return this.costOfKey(`${kind}:${mode}`);
  }

  private costOfKey(key: string): number {
    const mode = key.endsWith(':fast') ? 'fast' : 'full';
    return this.cost.get(key) ?? this.cost.get(`ask:${mode}`) ?? this.initial[mode];
  }

  /**
   * The mode for work of this kind queued now, for a request already `ageMs` old (an interaction that waited in the
   * socket while the process was busy): `full` while the request's age, the predicted wait and this job together
   * stay within `fastAboveMs`, `fast` otherwise. With nothing queued the measured cost is not held against it, so
   * one slow answer cannot pin later ones to `fast` (and a fresh measurement follows).
   */
  modeFor(kind: JobKind = 'ask', ageMs = 0): EngineMode {
    const age = Math.max(0, ageMs);
    if (this.depth === 0) return age > this.fastAboveMs ? 'fast' : 'full';
    return age + this.predictedWaitMs() + this.costMs(kind, 'full') > this.fastAboveMs ? 'fast' : 'full';
  }

  /** True when a question `ageMs` old asked now would be answered in `fast` mode. */
  busy(ageMs = 0): boolean {
    return this.modeFor('ask', ageMs) === 'fast';
  }

  /** Queues `work`; resolves or rejects with its outcome once it has run. */
  run<T>(kind: JobKind, mode: EngineMode, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const key = `${kind}:${mode}`;
      this.queue.push({
        kind,
        mode,
        key,
        enqueuedAt: this.now(),
        run: work,
        resolve,
        reject,
      });
      this.queuedByKey.set(key, (this.queuedByKey.get(key) ?? 0) + 1);
      this.stats.maxQueued = Math.max(this.stats.maxQueued, this.queue.length);
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    let sliceStart = this.now();
    for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
      const start = this.now();
      this.queuedByKey.set(job.key, (this.queuedByKey.get(job.key) ?? 1) - 1);
      this.current = { key: job.key, start };
      this.stats.maxWaitMs = Math.max(this.stats.maxWaitMs, start - job.enqueuedAt);
      this.stats.jobs += 1;
      this.stats[job.mode] += 1;
      try {
        job.resolve(await job.run());
      } catch (err) {
        job.reject(err);
      }
      const end = this.now();
      const sample = Math.min(MAX_SAMPLE_MS, end - start);
      this.cost.set(job.key, average(this.cost.get(job.key), sample));
      this.current = null;
      if (end - sliceStart >= SLICE_MS) {
        // Let timers (the "defer now" deadline), gateway frames and REST responses run before the next job.
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = this.now();
        if (this.queue.length > 0) {
          this.gap = average(this.gapMeasured ? this.gap : undefined, sliceStart - end);
          this.gapMeasured = true;
        }
      }
    }
    this.draining = false;
  }
}

/** Exponential moving average; the first sample stands alone. */
function average(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous + ALPHA * (sample - previous);
}

/**
 * An engine whose ask, search, brief and claim checks go through the scheduler; identical requests waiting together share one
 * computation. The cheap synchronous methods (lookup, topics, documents, passages, info) pass straight through.
 */
export class ScheduledEngine implements Engine {
  private readonly waiting = new Map<string, Promise<unknown>>();

  constructor(
    readonly inner: Engine,
    private readonly scheduler: EngineScheduler,
  ) {}

  ask(question: string, options: AskOptions = {}): Promise<AnswerResult> {
    const mode = options.mode ?? this.scheduler.modeFor('ask');
    const key = JSON.stringify(['ask', question, options.context ?? [], options.sources ?? null, mode]);
    return this.once(key, 'ask', mode, () => this.inner.ask(question, { ...options, mode }));
  }

  search(query: string, count: number, options: SearchOptions = {}): Promise<readonly Source[]> {
    const mode = options.mode ?? this.scheduler.modeFor('search');
    const key = JSON.stringify(['search', query, count, mode]);
    return this.once(key, 'search', mode, () => this.inner.search(query, count, { mode }));
  }

  brief(topic: string, options: SearchOptions = {}): Promise<Brief> {
    const mode = options.mode ?? this.scheduler.modeFor('brief');
    const key = JSON.stringify(['brief', topic, mode]);
    return this.once(key, 'brief', mode, () => this.inner.brief(topic, { mode }));
  }

  lookup: Engine['lookup'] = (term) => this.inner.lookup(term);
  topics: Engine['topics'] = () => this.inner.topics();
  documents: Engine['documents'] = () => this.inner.documents();
  passage: Engine['passage'] = (doc, ordinal) => this.inner.passage(doc, ordinal);
  passageById: Engine['passageById'] = (id) => this.inner.passageById(id);
  info: Engine['info'] = () => this.inner.info();
  /**
   * Checks a message's claims with one job per sentence (see {@link claimSentences}), so that a long message never
   * holds the queue for more than one claim (~10–20 ms): a question queued meanwhile waits one claim, not twenty.
   * Always `full` mode (the claim check has no `fast` path). The result is the engine's for the whole text: the
   * claims and the skipped sentences in the order of the text.
   */
  async checkClaim(text: string): Promise<ClaimCheck> {
    const sentences = claimSentences(text);
    if (sentences.length <= 1) return this.checkSentence(text);
    const parts = await Promise.all(sentences.map((s) => this.checkSentence(s)));
    return {
      text,
      claims: parts.flatMap((p) => p.claims),
      skipped: parts.flatMap((p) => p.skipped),
    };
  }

  /** Checks one sentence (or a text the caller has already split) as one job; identical waiting checks share it. */
  checkSentence(sentence: string): Promise<ClaimCheck> {
    return this.once(JSON.stringify(['claim', sentence]), 'claim', 'full', () =>
      this.inner.checkClaim(sentence),
    );
  }

  private once<T>(key: string, kind: JobKind, mode: EngineMode, work: () => Promise<T>): Promise<T> {
    const existing = this.waiting.get(key);
    if (existing) {
      this.scheduler.stats.coalesced += 1;
      return existing as Promise<T>;
    }
    const job = this.scheduler.run(kind, mode, work);
    this.waiting.set(key, job);
    const forget = () => this.waiting.delete(key);
    void job.then(forget, forget);
    return job;
  }
}

/**
 * The bot's view of an {@link EngineHolder}: `current()` returns the holder's current engine behind the scheduler
 * (one wrapper per engine, so a swapped-in index gets its own and identical questions never mix indexes).
 */
export class ScheduledEngines implements EngineHolder {
  private readonly wrapped = new WeakMap<Engine, ScheduledEngine>();

  constructor(
    private readonly holder: EngineHolder,
    readonly scheduler: EngineScheduler,
  ) {}

  current(): ScheduledEngine {
    const engine = this.holder.current();
    let scheduled = this.wrapped.get(engine);
    if (!scheduled) {
      scheduled = new ScheduledEngine(engine, this.scheduler);
      this.wrapped.set(engine, scheduled);
    }
    return scheduled;
  }
}

/**
 * The sentences the engine will check in a message, as it splits them (cleaned as the engine cleans a question,
 * then split into sentences). Used to queue a claim check one sentence at a time and to budget `/check`.
 */
export function claimSentences(text: string): string[] {
  const clean = cleanQuestion(text).text;
  return splitSentences(clean)
    .map((span) => clean.slice(span.start, span.end).trim())
    .filter((s) => s !== '');
}
