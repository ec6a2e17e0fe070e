import { openEngine } from './answer/open-engine.js';
import { loadConfig, requireBotConfig } from './config.js';
import type { BotConfig } from './config.js';
import { createBot } from './discord/bot.js';
import type { Bot } from './discord/bot.js';
import { SwappableEngine } from './discord/engine-holder.js';
import { inviteUrl } from './discord/invite.js';
import { createLogger, describeError } from './discord/logging.js';
import { isFootnoteError } from './errors.js';

/** Hard limit for a graceful shutdown, after which the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * The composition root: configuration → engine → bot. Faults a moderator can fix (configuration, corpus, index) print
 * their message, which says what to do, and exit 1 without a stack trace.
 */
async function main(): Promise<void> {
  let config: BotConfig;
  try {
    config = requireBotConfig(loadConfig());
  } catch (err) {
    return fail(err);
  }
  const logger = createLogger(config.LOG_LEVEL);
  const secrets = [config.DISCORD_TOKEN];

  const open = () =>
    openEngine({
      config,
      onStale: 'warn',
      log: (message) => logger.info({ event: 'engine' }, message),
      onProgress: (p) => {
        if (p.done === p.total || p.done % 25 === 0) {
          logger.info(
            { event: 'index-progress', label: p.label, done: p.done, total: p.total },
            'building the index',
          );
        }
      },
    });

  // Signals are handled from here on, before the (possibly long) first index build: a SIGHUP then must not kill
  // the process (its default action), and SIGTERM/SIGINT while starting just stop it.
  let engines: SwappableEngine | undefined;
  let bot: Bot | undefined = undefined;
  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ event: 'shutdown', signal }, 'shutting down');
    if (bot === undefined) process.exit(0); // still starting: nothing in flight
    setTimeout(() => {
      logger.error({ event: 'shutdown-timeout' }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    bot.drain(SHUTDOWN_LIMIT_MS - 2000).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ event: 'shutdown-failed', error: describeError(err, secrets) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  // SIGHUP: load the index again (after `npm run ingest`) and swap it in atomically; a failure keeps the old one.
  // A SIGHUP that arrives while the engine is still loading (at start or during a reload) is not dropped: one more
  // reload runs when that load is done, so the bot always ends on the index published last.
  let reloading = false;
  let reloadAgain = false;
  const reload = (): void => {
    if (shuttingDown) return;
    if (engines === undefined || reloading) {
      reloadAgain = true;
      logger.info(
        { event: 'reload-queued' },
        'reload requested; it runs once the index being loaded is ready',
      );
      return;
    }
    const holder = engines;
    reloading = true;
    reloadAgain = false;
    logger.info({ event: 'reload' }, 'reloading the index');
    open()
      .then((next) => {
        holder.swap(next);
        const now = next.info();
        logger.info({ event: 'reloaded', passages: now.passages, builtAt: now.builtAt }, 'index reloaded');
      })
      .catch((err: unknown) => {
        logger.warn(
          { event: 'reload-failed', error: describeError(err, secrets) },
          'reload failed; still serving the previous index',
        );
      })
      .finally(() => {
        reloading = false;
        if (reloadAgain) reload();
      });
  };
  process.on('SIGHUP', reload);

  try {
    engines = new SwappableEngine(await open());
  } catch (err) {
    return fail(err);
  }
  const info = engines.current().info();
  logger.info(
    { event: 'engine-ready', model: info.model, passages: info.passages, builtAt: info.builtAt },
    'index loaded',
  );
  if (reloadAgain) reload();

  bot = createBot({ config, engine: engines, logger });
  try {
    await bot.start();
  } catch (err) {
    if (shuttingDown) return; // stopped while logging in: the shutdown exits
    logger.fatal(
      { event: 'login-failed', error: describeError(err, secrets) },
      'could not connect to Discord',
    );
    console.error(loginHint(err));
    await bot.stop().catch(() => undefined);
    process.exit(1);
  }
  console.log(`Invite Footnote to a server: ${inviteUrl(config.DISCORD_APPLICATION_ID)}`);
}

/** Prints a fault for the person running the bot and exits 1: the message alone for expected faults. */
function fail(err: unknown): never {
  if (isFootnoteError(err)) console.error(`footnote: ${err.message}`);
  else
    console.error('footnote: unexpected error at start-up, please report it with the output below.\n', err);
  process.exit(1);
}

function loginHint(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/intent/i.test(message)) {
    return 'Discord refused the Message Content intent. Enable it in the Developer Portal (Bot → Privileged Gateway Intents) or set MESSAGE_CONTENT_INTENT=false.';
  }
  if (/token/i.test(message))
    return 'Discord refused the token. Reset it in the Developer Portal (Bot → Reset Token) and update DISCORD_TOKEN.';
  return 'Could not connect to Discord; see the log line above.';
}

await main();
