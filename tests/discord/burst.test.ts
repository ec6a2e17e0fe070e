/**
 * Load: 300 `/ask` interactions and 100 mentions dispatched at once to the real bot — `src/main.ts` in its own
 * process, with the real default embeddings (USE) — through the local Discord server in this process, as
 * Discord would be: remote. Asserts correctness under load: every interaction acknowledged inside Discord's
 * 3 s (the local server answers a late one 404 / 10062), every one answered with a source, every mention
 * answered exactly once, no error, nobody pinged, the token nowhere. The latency figures are printed;
 * speed is measured by `npm run bench`, never asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType } from 'discord.js';
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, requireBotConfig } from '../../src/config.js';
import { registerCommands } from '../../src/discord/deploy.js';
import { buildIndex } from '../../src/index/build-index.js';
import { LocalDiscord } from '../support/discord-server.js';
import type { RestCall } from '../support/discord-server.js';
import { discordEnv, ROOT, runMain, waitForOutput } from '../support/run-main.js';
import type { Run } from '../support/run-main.js';

const TOKEN = `load.${'b0rst'.repeat(12)}`;
const QUESTIONS = [
  'What record share did China reach in Kazakhstan’s overseas investments?',
  'When was the Kazakh-Chinese oil pipeline completed?',
  'Which transport hubs connect Kazakhstan and China?',
  'How much is the Central Asia-China gas pipeline worth?',
  'What share of Kazakhstan’s total trade did China account for in 2018?',
  'Who won the 2018 FIFA World Cup?',
  'В каком году был завершён казахстанско-китайский нефтепровод?',
  'How do students take part in exchanges between the two countries?',
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** The message a bot reply answers, from its message_reference. */
function referenced(call: RestCall): string | undefined {
  return (call.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference
    ?.message_id;
}

describe('a burst of 300 /ask and 100 mentions against the bot process (USE embeddings)', () => {
  const discord = new LocalDiscord();
  let dir: string;
  let bot: Run;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'footnote-burst-'));
    const { apiUrl } = await discord.start();
    const env = {
      ...discordEnv(discord, apiUrl, TOKEN),
      CORPUS_DIR: join(ROOT, 'corpus'),
      INDEX_DIR: join(dir, 'index'),
      DATA_DIR: dir,
      EMBEDDINGS: 'use',
      RATE_LIMIT_USER_PER_MINUTE: '0',
      RATE_LIMIT_CHANNEL_PER_MINUTE: '0',
    };
    await buildIndex({
      corpusDir: env.CORPUS_DIR,
      indexDir: env.INDEX_DIR,
      cacheDir: dir,
      embeddings: 'use',
    });
    await registerCommands(requireBotConfig(loadConfig(env)));
    bot = runMain(dir, env);
    await waitForOutput(bot, /Footnote is ready/, 60_000);
  }, 120_000);

  afterAll(async () => {
    if (bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    await discord.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('acknowledges every interaction within 3 s and answers all 400 with a source, pinging no one', async () => {
    const d = discord;
    const users = Array.from({ length: 50 }, (_, n) => d.createUser({ username: `student${n}` }));
    const started = Date.now();
    const asks = Array.from({ length: 300 }, (_, n) =>
      d.slashCommand({
        name: 'ask',
        options: { question: QUESTIONS[n % QUESTIONS.length]! },
        user: users[n % 50]!,
      }),
    );
    const mentions = Array.from({ length: 100 }, (_, n) =>
      d.message({
        content: `${d.botMention} ${QUESTIONS[(n + 3) % QUESTIONS.length]!}`,
        author: users[(n * 7) % 50]!,
      }),
    );
    const isFinal = (id: string): boolean => {
      const r = d.interaction(id);
      if (r?.callbackType === undefined) return false;
      return (
        r.callbackType !== InteractionResponseType.DeferredChannelMessageWithSource ||
        ((r.original?.flags ?? 0) & 128) === 0
      );
    };
    // Poll every 50 ms: one cheap check, so the harness does not compete with the bot for the CPU.
    for (const deadline = Date.now() + 60_000; ;) {
      const replied = new Set(d.calls.filter((c) => c.route === 'createMessage').map(referenced));
      if (asks.every((i) => isFinal(i.id)) && mentions.every((m) => replied.has(m.id))) break;
      if (Date.now() > deadline) {
        const late = d.calls.filter((c) => c.status >= 400).length;
        throw new Error(`not all answered after 60 s (${late} failed calls)\n${bot.out().slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const wall = Date.now() - started;

    expect(d.calls.filter((c) => c.status >= 400)).toEqual([]);
    const ack: number[] = [];
    const answer: number[] = [];
    for (const i of asks) {
      const r = d.interaction(i.id)!;
      ack.push(r.callbackAt! - r.dispatchedAt);
      const editedAt = d.callsFor(i.id).findLast((c) => c.route === 'editOriginal')?.at;
      answer.push((editedAt ?? r.callbackAt!) - r.dispatchedAt);
      expect(r.original?.embeds[0]?.description ?? '').toMatch(/\*\*(Source excerpt|Closest passage)/);
    }
    const mentionLatency: number[] = [];
    for (const m of mentions) {
      const replies = d.calls.filter((c) => c.route === 'createMessage' && referenced(c) === m.id);
      expect(replies).toHaveLength(1);
      const body = replies[0]!.body as { embeds?: APIEmbed[]; allowed_mentions?: unknown };
      expect(body.embeds?.[0]?.description ?? '').toMatch(/\*\*(Source excerpt|Closest passage)/);
      mentionLatency.push(replies[0]!.at - Date.parse(m.timestamp));
    }
    expect(Math.max(...ack)).toBeLessThan(3000);
    for (const c of d.calls) {
      const body = c.body as
        { allowed_mentions?: unknown; data?: { allowed_mentions?: unknown } } | undefined;
      const mentionsField =
        c.route === 'interactionCallback' ? body?.data?.allowed_mentions : body?.allowed_mentions;
      if (
        c.route === 'createMessage' ||
        c.route === 'editOriginal' ||
        (c.route === 'interactionCallback' && body?.data)
      ) {
        expect(mentionsField).toEqual({ parse: [] });
      }
    }
    expect(bot.out()).not.toContain(TOKEN);

    const sort = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const row = (name: string, xs: number[]) => {
      const s = sort(xs);
      return `${name.padEnd(18)} p50 ${percentile(s, 50)} ms  p95 ${percentile(s, 95)} ms  p99 ${percentile(s, 99)} ms  max ${s.at(-1)} ms`;
    };
    const deferred = asks.filter(
      (i) => d.interaction(i.id)?.callbackType === InteractionResponseType.DeferredChannelMessageWithSource,
    ).length;
    console.log(
      [
        `300 /ask + 100 mentions at once, bot process with USE: all answered in ${wall} ms`,
        row('/ask acknowledge', ack),
        row('/ask answer', answer),
        row('mention answer', mentionLatency),
        row('all answers', [...answer, ...mentionLatency]),
        `/ask deferred: ${deferred} of 300`,
      ].join('\n'),
    );
  }, 120_000);
});
