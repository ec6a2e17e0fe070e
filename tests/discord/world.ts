/**
 * Shared set-up of the end-to-end suites: the real bot (discord.js client, engine) against the local
 * Discord server. End to end: the real discord.js client, the real engine (n-gram embeddings over the bundled corpus, built into a
 * temporary folder) and the local Discord server (src/testing/local-discord). Assertions are on the REST calls the bot makes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { InteractionResponseType } from 'discord.js';
import type { APIEmbed, APIMessage } from 'discord.js';
import { openEngine } from '../../src/answer/open-engine.js';
import type { AnswerResult, AskOptions, Engine } from '../../src/answer/types.js';
import { loadConfig, requireBotConfig } from '../../src/config.js';
import type { BotConfig } from '../../src/config.js';
import { createBot } from '../../src/discord/bot.js';
import type { Bot } from '../../src/discord/bot.js';
import { registerCommands } from '../../src/discord/deploy.js';
import { SwappableEngine } from '../../src/discord/engine/engine-holder.js';
import { createLogger } from '../../src/app/logging.js';
import type { Reply } from '../../src/discord/views/reply.js';
import { LocalDiscord } from '../../src/testing/local-discord/index.js';
import type { InteractionRecord, RestCall } from '../../src/testing/local-discord/index.js';

export const TOKEN = `e2e.${'t0ken'.repeat(14)}`;
export const EPHEMERAL = 64;
export const LOADING = 128;
export const CORPUS = join(import.meta.dirname, '..', '..', 'corpus');

/** An engine that records questions and can be made slow or faulty. */
export class TestEngine implements Engine {
  readonly asked: { question: string; context: readonly string[] }[] = [];
  readonly modes: (string | undefined)[] = [];
  delayMs = 0;
  fail = false;

  constructor(private readonly inner: Engine) {}

  async ask(question: string, options?: AskOptions): Promise<AnswerResult> {
    this.asked.push({ question, context: options?.context ?? [] });
    this.modes.push(options?.mode);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw new Error(`engine exploded (token ${TOKEN})`);
    return this.inner.ask(question, options);
  }
  search: Engine['search'] = (q, n) => this.inner.search(q, n);
  lookup: Engine['lookup'] = (t) => this.inner.lookup(t);
  topics: Engine['topics'] = () => this.inner.topics();
  brief: Engine['brief'] = (t) => this.inner.brief(t);
  documents: Engine['documents'] = () => this.inner.documents();
  passage: Engine['passage'] = (d, o) => this.inner.passage(d, o);
  passageById: Engine['passageById'] = (id) => this.inner.passageById(id);
  info: Engine['info'] = () => this.inner.info();
  checkClaim: Engine['checkClaim'] = (text) => this.inner.checkClaim(text);
}

export interface World {
  discord: LocalDiscord;
  bot: Bot;
  engine: TestEngine;
  config: BotConfig;
  logs: string[];
  dir: string;
}

/**
 * Opens the real engine over the bundled corpus in a temporary index folder (n-gram embeddings by
 * default: fast; `use` for the real model). Returns it with a cleanup function.
 */
export async function openTestEngine(
  embeddings: 'ngram' | 'use' = 'ngram',
): Promise<{ engine: Engine; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'footnote-e2e-index-'));
  const config = loadConfig({
    EMBEDDINGS: embeddings,
    CORPUS_DIR: CORPUS,
    INDEX_DIR: join(dir, 'index'),
    DATA_DIR: dir,
  });
  const engine = await openEngine({ config, onStale: 'rebuild' });
  return { engine, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function startWorld(realEngine: Engine, env: Record<string, string> = {}): Promise<World> {
  const discord = new LocalDiscord();
  const { apiUrl } = await discord.start();
  const dir = await mkdtemp(join(tmpdir(), 'footnote-e2e-'));
  const config = requireBotConfig(
    loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_GUILD_ID: discord.guildId,
      DISCORD_API_URL: apiUrl,
      EMBEDDINGS: 'ngram',
      CORPUS_DIR: CORPUS,
      DATA_DIR: dir,
      RATE_LIMIT_USER_PER_MINUTE: '0',
      RATE_LIMIT_CHANNEL_PER_MINUTE: '0',
      ANSWER_BUDGET_MS: '300',
      ...env,
    }),
  );
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const engine = new TestEngine(realEngine);
  const bot = createBot({
    config,
    engine: new SwappableEngine(engine),
    logger: createLogger('info', sink),
    clientOptions: {
      ws: { buildIdentifyThrottler: () => Promise.resolve({ waitForIdentify: () => Promise.resolve() }) },
    },
  });
  await registerCommands(config);
  await bot.start();
  return { discord, bot, engine, config, logs, dir };
}

export async function stopWorld(w: World | undefined): Promise<void> {
  if (!w) return;
  await w.bot.stop();
  await w.discord.stop();
  await rm(w.dir, { recursive: true, force: true });
}

/** The interaction once its response is final: a reply, an update, autocomplete choices, or an edited deferral. */
export function settled(discord: LocalDiscord, id: string, timeoutMs = 5000): Promise<InteractionRecord> {
  return discord.waitUntil(
    () => {
      const r = discord.interaction(id);
      if (r?.callbackType === undefined) return undefined;
      if (
        r.callbackType === InteractionResponseType.DeferredChannelMessageWithSource &&
        ((r.original?.flags ?? 0) & LOADING) !== 0
      ) {
        return undefined;
      }
      return r;
    },
    timeoutMs,
    `a final response to ${id}`,
  );
}

/** What the user sees for an interaction: the message behind @original (reply, edited deferral or update). */
export function shown(r: InteractionRecord): APIMessage {
  if (!r.original) throw new Error(`interaction ${r.id} has no message`);
  return r.original;
}

export function embed(m: APIMessage): APIEmbed {
  const e = m.embeds[0];
  if (!e) throw new Error(`message ${m.id} has no embed: ${m.content}`);
  return e;
}

export function buttonIds(m: APIMessage): string[] {
  return (m.components ?? []).flatMap((row) =>
    'components' in row ? row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id] : [])) : [],
  );
}

export function isEphemeral(r: InteractionRecord): boolean {
  return ((shown(r).flags ?? 0) & EPHEMERAL) !== 0;
}

/** Bot replies (createMessage with a reference) to a given message. */
export function repliesTo(discord: LocalDiscord, messageId: string): RestCall[] {
  return discord.calls.filter(
    (c) =>
      c.route === 'createMessage' &&
      (c.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference
        ?.message_id === messageId,
  );
}

export function waitReplyTo(discord: LocalDiscord, messageId: string): Promise<RestCall> {
  return discord.waitUntil(() => repliesTo(discord, messageId)[0], 5000, `a reply to message ${messageId}`);
}

export function responseMessage(call: RestCall): APIMessage {
  return call.response as APIMessage;
}

/** Every message body the bot sent, as a Reply-shaped payload, with the call it came from. */
export function sentPayloads(
  discord: LocalDiscord,
): { call: RestCall; payload: Reply; raw: Record<string, unknown> }[] {
  const out: { call: RestCall; payload: Reply; raw: Record<string, unknown> }[] = [];
  for (const call of discord.calls) {
    let raw: Record<string, unknown> | undefined;
    const body = call.body as Record<string, unknown> | undefined;
    if (call.route === 'interactionCallback' && (body?.type === 4 || body?.type === 7)) {
      raw = body.data as Record<string, unknown>;
    } else if (call.route === 'editOriginal' || call.route === 'followup' || call.route === 'createMessage') {
      raw = body;
    }
    if (!raw) continue;
    out.push({
      call,
      raw,
      payload: {
        ...(typeof raw.content === 'string' ? { content: raw.content } : {}),
        embeds: (raw.embeds as APIEmbed[] | undefined) ?? [],
        components: (raw.components as Reply['components'] | undefined) ?? [],
        allowedMentions: (raw.allowed_mentions ?? { missing: true }) as Reply['allowedMentions'],
      },
    });
  }
  return out;
}
