import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { ClientOptions, Interaction, Message } from 'discord.js';
import type { Logger } from 'pino';
import type { BotConfig } from '../config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/open-store.js';
import { commands } from './commands/index.js';
import type { BotContext } from './context.js';
import { Trace } from './context.js';
import { handleMessage } from './conversation.js';
import { describeError } from './describe-error.js';
import { dispatch, registryOf } from './dispatch.js';
import type { EngineHolder } from './engine/engine-holder.js';
import { EngineScheduler, ScheduledEngines } from './engine/scheduler.js';
import { send } from './respond.js';
import { AnswerStore } from './state/answer-store.js';
import { RateLimits } from './state/rate-limit.js';
import { ThreadMemory } from './state/thread-memory.js';
import { VoteTally } from './state/votes.js';
import { WatchState } from './state/watch-state.js';
import { labelsFor, langOf, langOfText } from './views/labels.js';
import { notices } from './views/notices.js';
import { watchMessage } from './watch.js';

export interface BotOptions {
  readonly config: BotConfig;
  readonly engine: EngineHolder;
  readonly logger: Logger;
  /** Overrides `config.ANSWER_BUDGET_MS`. */
  readonly answerBudgetMs?: number;
  /** Answers kept for buttons and follow-ups (default 5000). */
  readonly storeCapacity?: number;
  /** Extra discord.js client options (tests pass `ws.buildIdentifyThrottler`). */
  readonly clientOptions?: Partial<ClientOptions>;
  readonly now?: () => number;
  /** The settings and feedback database (default: opened under `config.DATA_DIR`); closed by `stop`. */
  readonly store?: Store;
}

export interface Bot {
  readonly client: Client;
  readonly context: BotContext;
  /** Logs in and resolves once the client is ready. */
  start(): Promise<void>;
  /**
   * Graceful shutdown: stops accepting work (new interactions get a private "restarting" reply, messages are left
   * alone), waits up to `timeoutMs` for answers in flight to be sent, then stops.
   */
  drain(timeoutMs?: number): Promise<void>;
  /** Disconnects from Discord and closes the feedback log. Idempotent. */
  stop(): Promise<void>;
  /** Handlers still running. */
  readonly inFlight: number;
}

/** Builds the Discord bot: the client, its handlers and their shared state. Does not connect until `start()`. */
export function createBot(options: BotOptions): Bot {
  const { config, logger } = options;
  const secrets = [config.DISCORD_TOKEN];
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  if (config.MESSAGE_CONTENT_INTENT) intents.push(GatewayIntentBits.MessageContent);

  const running = new Set<Promise<void>>();
  const answerBudgetMs = options.answerBudgetMs ?? config.ANSWER_BUDGET_MS;
  const scheduler = EngineScheduler.forBudget(answerBudgetMs);

  const client = new Client({
    intents,
    // A second line of defence: every payload already says { parse: [] }.
    allowedMentions: { parse: [] },
    ...(config.DISCORD_API_URL !== undefined ? { rest: { api: config.DISCORD_API_URL } } : {}),
    ...options.clientOptions,
  });

  const database = options.store ?? openStore({ dataDir: config.DATA_DIR });
  const context: BotContext = {
    config,
    engines: new ScheduledEngines(options.engine, scheduler),
    logger,
    store: new AnswerStore(options.storeCapacity),
    limits: new RateLimits({
      userPerMinute: config.RATE_LIMIT_USER_PER_MINUTE,
      channelPerMinute: config.RATE_LIMIT_CHANNEL_PER_MINUTE,
    }),
    feedback: database.feedback,
    settings: database.settings,
    watch: new WatchState(config.WATCH_REPLIES_PER_HOUR, options.now),
    votes: new VoteTally(options.storeCapacity),
    threads: new ThreadMemory(),
    answerBudgetMs,
    scheduler,
    now: options.now ?? Date.now,
  };

  const registry = registryOf(commands);

  let draining = false;
  let stopped: Promise<void> | null = null;

  function track(work: Promise<void>): void {
    running.add(work);
    void work.finally(() => running.delete(work));
  }

  async function onInteraction(interaction: Interaction): Promise<void> {
    const trace = new Trace(Date.now(), interaction.createdTimestamp);
    const fields: Record<string, unknown> = { event: 'interaction', id: interaction.id };
    if (interaction.isCommand() || interaction.isAutocomplete()) {
      fields.command = interaction.commandName;
      fields.kind = interaction.isAutocomplete()
        ? 'autocomplete'
        : interaction.isChatInputCommand()
          ? 'slash'
          : 'message-menu';
    } else if (interaction.isButton()) {
      fields.command = interaction.customId.split(':').slice(0, 2).join(':');
      fields.kind = 'button';
    }
    try {
      await dispatch(interaction, context, trace, registry, draining);
    } catch (err) {
      trace.outcome = 'error';
      fields.error = describeError(err, secrets);
      const replyError = await acknowledgeFault(interaction, trace);
      if (replyError !== undefined) fields.replyError = replyError;
    } finally {
      const line = { ...fields, ...trace.fields(Date.now()) };
      if (trace.outcome === 'error') logger.error(line, 'interaction failed');
      else logger.info(line, 'interaction');
    }
  }

  /**
   * After a fault: make sure the user sees something rather than "The application did not respond". Returns why
   * that failed too (Discord still failing), for the interaction's one log line.
   */
  async function acknowledgeFault(
    interaction: Interaction,
    trace: Trace,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      if (interaction.isAutocomplete()) {
        if (!interaction.responded) await interaction.respond([]);
      } else if (interaction.isRepliable()) {
        await send(interaction, trace, notices.error(labelsFor(langOf(interaction.locale))), true);
      }
      return undefined;
    } catch (err) {
      return describeError(err, secrets);
    }
  }

  async function onMessage(message: Message): Promise<void> {
    if (draining || message.author.bot || message.webhookId !== null) return;
    const trace = new Trace(Date.now(), message.createdTimestamp);
    let trigger: string | null = null;
    try {
      trigger = await handleMessage(message, context, trace);
      // Not for the bot: in a watched channel, its claims may still be checked (never replies with an error).
      if (trigger === null) {
        const watched = await watchMessage(message, context, trace);
        if (watched !== null) trigger = `watch:${watched}`;
      }
    } catch (err) {
      trace.outcome = 'error';
      const fields: Record<string, unknown> = { error: describeError(err, secrets) };
      try {
        await message.reply({
          ...notices.error(labelsFor(langOfText(message.content))),
          failIfNotExists: false,
        });
      } catch (replyErr) {
        fields.replyError = describeError(replyErr, secrets);
      }
      logger.error(
        { event: 'message', id: message.id, ...trace.fields(Date.now()), ...fields },
        'message failed',
      );
      return;
    }
    if (trigger !== null)
      logger.info({ event: 'message', id: message.id, trigger, ...trace.fields(Date.now()) }, 'message');
  }

  client.on(Events.InteractionCreate, (interaction) => track(onInteraction(interaction)));
  client.on(Events.MessageCreate, (message) => track(onMessage(message)));
  client.on(Events.Error, (err) =>
    logger.error({ event: 'client-error', error: describeError(err, secrets) }, 'client error'),
  );
  client.on(Events.Warn, (warning) => logger.warn({ event: 'client-warning', warning }, 'client warning'));
  client.on(Events.ShardDisconnect, (event, shard) =>
    logger.warn({ event: 'gateway-disconnect', code: event.code, shard }, 'gateway disconnected'),
  );
  client.on(Events.ShardResume, (shard, replayed) =>
    logger.info({ event: 'gateway-resume', shard, replayed }, 'gateway resumed'),
  );
  client.rest.on('rateLimited', (info) =>
    logger.warn(
      {
        event: 'discord-rate-limited',
        route: info.route,
        global: info.global,
        retryAfterMs: info.retryAfter,
      },
      'Discord rate limit',
    ),
  );

  function stop(): Promise<void> {
    stopped ??= (async () => {
      draining = true;
      await client.destroy();
      await context.feedback.close();
      database.close();
      logger.info({ event: 'stopped' }, 'Footnote stopped');
    })();
    return stopped;
  }

  async function drain(timeoutMs = 8000): Promise<void> {
    draining = true;
    logger.info({ event: 'draining', inFlight: running.size }, 'finishing answers in flight');
    const deadline = Date.now() + timeoutMs;
    while (running.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
      ]);
      clearTimeout(timer);
    }
    if (running.size > 0) logger.warn({ event: 'drain-timeout', inFlight: running.size }, 'gave up waiting');
    await stop();
  }

  async function start(): Promise<void> {
    const ready = once(client, Events.ClientReady);
    await client.login(config.DISCORD_TOKEN);
    await ready;
    logger.info(
      { event: 'ready', user: client.user?.tag, guilds: client.guilds.cache.size, commands: commands.length },
      'Footnote is ready',
    );
  }

  return {
    client,
    context,
    get inFlight() {
      return running.size;
    },
    start,
    drain,
    stop,
  };
}
