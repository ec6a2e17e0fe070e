/**
 * Load: 300 `/ask` interactions and 100 mentions dispatched at once to the real bot — `src/main.ts` in its own
 * process, with the real default embeddings (USE) — through the local Discord server in this process, as
 * Discord would be: remote. USE, not n-grams, because this is about real load: a `full` USE question costs
 * ~10 ms of blocking wasm, twenty times an n-gram one, and the whole test still takes ~15 s (most of it building
 * the index). The 400 questions are all different (eval questions under rewordings), so nothing is computed once
 * for several askers.
 *
 * Asserts correctness under load: every interaction acknowledged inside Discord's 3 s (the local server answers a
 * late one 404 / 10062, and none may get it), every one answered with a source, every mention answered exactly
 * once, no error logged, nobody pinged, the token nowhere. The latency figures (acknowledge, answer: dispatch →
 * the visible answer) are printed; speed is measured by `npm run bench`, never asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType, RESTJSONErrorCodes } from 'discord.js';
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../../src/bench/bench.js';
import { loadBaseQuestions } from '../../src/bench/engine-bench.js';
import { loadConfig, requireBotConfig } from '../../src/config.js';
import { registerCommands } from '../../src/discord/deploy.js';
import { buildIndex } from '../../src/index/build-index.js';
import { LocalDiscord } from '../../src/testing/local-discord/index.js';
import type { RestCall } from '../../src/testing/local-discord/index.js';
import { discordEnv, ROOT, runMain, waitForOutput } from '../../src/testing/run-main.js';
import type { Run } from '../../src/testing/run-main.js';

const TOKEN = `load.${'b0rst'.repeat(12)}`;
const ASKS = 300;
const MENTIONS = 100;
const LOADING = 128;

/** Rewordings, so that 400 questions drawn from a few dozen are all different. */
const REWORDINGS: readonly ((q: string) => string)[] = [
  (q) => q,
  (q) => q.toLowerCase(),
  (q) => q.replace(/[?？]\s*$/u, ''),
  (q) => `Please tell me: ${q}`,
  (q) => `${q} Quote the source.`,
  (q) => `Quick question: ${q}`,
  (q) => `${q} Thanks!`,
  (q) => `I wonder, ${q.charAt(0).toLowerCase()}${q.slice(1)}`,
  (q) => `Can you check: ${q}`,
  (q) => `${q} (for my essay)`,
  (q) => `Hi! ${q}`,
  (q) => `${q} Where does it say so?`,
];

/** `count` different questions: each base question under each rewording in turn, numbered when one repeats. */
function distinctQuestions(base: readonly string[], count: number): string[] {
  const out = new Set<string>();
  for (let i = 0; out.size < count; i++) {
    const question = REWORDINGS[Math.floor(i / base.length) % REWORDINGS.length]!(base[i % base.length]!);
    out.add(out.has(question) ? `${question} (${i})` : question);
  }
  return [...out];
}

/** The message a bot reply answers, from its message_reference. */
function referenced(call: RestCall): string | undefined {
  return (call.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference
    ?.message_id;
}

function summary(name: string, values: readonly number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const p = (q: number) => percentile(s, q);
  return `${name.padEnd(18)} p50 ${p(50)} ms  p95 ${p(95)} ms  p99 ${p(99)} ms  max ${s.at(-1)} ms`;
}

describe(`a burst of ${ASKS} /ask and ${MENTIONS} mentions against the bot process (USE embeddings)`, () => {
  const discord = new LocalDiscord();
  let dir: string;
  let bot: Run;
  let questions: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'footnote-load-'));
    questions = distinctQuestions((await loadBaseQuestions(ROOT)).questions, ASKS + MENTIONS);
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
    expect(new Set(questions).size).toBe(ASKS + MENTIONS);
    const users = Array.from({ length: 50 }, (_, n) => d.createUser({ username: `student${n}` }));
    const started = Date.now();
    const asks = questions
      .slice(0, ASKS)
      .map((question, n) =>
        d.slashCommand({ name: 'ask', options: { question }, user: users[n % users.length]! }),
      );
    const mentions = questions
      .slice(ASKS)
      .map((question, n) =>
        d.message({ content: `${d.botMention} ${question}`, author: users[(n * 7) % users.length]! }),
      );
    const isFinal = (id: string): boolean => {
      const r = d.interaction(id);
      if (r?.callbackType === undefined) return false;
      return (
        r.callbackType !== InteractionResponseType.DeferredChannelMessageWithSource ||
        ((r.original?.flags ?? 0) & LOADING) === 0
      );
    };
    // Poll every 50 ms: one cheap check, so the harness does not compete with the bot for the CPU.
    for (const deadline = Date.now() + 60_000; ;) {
      const replied = new Set(d.calls.filter((c) => c.route === 'createMessage').map(referenced));
      if (asks.every((i) => isFinal(i.id)) && mentions.every((m) => replied.has(m.id))) break;
      if (Date.now() > deadline) {
        const failed = d.calls.filter((c) => c.status >= 400).length;
        throw new Error(`not all answered after 60 s (${failed} failed calls)\n${bot.out().slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const wall = Date.now() - started;

    // No interaction expired: a late acknowledgement gets 404 Unknown interaction (10062) from the local server.
    const expired = d.calls.filter(
      (c) =>
        c.status === 404 &&
        (c.response as { code?: number } | undefined)?.code === RESTJSONErrorCodes.UnknownInteraction,
    );
    expect(expired).toEqual([]);
    expect(d.calls.filter((c) => c.status >= 400)).toEqual([]);
    const ack: number[] = [];
    const answer: number[] = [];
    for (const i of asks) {
      const r = d.interaction(i.id)!;
      ack.push(r.callbackAt! - r.dispatchedAt);
      const editedAt = d.callsFor(i.id).findLast((c) => c.route === 'editOriginal')?.at;
      answer.push((editedAt ?? r.callbackAt!) - r.dispatchedAt);
      expect(r.original?.embeds[0]?.description ?? '').toMatch(/^> .*\n— /m);
    }
    expect(Math.max(...ack)).toBeLessThan(3000);
    const mentionLatency: number[] = [];
    for (const m of mentions) {
      const replies = d.calls.filter((c) => c.route === 'createMessage' && referenced(c) === m.id);
      expect(replies).toHaveLength(1);
      const body = replies[0]!.body as { embeds?: APIEmbed[] };
      expect(body.embeds?.[0]?.description ?? '').toMatch(/^> .*\n— /m);
      mentionLatency.push(replies[0]!.at - Date.parse(m.timestamp));
    }
    for (const c of d.calls) {
      const body = c.body as
        { type?: number; allowed_mentions?: unknown; data?: { allowed_mentions?: unknown } } | undefined;
      const mentionsField =
        c.route === 'interactionCallback' ? body?.data?.allowed_mentions : body?.allowed_mentions;
      if (
        c.route === 'createMessage' ||
        c.route === 'editOriginal' ||
        // A message in the callback (4: reply, 7: update); a deferral (5) carries only its flags.
        (c.route === 'interactionCallback' && (body?.type === 4 || body?.type === 7))
      ) {
        expect(mentionsField).toEqual({ parse: [] });
      }
    }
    const out = bot.out();
    expect(out).not.toContain(TOKEN);
    expect(out).not.toMatch(/"level":(50|60)/);

    const deferred = asks.filter(
      (i) => d.interaction(i.id)?.callbackType === InteractionResponseType.DeferredChannelMessageWithSource,
    ).length;
    const modes = {
      full: out.split('"mode":"full"').length - 1,
      fast: out.split('"mode":"fast"').length - 1,
    };
    console.log(
      [
        `${ASKS} /ask + ${MENTIONS} mentions at once (all different), bot process with USE: all answered in ${wall} ms`,
        summary('/ask acknowledge', ack),
        summary('/ask answer', answer),
        summary('mention answer', mentionLatency),
        summary('all answers', [...answer, ...mentionLatency]),
        `/ask deferred: ${deferred} of ${ASKS}; engine mode: ${modes.full} full, ${modes.fast} fast`,
      ].join('\n'),
    );
  }, 120_000);
});
