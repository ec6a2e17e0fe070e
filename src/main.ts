import { openEngine } from './answer/open-engine.js';
import { Lifecycle } from './app/lifecycle.js';
import { createLogger } from './app/logging.js';
import { loadConfig, requireBotConfig } from './config.js';
import type { BotConfig } from './config.js';
import { createBot } from './discord/bot.js';
import { describeError } from './discord/describe-error.js';
import { inviteUrl } from './discord/invite.js';
import { isFootnoteError } from './errors.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/open-store.js';

/**
 * The composition root: configuration → store → engine → bot, with the process lifecycle (signals, reload, drain)
 * in src/app/lifecycle.ts. Faults a moderator can fix (configuration, corpus, index, database) print their message,
 * which says what to do, and exit 1 without a stack trace.
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
  // The database first: a bad or locked one stops the start before the (possibly long) index load.
  let store: Store;
  try {
    store = openStore({ dataDir: config.DATA_DIR });
  } catch (err) {
    return fail(err);
  }
  if (store.imported && store.imported.added > 0) {
    logger.info(
      { event: 'feedback-imported', ...store.imported },
      'feedback.jsonl imported into the database',
    );
  }

  const lifecycle = new Lifecycle({
    logger,
    secrets,
    open: () =>
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
      }),
  });

  let engines;
  try {
    engines = await lifecycle.start();
  } catch (err) {
    return fail(err);
  }

  const bot = createBot({ config, engine: engines, logger, store });
  lifecycle.attach(bot);
  try {
    await bot.start();
  } catch (err) {
    if (lifecycle.stopping) return; // stopped while logging in: the shutdown exits
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
