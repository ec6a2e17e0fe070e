import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { BotConfig } from '../config.js';
import type { FeedbackSink } from '../store/feedback-store.js';
import type { SettingsStore } from '../store/settings-store.js';
import type { EngineScheduler, ScheduledEngine, ScheduledEngines } from './engine/scheduler.js';
import type { AnswerStore } from './state/answer-store.js';
import type { RateLimits } from './state/rate-limit.js';
import type { ThreadMemory } from './state/thread-memory.js';
import type { VoteTally } from './state/votes.js';
import type { WatchState } from './state/watch-state.js';
import type { Lang, Labels } from './views/labels.js';
import type { ViewContext } from './views/context.js';
import type { Reply } from './views/reply.js';

/** Everything a handler needs, built once by `createBot`. */
export interface BotContext {
  readonly config: BotConfig;
  /** The current engine behind the scheduler; call `current()` once per handler. */
  readonly engines: ScheduledEngines;
  readonly logger: Logger;
  readonly store: AnswerStore;
  readonly limits: RateLimits;
  readonly feedback: FeedbackSink;
  /** Votes per answer, for the counts on the 👍/👎 buttons. */
  readonly votes: VoteTally;
  /** Per-server settings (watched channels, options). */
  readonly settings: SettingsStore;
  /** Watched channels' rate limits and the messages already handled. */
  readonly watch: WatchState;
  readonly threads: ThreadMemory;
  /**
   * Milliseconds after an interaction's creation within which an answer that is ready goes out in the first
   * response; past it the bot defers and edits the answer in. Must stay well inside Discord's 3 s.
   */
  readonly answerBudgetMs: number;
  /**
   * The queue every engine call goes through (`engines` is behind it): it picks `full` or `fast` mode from its
   * backlog and measured costs, and predicts when queued work will be done (see ./engine/scheduler.ts).
   */
  readonly scheduler: EngineScheduler;
  readonly now: () => number;
}

/** One handler's view of the bot: the context, the engine it uses throughout, and the member's language. */
export interface Invocation {
  readonly ctx: BotContext;
  readonly trace: Trace;
  /** Taken once: an index swapped in meanwhile never mixes with this one inside one answer. */
  readonly engine: ScheduledEngine;
  readonly lang: Lang;
  readonly t: Labels;
  /** Labels and the engine's display names and links, for the views. */
  readonly view: ViewContext;
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

/**
 * What the dispatcher runs before a command, in this order (the bot's draining state is checked for every command):
 * - `rate-limit`: takes a slot for the user and channel, or replies privately with how long to wait;
 * - `answer-budget`: the command's result goes out within the answer budget (first response when ready in time,
 *   else a deferral and an edit; see respond.ts); without it the result is sent at once.
 */
export type Precondition = 'rate-limit' | 'answer-budget';

/** What a command produces: a reply, private or not (a private result after a deferral stays as deferred). */
export interface CommandResult {
  readonly reply: Reply;
  readonly ephemeral?: boolean;
}

interface CommandBase<I> {
  readonly preconditions: readonly Precondition[];
  /** With `answer-budget`: whether the first response is private (fixed before the result is known). */
  ephemeral?(interaction: I): boolean;
  /** Cheap checks before the preconditions (a message without text): a result here ends the command. */
  check?(interaction: I, inv: Invocation): CommandResult | null;
  run(interaction: I, inv: Invocation): Promise<CommandResult> | CommandResult;
}

/** A slash command: its registration data and its handlers. */
export interface SlashCommand extends CommandBase<ChatInputCommandInteraction> {
  readonly kind: 'slash';
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Answers autocomplete for the command's focused option; must answer within 3 s and never defer. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** A message context-menu command ("Apps → Find source"). */
export interface MessageCommand extends CommandBase<MessageContextMenuCommandInteraction> {
  readonly kind: 'message';
  readonly data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
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
