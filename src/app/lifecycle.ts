import type { Logger } from 'pino';
import type { Engine } from '../answer/types.js';
import { describeError } from '../discord/describe-error.js';
import { SwappableEngine } from '../discord/engine/engine-holder.js';

/** Hard limit for a graceful shutdown, after which the process exits anyway. */
export const SHUTDOWN_LIMIT_MS = 10_000;

/** What the lifecycle drains on shutdown. */
export interface Drainable {
  drain(timeoutMs: number): Promise<void>;
}

export interface LifecycleOptions {
  readonly logger: Logger;
  /** Strings scrubbed from logged errors (the bot token). */
  readonly secrets: readonly string[];
  /** Loads the engine from the published index (at start and on every reload). */
  readonly open: () => Promise<Engine>;
  /** Process hooks; tests pass fakes. */
  readonly exit?: (code: number) => never;
  readonly on?: (signal: NodeJS.Signals, listener: () => void) => void;
}

/**
 * The process lifecycle, in one place:
 * - signals are handled from construction on, before the (possibly long) first index build: a SIGHUP then must not
 *   kill the process (its default action), and SIGTERM/SIGINT while starting just exit 0;
 * - SIGHUP loads the index again (after `npm run ingest`) and swaps it in atomically; a failure keeps the old one and
 *   logs why. A SIGHUP that arrives while the engine is loading (at start or during a reload) is not dropped: one
 *   more reload runs once that load is done, so the bot always ends on the index published last;
 * - SIGTERM/SIGINT drain the bot (answers in flight are sent, new interactions hear "restarting") and exit 0, or 1
 *   after {@link SHUTDOWN_LIMIT_MS}.
 */
export class Lifecycle {
  private engines: SwappableEngine | undefined;
  private bot: Drainable | undefined;
  private shuttingDown = false;
  private reloading = false;
  private reloadAgain = false;
  private readonly exit: (code: number) => never;

  constructor(private readonly options: LifecycleOptions) {
    this.exit = options.exit ?? ((code) => process.exit(code));
    const on = options.on ?? ((signal, listener) => process.on(signal, listener));
    on('SIGINT', () => this.shutdown('SIGINT'));
    on('SIGTERM', () => this.shutdown('SIGTERM'));
    on('SIGHUP', () => this.reload());
  }

  /** True once a shutdown signal arrived. */
  get stopping(): boolean {
    return this.shuttingDown;
  }

  /** Loads the first engine; rejects with the load's error. A reload asked for meanwhile runs after it. */
  async start(): Promise<SwappableEngine> {
    const engines = new SwappableEngine(await this.options.open());
    this.engines = engines;
    const info = engines.current().info();
    this.options.logger.info(
      { event: 'engine-ready', model: info.model, passages: info.passages, builtAt: info.builtAt },
      'index loaded',
    );
    if (this.reloadAgain) this.reload();
    return engines;
  }

  /** The bot to drain on shutdown. */
  attach(bot: Drainable): void {
    this.bot = bot;
  }

  shutdown(signal: string): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const { logger } = this.options;
    logger.info({ event: 'shutdown', signal }, 'shutting down');
    const bot = this.bot;
    if (bot === undefined) this.exit(0); // still starting: nothing in flight
    setTimeout(() => {
      logger.error({ event: 'shutdown-timeout' }, 'shutdown took too long; exiting');
      this.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    bot.drain(SHUTDOWN_LIMIT_MS - 2000).then(
      () => this.exit(0),
      (err: unknown) => {
        logger.error(
          { event: 'shutdown-failed', error: describeError(err, this.options.secrets) },
          'shutdown failed',
        );
        this.exit(1);
      },
    );
  }

  reload(): void {
    if (this.shuttingDown) return;
    const { logger } = this.options;
    if (this.engines === undefined || this.reloading) {
      this.reloadAgain = true;
      logger.info(
        { event: 'reload-queued' },
        'reload requested; it runs once the index being loaded is ready',
      );
      return;
    }
    const holder = this.engines;
    this.reloading = true;
    this.reloadAgain = false;
    logger.info({ event: 'reload' }, 'reloading the index');
    this.options
      .open()
      .then((next) => {
        holder.swap(next);
        const now = next.info();
        logger.info({ event: 'reloaded', passages: now.passages, builtAt: now.builtAt }, 'index reloaded');
      })
      .catch((err: unknown) => {
        logger.warn(
          { event: 'reload-failed', error: describeError(err, this.options.secrets) },
          'reload failed; still serving the previous index',
        );
      })
      .finally(() => {
        this.reloading = false;
        if (this.reloadAgain) this.reload();
      });
  }
}
