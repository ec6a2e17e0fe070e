import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { BotConfig } from '../config.js';
import type { AnswerStore } from './answer-store.js';
import type { EngineHolder } from './engine-holder.js';
import type { FeedbackLog } from './feedback.js';
import type { RateLimits } from './rate-limit.js';
import type { EngineScheduler } from './scheduler.js';
import type { ThreadMemory } from './thread-memory.js';

/** Everything a handler needs, built once by `createBot`. */
export interface BotContext {
  readonly config: BotConfig;
  readonly engines: EngineHolder;
  readonly logger: Logger;
  readonly store: AnswerStore;
  readonly limits: RateLimits;
  readonly feedback: FeedbackLog;
  readonly threads: ThreadMemory;
  /**
   * Milliseconds after an interaction's creation within which an answer that is ready goes out in the first
   * response; past it the bot defers and edits the answer in. Must stay well inside Discord's 3 s.
   */
  readonly answerBudgetMs: number;
  /**
   * The queue every engine call goes through (`engines` is behind it): it picks `full` or `fast` mode from its
   * backlog and measured costs, and predicts when queued work will be done (see ./scheduler.ts).
   */
  readonly scheduler: EngineScheduler;
  readonly now: () => number;
}

/** How an interaction or message ended, for the one log line each gets. */
export type Outcome =
  | 'answered'
  | 'refused'
  | 'shown'
  | 'not-found'
  | 'rate-limited'
  | 'expired'
  | 'restarting'
  | 'invalid'
  | 'error'
  | 'ignored';

/** Timing and outcome of one interaction or message, filled in by the handlers and logged once at the end. */
export class Trace {
  /** When the bot received the event (ms since the epoch). */
  readonly receivedAt: number;
  /**
   * When the 3-second clock started: the interaction's creation time from its snowflake when that is earlier than
   * `receivedAt` (events wait in the socket while the event loop is busy), else `receivedAt`. Trusting an earlier
   * time errs towards deferring, which is safe; a creation time "in the future" (clock skew) is ignored.
   */
  readonly startedAt: number;
  ackAt: number | null = null;
  answerAt: number | null = null;
  deferred = false;
  ephemeral = false;
  /** The engine's mode for this question or search ('fast' during bursts); null when none was asked. */
  mode: 'full' | 'fast' | null = null;
  outcome: Outcome = 'shown';

  constructor(receivedAt: number, createdAt: number = receivedAt) {
    this.receivedAt = receivedAt;
    this.startedAt = Number.isFinite(createdAt) ? Math.min(createdAt, receivedAt) : receivedAt;
  }

  /** Fields for the log line: latencies in ms from `receivedAt`. */
  fields(now: number): Record<string, unknown> {
    return {
      outcome: this.outcome,
      ackMs: this.ackAt === null ? null : this.ackAt - this.receivedAt,
      answerMs: this.answerAt === null ? null : this.answerAt - this.receivedAt,
      totalMs: now - this.receivedAt,
      queuedMs: this.receivedAt - this.startedAt,
      deferred: this.deferred,
      ephemeral: this.ephemeral,
      ...(this.mode !== null ? { mode: this.mode } : {}),
    };
  }
}

/** A slash command: its registration data and its handlers. */
export interface SlashCommand {
  readonly kind: 'slash';
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext, trace: Trace): Promise<void>;
  /** Answers autocomplete for the command's focused option; must answer within 3 s and never defer. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** A message context-menu command ("Apps → Find source"). */
export interface MessageCommand {
  readonly kind: 'message';
  readonly data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext, trace: Trace): Promise<void>;
}

export type Command = SlashCommand | MessageCommand;

/**
 * The engine mode for a question (or search, or brief) queued now, noted on the trace for the log line: `fast`
 * when the question's age plus the queue's predicted wait would pass a third of the answer budget in `full` mode.
 */
export function askMode(ctx: BotContext, trace: Trace): 'full' | 'fast' {
  trace.mode = ctx.scheduler.busy(Date.now() - trace.startedAt) ? 'fast' : 'full';
  return trace.mode;
}
