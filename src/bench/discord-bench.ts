/**
 * The Discord section of `npm run bench`: the bot (`src/main.ts`) in its own process, as in production, against the
 * local Discord server (REST and gateway on 127.0.0.1) in the bench process, each on its own core.
 *
 * Measured from the server's side, as Discord would see it: time from dispatching an `/ask` to its acknowledgement
 * (the first response) and to the visible answer (that response when it carries the answer, else the edit of
 * `@original`), one at a time and at 50 and 300 concurrent questions (all different), plus 300 drawn from 8
 * questions; then the highest rate the bot sustains for 60 s with answer p99 under 1 s: a search with 10 s probes
 * (rates doubling, then two halvings), then the rate found held for 60 s, stepping down 15 % when it does not hold.
 * `--quick` skips the 60 s hold. Figures only: nothing here is asserted.
 *
 * The local server (src/testing/local-discord) is the one the end-to-end tests use.
 * It keeps every interaction it dispatched: at ~800 questions a second its heap passes 1 GB within a minute and its
 * garbage collection starts to slow it down, so the note of each rate run gives both processes' CPU use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, requireBotConfig } from '../config.js';
import { registerCommands } from '../discord/deploy.js';
import { LocalDiscord } from '../testing/local-discord/index.js';
import { runMain, waitForOutput } from '../testing/run-main.js';
import type { BenchContext, BenchRow, BenchSection } from './bench.js';
import { percentile } from './bench.js';

/** Options of the Discord section. */
export interface DiscordBenchOptions {
  /** Seconds the found rate is held for (default 60; FOOTNOTE_BENCH_SUSTAIN_S overrides). 0 skips the hold. */
  readonly sustainSeconds?: number;
  /** Seconds of each probe of the rate search (default 10). */
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
  /**
   * Median answer time of the last third of the questions minus that of the middle third (rate runs only): a
   * backlog that keeps growing, which a short run at a rate just above what the bot sustains hides from p99.
   */
  readonly driftMs?: number;
  /** CPU use of the bench process and of the bot process during the run, in % of one core (rate runs only). */
  readonly cpu?: { readonly bench: number; readonly bot: number | undefined };
  /** The bot's engine modes for the batch, from its log lines. */
  readonly modes: { readonly full: number; readonly fast: number };
}

/** Largest {@link BatchResult.driftMs} of a rate that holds (ms). */
export const MAX_DRIFT_MS = 200;

/**
 * Whether a rate run holds: all answered, none expired, answer p99 under 1 s, no growing backlog, and the rate
 * really offered by the load generator.
 */
export function holds(result: BatchResult, rate: number): boolean {
  return (
    result.lost === 0 &&
    result.expired === 0 &&
    percentile(result.answer, 99) < SUSTAIN_P99_MS &&
    (result.driftMs ?? 0) < MAX_DRIFT_MS &&
    (result.achievedPerSecond ?? rate) >= 0.95 * rate
  );
}

/** Median answer time of the last third minus that of the middle third, in sending order (undefined = unanswered). */
export function drift(inOrder: readonly (number | undefined)[]): number {
  const third = Math.floor(inOrder.length / 3);
  const median = (xs: readonly (number | undefined)[]) =>
    percentile(
      xs.map((x) => x ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b),
      50,
    );
  if (third === 0) return 0;
  return median(inOrder.slice(-third)) - median(inOrder.slice(third, 2 * third));
}

/**
 * The sustained-rate search: each rate of {@link PROBE_RATES} for a probe until one fails, then two halvings
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

/**
 * Follows the server's REST log: first responses and edits. Calls are dropped from the log once read, so that a
 * 60 s run at hundreds of questions a second does not fill the bench process's heap (measured: ~1.3 GB after 48,000
 * questions, with garbage-collection pauses of ~0.4 s that stalled the local server itself).
 */
class CallIndex {
  readonly callbackAt = new Map<string, { at: number; type: number }>();
  readonly editAt = new Map<string, number>();
  expired = 0;

  constructor(private readonly discord: LocalDiscord) {}

  update(): void {
    const calls = this.discord.calls.splice(0);
    for (const call of calls) {
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
  const probeSeconds = options.probeSeconds ?? 10;
  const discord = new LocalDiscord();
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
  const bot = runMain(context.workDir, env, join(context.root, 'src', 'main.ts'));
  const rows: BenchRow[] = [];
  const index = new CallIndex(discord);
  try {
    await waitForOutput(bot, /Footnote is ready/, 120_000);
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
      const inOrder: (number | undefined)[] = [];
      let deferred = 0;
      for (const id of ids) {
        const dispatchedAt = discord.interaction(id)?.dispatchedAt;
        const callback = index.callbackAt.get(id);
        const answeredAt = index.answeredAt(id);
        if (dispatchedAt === undefined || callback === undefined || answeredAt === undefined) {
          inOrder.push(undefined);
          continue;
        }
        ack.push(callback.at - dispatchedAt);
        answer.push(answeredAt - dispatchedAt);
        inOrder.push(answeredAt - dispatchedAt);
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
        driftMs: drift(inOrder),
      };
      discord.reset();
      index.reset();
      return result;
    };
    /** Waits until the bot has sent nothing for 0.5 s (deferred edits of an overloaded run drain at 50/s). */
    const quiet = async () => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
        discord.calls.length = 0;
        await sleep(500);
        if (discord.calls.length === 0) break;
      }
      discord.reset();
      index.reset();
    };
    const burst = async (questions: readonly string[]) => {
      await quiet();
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
      addRows(`${concurrency} concurrent`, await burst(Array.from({ length: concurrency }, fresh)));
    }
    context.log('  discord: 300 concurrent /ask of the same 8 questions…');
    addRows(
      '300 concurrent, 8 distinct',
      await burst(Array.from({ length: 300 }, (_, n) => pool[n % Math.min(8, pool.length)]!)),
    );

    // Sustained rate: questions at an even pace for `seconds`, then every answer collected.
    const offer = async (perSecond: number, seconds: number): Promise<BatchResult> => {
      await quiet();
      const logFrom = bot.out().length;
      const ids: string[] = [];
      const total = Math.round(perSecond * seconds);
      const start = Date.now();
      const benchCpu = process.cpuUsage();
      const botCpu = cpuMs(bot.child.pid);
      while (ids.length < total) {
        const due = Math.min(total, Math.floor(((Date.now() - start) * perSecond) / 1000) + 1);
        while (ids.length < due) ids.push(ask(fresh()));
        index.update();
        await sleep(5);
      }
      const elapsed = Math.max(1, Date.now() - start);
      const benchUsed = process.cpuUsage(benchCpu);
      const botUsed = cpuMs(bot.child.pid);
      const cpu = {
        bench: Math.round(((benchUsed.user + benchUsed.system) / 1000 / elapsed) * 100),
        bot:
          botCpu === undefined || botUsed === undefined
            ? undefined
            : Math.round(((botUsed - botCpu) / elapsed) * 100),
      };
      const achievedPerSecond = (ids.length * 1000) / elapsed;
      return { ...(await collect(ids, logFrom, 30_000)), achievedPerSecond, cpu };
    };
    const summarize = (r: BatchResult, seconds: number) =>
      `${seconds} s at ${r.achievedPerSecond?.toFixed(0)}/s offered: answer p50 ${percentile(r.answer, 50)} ms, ` +
      `p99 ${percentile(r.answer, 99)} ms, drift ${r.driftMs} ms, acknowledge p99 ${percentile(r.ack, 99)} ms; ` +
      `engine ${r.modes.full} full / ${r.modes.fast} fast; ${r.deferred} deferred, ${r.lost} unanswered, ` +
      `${r.expired} expired; CPU bot ${r.cpu?.bot ?? '?'} %, bench ${r.cpu?.bench ?? '?'} %`;
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
          : `${failed}/s did not hold (answer p99 ≥ ${SUSTAIN_P99_MS} ms, a growing backlog, a loss, or the generator fell behind)`,
    });
    if (sustainSeconds > 0 && best > 0) {
      // A rate that held a short probe can still fail over a minute: step down 15 % at a time, three tries.
      let rate = best;
      for (let attempt = 0; attempt < 3; attempt++) {
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
        rate = Math.floor((rate * 0.85) / 10) * 10;
      }
    }
  } finally {
    bot.child.kill('SIGTERM');
    await bot.exited;
    await discord.stop();
  }
  return rows;
}

/** CPU time (user + system, ms) a process has used, from /proc on Linux; undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    const ticks = Number(fields?.[11]) + Number(fields?.[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
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
