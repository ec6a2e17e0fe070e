import type { Message } from 'discord.js';
import { skipReason } from '../answer/claims.js';
import type { ClaimResult } from '../answer/claims.js';
import { claimTextOf } from './claim-text.js';
import type { BotContext, Trace } from './context.js';
import { describeError } from './describe-error.js';
import { invocation } from './dispatch.js';
import { claimSentences } from './engine/scheduler.js';
import { renderWatchReply } from './views/claims.js';
import { langOfText } from './views/labels.js';

/**
 * A watched channel replies to a contradiction only at or above this calibrated confidence. A false
 * "contradicted" said in public is the worst outcome, so the bar is high: measured on the 30 claims-dev claims on
 * the bundled corpus (n-gram embeddings) the engine called 7 claims `contradicted`, all rightly, with confidences
 * 0.82–0.97. A contradiction below the bar is still shown privately by Find source and `/check`.
 */
export const WATCH_CONTRADICT_CONFIDENCE = 0.8;
/** A supported claim gets its 📎 reaction only at or above this confidence. */
export const WATCH_SUPPORT_CONFIDENCE = 0.7;
/** Sentences of one message checked at most (the first ones that are checkable). */
export const WATCH_MAX_SENTENCES = 8;
/** The reaction for a claim the documents support. */
export const SUPPORTED_REACTION = '📎';

/** What the watch did with a message, for its log line. */
export type WatchOutcome =
  | 'replied'
  | 'reacted'
  | 'nothing'
  | 'chit-chat'
  | 'older-than-watch'
  | 'seen'
  | 'rate-limited'
  | 'busy'
  | 'error';

/**
 * Checks a message posted in a watched channel (or in a thread of one): a claim the documents contradict with
 * confidence ≥ {@link WATCH_CONTRADICT_CONFIDENCE} gets one short reply that pings no one (the documents' value,
 * the quote, the citation); otherwise a claim they support gets a {@link SUPPORTED_REACTION} reaction; anything
 * else, nothing. Never a bot, a webhook or a system message, never a message older than the watch, at most one
 * reply per message, replies within `WATCH_REPLIES_PER_HOUR` per channel. A fault is logged, never shown in the
 * channel. Returns null when the channel is not watched.
 */
export async function watchMessage(
  message: Message,
  ctx: BotContext,
  trace: Trace,
): Promise<WatchOutcome | null> {
  if (!message.inGuild() || message.author.bot || message.webhookId !== null || message.system) return null;
  const channel = message.channel;
  const watch =
    ctx.settings.watched(message.guildId, message.channelId) ??
    (channel.isThread() && channel.parentId !== null
      ? ctx.settings.watched(message.guildId, channel.parentId)
      : null);
  if (!watch) return null;
  trace.outcome = 'ignored';
  if (message.createdTimestamp < Date.parse(watch.since)) return 'older-than-watch';
  if (!ctx.watch.firstTime(message.id)) return 'seen';

  const sentences = claimSentences(claimTextOf(message))
    .filter((s) => skipReason(s) === null)
    .slice(0, WATCH_MAX_SENTENCES);
  if (sentences.length === 0) return 'chit-chat';
  if (!ctx.watch.take(ctx.watch.checks, message.channelId)) return 'rate-limited';
  // Background work yields to members waiting for answers: skipped while the engine's queue is backed up.
  if (ctx.scheduler.busy()) return 'busy';

  try {
    const inv = invocation(ctx, trace, langOfText(message.content));
    const checks = await Promise.all(sentences.map((s) => inv.engine.checkSentence(s)));
    const claims = checks.flatMap((c) => c.claims);
    const contradiction = strongest(claims, 'contradicted', WATCH_CONTRADICT_CONFIDENCE);
    if (contradiction) {
      if (!ctx.watch.take(ctx.watch.replies, message.channelId)) return 'rate-limited';
      await message.reply({
        ...renderWatchReply(contradiction, inv.view),
        allowedMentions: { parse: [], repliedUser: false },
        failIfNotExists: false,
      });
      trace.outcome = 'answered';
      trace.ackAt = trace.answerAt = Date.now();
      return 'replied';
    }
    // A message with a doubtful contradiction is not marked as supported either.
    if (claims.some((c) => c.verdict === 'contradicted')) return 'nothing';
    if (!strongest(claims, 'supported', WATCH_SUPPORT_CONFIDENCE)) return 'nothing';
    if (!ctx.watch.take(ctx.watch.reactions, message.channelId)) return 'rate-limited';
    await message.react(SUPPORTED_REACTION);
    trace.outcome = 'shown';
    trace.ackAt = trace.answerAt = Date.now();
    return 'reacted';
  } catch (err) {
    trace.outcome = 'error';
    ctx.logger.warn(
      { event: 'watch-failed', id: message.id, error: describeError(err, [ctx.config.DISCORD_TOKEN]) },
      'watched message not handled',
    );
    return 'error';
  }
}

/** The most confident claim with this verdict at or above `min`, or undefined. */
function strongest(
  claims: readonly ClaimResult[],
  verdict: ClaimResult['verdict'],
  min: number,
): ClaimResult | undefined {
  return claims
    .filter((c) => c.verdict === verdict && c.confidence >= min)
    .sort((a, b) => b.confidence - a.confidence)[0];
}
