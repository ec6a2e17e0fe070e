import type { ClientUser, Message } from 'discord.js';
import { askStoreReply } from './ask-flow.js';
import { parseCustomId } from './components/custom-id.js';
import type { BotContext, Trace } from './context.js';
import { invocation } from './dispatch.js';
import { labelsFor, langOfText } from './views/labels.js';
import { notices } from './views/notices.js';
import type { Reply } from './views/reply.js';

/** Earlier questions passed to the engine as context, most recent last. */
export const MAX_CONTEXT = 3;

/** Why the bot answers a message. */
export type Trigger = 'reply' | 'mention' | 'thread';

/**
 * Decides whether a message is for the bot, and answers it as a reply when it is:
 * - a reply to one of the bot's answers is a follow-up, with the earlier questions of the reply chain as context;
 * - a message that mentions the bot (a real user mention: not @everyone, @here or a role) is a question;
 * - in a thread the bot opened, every human message is a question when THREAD_AUTO_ANSWER is on, with the thread's
 *   recent questions as context.
 * Bots (the bot itself included), webhooks and system messages are never answered, so two bots cannot loop.
 *
 * Returns the trigger, or null when the message is not for the bot.
 */
export async function handleMessage(
  message: Message,
  ctx: BotContext,
  trace: Trace,
): Promise<Trigger | null> {
  const me = message.client.user;
  if (message.author.bot || message.webhookId !== null || message.system || message.author.id === me.id)
    return null;

  const channel = message.channel;
  const inBotThread = channel.isThread() && channel.ownerId === me.id;
  const mentioned = message.mentions.has(me, {
    ignoreEveryone: true,
    ignoreRoles: true,
    ignoreRepliedUser: true,
  });
  const chain = await replyChainContext(message, ctx, me);

  let trigger: Trigger;
  if (chain !== null) trigger = 'reply';
  else if (mentioned) trigger = 'mention';
  else if (inBotThread && ctx.config.THREAD_AUTO_ANSWER) trigger = 'thread';
  else return null;

  const question = stripMention(message.content, me.id);
  // A message has no locale: the labels follow the language the question is written in.
  const t = labelsFor(langOfText(question));
  if (question === '') {
    trace.outcome = 'invalid';
    if (trigger === 'mention') await reply(message, trace, notices.mentionUsage(t));
    return trigger;
  }

  const decision = ctx.limits.take(message.author.id, message.channelId);
  if (!decision.ok) {
    trace.outcome = 'rate-limited';
    // A channel message cannot be private: say it once per window, then stay quiet.
    if (decision.firstRefusal)
      await reply(message, trace, notices.rateLimited(t, decision.retryAfterSeconds, decision.scope));
    return trigger;
  }

  const threadContext = inBotThread ? (ctx.threads.recent(channel.id) ?? [channel.name]) : [];
  const context = (chain ?? threadContext).slice(-MAX_CONTEXT);
  const answer = await askStoreReply(invocation(ctx, trace, langOfText(question)), {
    question,
    context,
    guildId: message.guildId,
    channelId: message.channelId,
    canThread: message.inGuild() && !channel.isThread(),
  });
  if (inBotThread) ctx.threads.add(channel.id, question);
  await reply(message, trace, answer);
  return trigger;
}

async function reply(message: Message, trace: Trace, payload: Reply): Promise<void> {
  await message.reply({ ...payload, failIfNotExists: false });
  trace.ackAt = trace.answerAt = Date.now();
}

/** The message text without the bot's mentions, trimmed. */
export function stripMention(content: string, botId: string): string {
  return content.replaceAll(`<@${botId}>`, ' ').replaceAll(`<@!${botId}>`, ' ').trim();
}

/**
 * When `message` replies to one of the bot's answers: the questions of that answer's conversation (its context and
 * its question), from the answer store via the key in the answer's buttons, or from the answer's title when the store
 * has forgotten it. Null when it is not a reply to the bot.
 */
async function replyChainContext(
  message: Message,
  ctx: BotContext,
  me: ClientUser,
): Promise<string[] | null> {
  if (message.reference?.messageId === undefined) return null;
  // Only fetch what is likely to be ours: Discord names the replied-to author in the reply (referenced_message).
  if (message.mentions.repliedUser !== null && message.mentions.repliedUser.id !== me.id) return null;
  let referenced: Message;
  try {
    referenced = await message.fetchReference();
  } catch {
    return null;
  }
  if (referenced.author.id !== me.id) return null;
  const key = answerKeyOf(referenced);
  const entry = key === null ? undefined : ctx.store.get(key);
  if (entry?.kind === 'answer') return [...entry.context, entry.question].slice(-MAX_CONTEXT);
  const title = referenced.embeds[0]?.title;
  return title ? [unescapeTitle(title)] : [];
}

/** The answer-store key in a bot message's buttons, if any. */
function answerKeyOf(message: Message): string | null {
  for (const row of message.components) {
    if (!('components' in row)) continue;
    for (const component of row.components) {
      const id = 'customId' in component ? component.customId : null;
      const action = typeof id === 'string' ? parseCustomId(id) : null;
      if (action && 'key' in action && action.kind !== 'look') return action.key;
    }
  }
  return null;
}

/** The question as typed, from an answer's escaped title (backslash escapes and zero-width spaces removed). */
function unescapeTitle(title: string): string {
  return title.replace(/\\(.)/g, '$1').replaceAll('\u200b', '');
}
