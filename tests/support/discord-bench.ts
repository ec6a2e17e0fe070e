/**
 * The Discord section of `npm run bench`: the bot (`src/main.ts`) in its own process, against the local Discord
 * server in this process. Time to acknowledge and to answer at 1, 50 and 300 concurrent `/ask`, and the
 * highest sustained rate whose answer p99 stays under 1 s for 60 s. It lives beside the local server it drives,
 * in tests/support, and `src/bench/sections.ts` loads it at run time.
 */
import { join } from 'node:path';
import { InteractionResponseType } from 'discord.js';
import type { BenchContext, BenchRow } from '../../src/bench/bench.js';
import { percentile } from '../../src/bench/bench.js';
import { loadConfig, requireBotConfig } from '../../src/config.js';
import { registerCommands } from '../../src/discord/deploy.js';
import { LocalDiscord } from './discord-server.js';
import { discordEnv, runMain, waitForOutput } from './run-main.js';

const TOKEN = `bench.${'l0ad'.repeat(14)}`;
/** Seconds of the sustained run (FOOTNOTE_BENCH_SUSTAIN_S; 60 by default). */
const SUSTAIN_S = Number(process.env['FOOTNOTE_BENCH_SUSTAIN_S'] ?? 60);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the Discord load measurements and returns the bench rows. */
export async function runDiscordBench(context: BenchContext): Promise<BenchRow[]> {
  const discord = new LocalDiscord();
  const { apiUrl } = await discord.start();
  const env = {
    ...discordEnv(discord, apiUrl, TOKEN),
    CORPUS_DIR: context.corpusDir,
    INDEX_DIR: context.indexDir,
    DATA_DIR: context.dataDir,
    EMBEDDINGS: context.embeddings,
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_CHANNEL_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
  };
  await registerCommands(requireBotConfig(loadConfig(env)));
  const bot = runMain(context.workDir, env, join(context.root, 'src', 'main.ts'));
  const rows: BenchRow[] = [];
  try {
    await waitForOutput(bot, /Invite Footnote/, 120_000);
    let asked = 0;
    const users = Array.from({ length: 100 }, (_, n) => discord.createUser({ username: `bench${n}` }));
    const ask = () => {
      const question = context.questions[asked % context.questions.length]!;
      const user = users[asked % users.length]!;
      asked += 1;
      return discord.slashCommand({ name: 'ask', options: { question }, user }).id;
    };
    const timing = (id: string): { ack: number; answer: number } | undefined => {
      const r = discord.interaction(id);
      if (r?.callbackAt === undefined) return undefined;
      if (r.callbackType === InteractionResponseType.DeferredChannelMessageWithSource) {
        const edit = discord.callsFor(id).findLast((c) => c.route === 'editOriginal' && c.status < 300);
        return edit ? { ack: r.callbackAt - r.dispatchedAt, answer: edit.at - r.dispatchedAt } : undefined;
      }
      return { ack: r.callbackAt - r.dispatchedAt, answer: r.callbackAt - r.dispatchedAt };
    };
    const collect = async (ids: readonly string[], timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (ids.some((id) => timing(id) === undefined) && Date.now() < deadline) await sleep(20);
      const done = ids.map(timing).filter((t) => t !== undefined);
      return {
        ack: done.map((t) => t.ack).sort((a, b) => a - b),
        answer: done.map((t) => t.answer).sort((a, b) => a - b),
        lost: ids.length - done.length,
      };
    };
    const addRows = (label: string, r: { ack: number[]; answer: number[]; lost: number }) => {
      for (const [what, xs] of [
        ['acknowledge', r.ack],
        ['answer', r.answer],
      ] as const) {
        rows.push({
          metric: `${label}: ${what} p50 / p95 / p99`,
          value: percentile(xs, 50),
          unit: 'ms',
          note: `p95 ${percentile(xs, 95)} ms, p99 ${percentile(xs, 99)} ms${r.lost > 0 ? `, ${r.lost} unanswered` : ''}`,
        });
      }
    };

    // Warm up, then one at a time, then bursts.
    await collect([ask(), ask(), ask()]);
    const single: string[] = [];
    for (let n = 0; n < 30; n++) {
      const id = ask();
      single.push(id);
      await collect([id]);
    }
    addRows('1 at a time (30)', await collect(single));
    for (const concurrency of [50, 300]) {
      context.log(`discord: ${concurrency} concurrent /ask`);
      addRows(`${concurrency} concurrent`, await collect(Array.from({ length: concurrency }, ask)));
      await sleep(1000);
    }

    // Sustained rate: try rates for 5 s each, then hold the best one with p99 < 1 s for SUSTAIN_S.
    const offer = async (perSecond: number, seconds: number) => {
      const ids: string[] = [];
      const start = Date.now();
      for (let sent = 0; sent < perSecond * seconds; sent++) {
        const due = start + (sent * 1000) / perSecond;
        if (due > Date.now()) await sleep(due - Date.now());
        ids.push(ask());
      }
      return collect(ids);
    };
    let best = 0;
    for (const rate of [10, 20, 40, 80, 160, 320, 640]) {
      context.log(`discord: probing ${rate} /ask per second`);
      const r = await offer(rate, 5);
      if (r.lost > 0 || percentile(r.answer, 99) >= 1000) break;
      best = rate;
    }
    if (best > 0) {
      context.log(`discord: holding ${best} /ask per second for ${SUSTAIN_S} s`);
      const r = await offer(best, SUSTAIN_S);
      rows.push({
        metric: 'sustained rate with answer p99 < 1 s',
        value: best,
        unit: '/ask per s',
        note: `${SUSTAIN_S} s: answer p50 ${percentile(r.answer, 50)} ms, p99 ${percentile(r.answer, 99)} ms, ${r.lost} unanswered`,
      });
    }
    rows.push({
      metric: 'rejected or late REST calls',
      value: discord.calls.filter((c) => c.status >= 400).length,
      unit: 'count',
      note: 'any 4xx/5xx the local server answered (10062 = acknowledged after 3 s)',
    });
  } finally {
    bot.child.kill('SIGTERM');
    await bot.exited;
    await discord.stop();
  }
  return rows;
}
