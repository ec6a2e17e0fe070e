import { MessageFlags } from 'discord.js';
import type { ButtonInteraction, RepliableInteraction } from 'discord.js';
import type { Trace } from './context.js';
import type { Reply } from './views/reply.js';

/**
 * Sends `reply` as the interaction's next response: the first response when there was none (ephemeral when asked),
 * the edit of a deferral, or a follow-up after that.
 */
export async function send(
  interaction: RepliableInteraction,
  trace: Trace,
  reply: Reply,
  ephemeral: boolean,
): Promise<void> {
  if (interaction.deferred && !interaction.replied) {
    await interaction.editReply(reply);
  } else if (interaction.replied) {
    await interaction.followUp({ ...reply, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  } else {
    await interaction.reply({ ...reply, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
    trace.ackAt = Date.now();
    trace.ephemeral = ephemeral;
  }
  trace.answerAt ??= Date.now();
}

/** Updates the message a button sits on (one callback, no REST budget). */
export async function update(interaction: ButtonInteraction, trace: Trace, reply: Reply): Promise<void> {
  await interaction.update(reply);
  trace.ackAt = trace.answerAt = Date.now();
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** Resolves with the work's outcome, or undefined when `ms` pass first. */
function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Acknowledge by this long after an interaction's creation at the latest (ms). Discord's limit is 3000 ms for the
 * response to arrive; the rest is for the request to get there.
 */
export const ACK_BY_MS = 2500;

/** How {@link answerWithin} answers. */
export interface AnswerWithinOptions {
  readonly ephemeral: boolean;
  /** Answers ready this long after the interaction's creation go out in the first response. */
  readonly budgetMs: number;
  /**
   * The engine's queue (the bot's scheduler). Past the budget, while work is queued and the queue predicts that the
   * answer will be ready before {@link ACK_BY_MS}, the bot keeps waiting and answers in the first response rather
   * than deferring:
   * in a burst, every deferral's edit would wait behind discord.js's 50-requests-a-second budget (1000 questions
   * at once, 30 % deferred: answer p99 ~7 s instead of ~2 s).
   */
  readonly queue?: { readonly depth: number; predictedWaitMs(): number };
}

/**
 * Answers an interaction with the result of `compute`, inside Discord's 3-second window:
 * when the answer is ready before `budgetMs` after the interaction was created it goes out in the first response
 * (one callback, which discord.js does not hold to its 50-requests-a-second budget); otherwise the bot defers at that
 * moment and edits the answer in when it is ready. With a `queue`, a burst's answers that are predicted ready before
 * {@link ACK_BY_MS} are waited for instead, and deferred at that point if they are still not there.
 * An interaction already past its budget when it gets here (a busy event loop), with no such prediction, is
 * deferred before computing, so the computation cannot delay the acknowledgement further.
 * Ephemerality is fixed by the first response.
 *
 * A failure of `compute` is rethrown (after the deferral, if one was sent) for the handler's single catch.
 */
export async function answerWithin(
  interaction: RepliableInteraction,
  trace: Trace,
  compute: () => Promise<Reply>,
  opts: AnswerWithinOptions,
): Promise<void> {
  const deadline = trace.startedAt + opts.budgetMs;
  const ackBy = trace.startedAt + Math.max(opts.budgetMs, ACK_BY_MS);
  const { queue } = opts;
  // Only a wait caused by a queue is worth extending: a lone slow answer (or a budget of 0) is deferred as set.
  const readyInTime = () =>
    queue !== undefined && queue.depth > 0 && Date.now() + queue.predictedWaitMs() < ackBy;
  if (Date.now() >= deadline && !readyInTime()) {
    await defer(interaction, trace, opts.ephemeral);
    const reply = await compute();
    await interaction.editReply(reply);
    trace.answerAt = Date.now();
    return;
  }
  const outcome = settle(new Promise<Reply>((resolve) => resolve(compute())));
  let early = await within(outcome, deadline - Date.now());
  if (!early && readyInTime()) early = await within(outcome, ackBy - Date.now());
  if (early) {
    if (!early.ok) throw early.error;
    await send(interaction, trace, early.value, opts.ephemeral);
    return;
  }
  await defer(interaction, trace, opts.ephemeral);
  const late = await outcome;
  if (!late.ok) throw late.error;
  await interaction.editReply(late.value);
  trace.answerAt = Date.now();
}

/**
 * Acknowledges with a deferral ("thinking…"), private when asked, and notes it on the trace. For work known to take
 * longer than the answer budget (`/check` reads the channel's history first); {@link send} then edits the answer in.
 */
export async function defer(
  interaction: RepliableInteraction,
  trace: Trace,
  ephemeral: boolean,
): Promise<void> {
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  trace.ackAt = Date.now();
  trace.deferred = true;
  trace.ephemeral = ephemeral;
}
