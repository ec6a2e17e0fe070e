/**
 * The Discord section of `npm run bench`: the bot (`src/main.ts`) in its own process, as in production, against the
 * local Discord server (REST and gateway on 127.0.0.1) in the bench process, each on its own core.
 *
 * Measured from the server's side, as Discord would see it: time from dispatching an `/ask` to its acknowledgement
 * (the first response) and to the visible answer (that response when it carries the answer, else the edit of
 * `@original`), at 1, 50 and 300 concurrent questions; and the highest rate the bot sustains for 60 s with answer
 * p99 under 1 s. Figures only: nothing here is asserted.
 *
 * The local server lives with the tests (tests/support), so that the built package (`npm run build`, src only) does
 * not ship it; it is loaded from there at run time and only its shape ({@link BenchDiscord}) is declared here.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, requireBotConfig } from '../config.js';
import { registerCommands } from '../discord/deploy.js';
import type { BenchContext, BenchRow, BenchSection } from './bench.js';
import { percentile } from './bench.js';

/**
 * What the bench uses of tests/support/discord-server.ts's LocalDiscord (checked against it in tests/bench);
 * `User` is the server's user object, opaque here.
 */
export interface BenchDiscord<User = unknown> {
  readonly applicationId: string;
  readonly guildId: string;
  /** Every REST call so far, in arrival order (cleared by `reset`). */
  readonly calls: readonly BenchCall[];
  start(): Promise<{ apiUrl: string }>;
  stop(): Promise<void>;
  reset(): void;
  createUser(spec: { username: string }): User;
  slashCommand(spec: { name: string; options: Record<string, string>; user: User }): { id: string };
  interaction(id: string): { readonly dispatchedAt: number } | undefined;
}

/** The parts of a recorded REST call the bench reads. */
export interface BenchCall {
  readonly route: string;
  readonly status: number;
  readonly at: number;
  readonly body: unknown;
  readonly response: unknown;
  readonly interactionId?: string;
}

/** What the bench uses of tests/support/run-main.ts: the bot as a child process, as an operator runs it. */
export interface BenchRunner {
  runMain(
    cwd: string,
    env: Record<string, string>,
    entry?: string,
  ): {
    child: { kill(signal: NodeJS.Signals): boolean; exitCode: number | null };
    out: () => string;
    exited: Promise<unknown>;
  };
  waitForOutput(run: ReturnType<BenchRunner['runMain']>, pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Options of the Discord section. */
export interface DiscordBenchOptions {
  /** Seconds the found rate is held for (default 60; FOOTNOTE_BENCH_SUSTAIN_S overrides). 0 skips the hold. */
  readonly sustainSeconds?: number;
  /** Seconds of each probe of the rate search (default 5). */
  readonly probeSeconds?: number;
}

const TOKEN = `bench.${'l0ad'.repeat(14)}`;
const CALLBACK_REPLY = 4;
const CALLBACK_DEFER = 5;
const UNKNOWN_INTERACTION = 10062;
/** Rates tried for the sustained-rate search, per second. */
export const PROBE_RATES: readonly number[] = [20, 40, 80, 160, 320, 640, 1280];
/** The sustained rate must keep answer p99 under this (ms). */
export const SUSTAIN_P99_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Outcome of one batch of `/ask`: latencies (ms, ascending) and what went wrong. */
export interface BatchResult {
  readonly ack: readonly number[];
  readonly answer: readonly number[];
  /** Asked but with no visible answer when collection gave up. */
  readonly lost: number;
  /** Acknowledged too late: the server's 404 Unknown interaction (10062). */
  readonly expired: number;
  /** Answered by deferral + edit rather than in the first response. */
  readonly deferred: number;
  /** Questions sent per second, as achieved by the load generator (rate runs only). */
  readonly achievedPerSecond?: number;
  /** The bot's engine modes for the batch, from its log lines. */
  readonly modes: { readonly full: number; readonly fast: number };
}

/** Whether a rate run holds: all answered, none expired, answer p99 under 1 s, and the rate really offered. */
export function holds(result: BatchResult, rate: number): boolean {
  return (
    result.lost === 0 &&
    result.expired === 0 &&
    percentile(result.answer, 99) < SUSTAIN_P99_MS &&
    (result.achievedPerSecond ?? rate) >= 0.95 * rate
  );
}

/**
 * The sustained-rate search: each rate of {@link PROBE_RATES} for a short probe until one fails, then two halvings
 * of the interval between the last rate that held and the first that did not. Returns the best rate that held
 * (0 when none did) and the first that failed (undefined when the search ran out of rates).
 */
export async function searchRate(
  probe: (rate: number) => Promise<boolean>,
  rates: readonly number[] = PROBE_RATES,
): Promise<{ best: number; failed: number | undefined }> {
  let best = 0;
  let failed: number | undefined;
  for (const rate of rates) {
    if (!(await probe(rate))) {
      failed = rate;
      break;
    }
    best = rate;
  }
  if (failed !== undefined && best > 0) {
    for (let step = 0; step < 2; step++) {
      const mid = Math.round((best + failed) / 2);
      if (mid <= best || mid >= failed) break;
      if (await probe(mid)) best = mid;
      else failed = mid;
    }
  }
  return { best, failed };
}

/** `count` different questions from `base`, in order, numbered where one would repeat. */
export function distinctQuestions(base: readonly string[], count: number): string[] {
  const out = new Set<string>();
  for (let i = 0; out.size < count && base.length > 0; i++) {
    const question = base[i % base.length]!;
    out.add(out.has(question) ? `${question} (${Math.floor(i / base.length)})` : question);
  }
  return [...out];
}

/** Follows the server's REST log incrementally (it only grows between resets): first responses and edits. */
class CallIndex {
  private seen = 0;
  readonly callbackAt = new Map<string, { at: number; type: number }>();
  readonly editAt = new Map<string, number>();
  expired = 0;

  constructor(private readonly discord: BenchDiscord) {}

  update(): void {
    const calls = this.discord.calls;
    for (; this.seen < calls.length; this.seen++) {
      const call = calls[this.seen]!;
      const id = call.interactionId;
      if (
        call.status === 404 &&
        (call.response as { code?: number } | undefined)?.code === UNKNOWN_INTERACTION
      )
        this.expired += 1;
      if (id === undefined || call.status >= 300) continue;
      if (call.route === 'interactionCallback' && !this.callbackAt.has(id)) {
        const type = (call.body as { type?: number } | undefined)?.type ?? 0;
        this.callbackAt.set(id, { at: call.at, type });
      } else if (call.route === 'editOriginal' && !this.editAt.has(id)) {
        this.editAt.set(id, call.at);
      }
    }
  }

  /** When the answer became visible: a reply callback, or the first edit of a deferral. */
  answeredAt(id: string): number | undefined {
    const callback = this.callbackAt.get(id);
    if (callback === undefined) return undefined;
    if (callback.type === CALLBACK_REPLY) return callback.at;
    return callback.type === CALLBACK_DEFER ? this.editAt.get(id) : undefined;
  }

  reset(): void {
    this.seen = 0;
    this.callbackAt.clear();
    this.editAt.clear();
    this.expired = 0;
  }
}

/** Runs the Discord load measurements and returns the bench rows. */
export async function runDiscordBench(
  context: BenchContext,
  options: DiscordBenchOptions = {},
): Promise<BenchRow[]> {
  const sustainSeconds = options.sustainSeconds ?? Number(process.env['FOOTNOTE_BENCH_SUSTAIN_S'] ?? 60);
  const probeSeconds = options.probeSeconds ?? 5;
  const support = (file: string) => pathToFileURL(join(context.root, 'tests', 'support', file)).href;
  let server: { LocalDiscord: new () => BenchDiscord };
  let runner: BenchRunner;
  try {
    server = (await import(support('discord-server.ts'))) as typeof server;
    runner = (await import(support('run-main.ts'))) as BenchRunner;
  } catch (cause) {
    throw new Error(
      'The Discord section needs the local Discord server in tests/support: run `npm run bench` from a checkout.',
      { cause },
    );
  }

  const discord = new server.LocalDiscord();
  const { apiUrl } = await discord.start();
  const env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
    DISCORD_API_URL: apiUrl,
    CORPUS_DIR: context.corpusDir,
    INDEX_DIR: context.indexDir,
    DATA_DIR: context.dataDir,
    EMBEDDINGS: context.embeddings,
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_CHANNEL_PER_MINUTE: '0',
  };
  await registerCommands(requireBotConfig(loadConfig(env)));
  const bot = runner.runMain(context.workDir, env, join(context.root, 'src', 'main.ts'));
  const rows: BenchRow[] = [];
  const index = new CallIndex(discord);
  try {
    await runner.waitForOutput(bot, /Footnote is ready/, 120_000);
    const users = Array.from({ length: 100 }, (_, n) => discord.createUser({ username: `bench${n}` }));
    let asked = 0;
    const ask = (question: string): string =>
      discord.slashCommand({ name: 'ask', options: { question }, user: users[asked++ % users.length]! }).id;
    const pool = distinctQuestions(context.questions, 2000);
    let next = 0;
    const fresh = () => pool[next++ % pool.length]!;

    /** Waits for every id's answer (up to `timeoutMs` after the call), then measures and forgets the batch. */
    const collect = async (
      ids: readonly string[],
      logFrom: number,
      timeoutMs = 60_000,
    ): Promise<BatchResult> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        index.update();
        if (ids.every((id) => index.answeredAt(id) !== undefined) || Date.now() > deadline) break;
        await sleep(25);
      }
      await sleep(100); // the bot's log lines for the last answers
      const ack: number[] = [];
      const answer: number[] = [];
      let deferred = 0;
      for (const id of ids) {
        const dispatchedAt = discord.interaction(id)?.dispatchedAt;
        const callback = index.callbackAt.get(id);
        const answeredAt = index.answeredAt(id);
        if (dispatchedAt === undefined || callback === undefined || answeredAt === undefined) continue;
        ack.push(callback.at - dispatchedAt);
        answer.push(answeredAt - dispatchedAt);
        if (callback.type === CALLBACK_DEFER) deferred += 1;
      }
      const log = bot.out().slice(logFrom);
      const result: BatchResult = {
        ack: ack.sort((a, b) => a - b),
        answer: answer.sort((a, b) => a - b),
        lost: ids.length - answer.length,
        expired: index.expired,
        deferred,
        modes: { full: log.split('"mode":"full"').length - 1, fast: log.split('"mode":"fast"').length - 1 },
      };
      discord.reset();
      index.reset();
      return result;
    };
    const burst = (questions: readonly string[]) => {
      const logFrom = bot.out().length;
      return collect(
        questions.map((q) => ask(q)),
        logFrom,
      );
    };
    const addRows = (label: string, r: BatchResult) => {
      const issues = [
        r.deferred > 0 ? `${r.deferred} deferred` : '',
        r.lost > 0 ? `${r.lost} UNANSWERED` : '',
        r.expired > 0 ? `${r.expired} EXPIRED (10062)` : '',
      ].filter((x) => x !== '');
      for (const [what, xs] of [
        ['acknowledge', r.ack],
        ['answer', r.answer],
      ] as const) {
        rows.push({
          metric: `${label}: ${what} p50`,
          value: percentile(xs, 50),
          unit: 'ms',
          note: [
            `p95 ${percentile(xs, 95)} ms, p99 ${percentile(xs, 99)} ms`,
            ...(what === 'answer' ? [`engine ${r.modes.full} full / ${r.modes.fast} fast`, ...issues] : []),
          ].join('; '),
        });
      }
    };

    // Warm-up (JIT, first embeddings), then one at a time, then bursts.
    await burst([fresh(), fresh(), fresh()]);
    const single: BatchResult[] = [];
    for (let n = 0; n < 30; n++) single.push(await burst([fresh()]));
    addRows('1 at a time (30)', merge(single));
    for (const concurrency of [50, 300]) {
      context.log(`  discord: ${concurrency} concurrent /ask…`);
      await sleep(500);
      addRows(`${concurrency} concurrent`, await burst(Array.from({ length: concurrency }, fresh)));
    }
    context.log('  discord: 300 concurrent /ask of the same 8 questions…');
    await sleep(500);
    addRows(
      '300 concurrent, 8 distinct',
      await burst(Array.from({ length: 300 }, (_, n) => pool[n % Math.min(8, pool.length)]!)),
    );

    // Sustained rate: questions at an even pace for `seconds`, then every answer collected.
    const offer = async (perSecond: number, seconds: number): Promise<BatchResult> => {
      await sleep(500);
      const logFrom = bot.out().length;
      const ids: string[] = [];
      const total = Math.round(perSecond * seconds);
      const start = Date.now();
      while (ids.length < total) {
        const due = Math.min(total, Math.floor(((Date.now() - start) * perSecond) / 1000) + 1);
        while (ids.length < due) ids.push(ask(fresh()));
        index.update();
        await sleep(5);
      }
      const achievedPerSecond = (ids.length * 1000) / Math.max(1, Date.now() - start);
      return { ...(await collect(ids, logFrom, 30_000)), achievedPerSecond };
    };
    const summarize = (r: BatchResult, seconds: number) =>
      `${seconds} s at ${r.achievedPerSecond?.toFixed(0)}/s offered: answer p50 ${percentile(r.answer, 50)} ms, ` +
      `p99 ${percentile(r.answer, 99)} ms, acknowledge p99 ${percentile(r.ack, 99)} ms; ` +
      `engine ${r.modes.full} full / ${r.modes.fast} fast; ${r.deferred} deferred, ${r.lost} unanswered, ${r.expired} expired`;
    const { best, failed } = await searchRate(async (rate) => {
      context.log(`  discord: probing ${rate} /ask per second for ${probeSeconds} s…`);
      const r = await offer(rate, probeSeconds);
      const ok = holds(r, rate);
      context.log(`    ${ok ? 'holds' : 'fails'}: ${summarize(r, probeSeconds)}`);
      return ok;
    });
    rows.push({
      metric: `rate search (${probeSeconds} s probes)`,
      value: best,
      unit: '/ask per s',
      note:
        failed === undefined
          ? `held every rate tried, up to ${PROBE_RATES.at(-1)}/s`
          : `${failed}/s did not hold (answer p99 ≥ ${SUSTAIN_P99_MS} ms, a loss, or the generator fell behind)`,
    });
    if (sustainSeconds > 0 && best > 0) {
      let rate = best;
      for (let attempt = 0; attempt < 2; attempt++) {
        context.log(`  discord: holding ${rate} /ask per second for ${sustainSeconds} s…`);
        const r = await offer(rate, sustainSeconds);
        const ok = holds(r, rate);
        rows.push({
          metric: `sustained ${sustainSeconds} s, answer p99 < ${SUSTAIN_P99_MS} ms`,
          value: ok ? rate : 0,
          unit: '/ask per s',
          note: `${ok ? 'held' : `did NOT hold ${rate}/s`}: ${summarize(r, sustainSeconds)}`,
        });
        if (ok) break;
        rate = Math.floor(rate * 0.75);
      }
    }
  } finally {
    bot.child.kill('SIGTERM');
    await bot.exited;
    await discord.stop();
  }
  return rows;
}

/** Several batches as one (the one-at-a-time run). */
function merge(results: readonly BatchResult[]): BatchResult {
  const sum = (f: (r: BatchResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    ack: results.flatMap((r) => r.ack).sort((a, b) => a - b),
    answer: results.flatMap((r) => r.answer).sort((a, b) => a - b),
    lost: sum((r) => r.lost),
    expired: sum((r) => r.expired),
    deferred: sum((r) => r.deferred),
    modes: { full: sum((r) => r.modes.full), fast: sum((r) => r.modes.fast) },
  };
}

/** The `discord` bench section: see the module comment. */
export const discordSection: BenchSection = {
  name: 'discord',
  run: (context) => runDiscordBench(context, context.quick ? { sustainSeconds: 0 } : {}),
};
