import { DiscordAPIError, PermissionFlagsBits, RESTJSONErrorCodes, SlashCommandBuilder } from 'discord.js';
import type { ChatInputCommandInteraction, Collection, Message } from 'discord.js';
import { skipReason } from '../../answer/claims.js';
import type { ClaimResult } from '../../answer/claims.js';
import { claimTextOf } from '../claim-text.js';
import type { Invocation, SlashCommand } from '../context.js';
import { claimSentences } from '../engine/scheduler.js';
import { defer } from '../respond.js';
import { renderCheckList } from '../views/claims.js';
import type { CheckedClaim } from '../views/claims.js';
import { notice } from '../views/reply.js';
import { withRussian } from './localize.js';

/** Messages read by default and at most (Discord returns up to 100 in one request; 50 keeps the list readable). */
export const CHECK_DEFAULT_MESSAGES = 20;
export const CHECK_MAX_MESSAGES = 50;
/**
 * Checkable sentences checked per `/check` at most: ~10–20 ms each on 2 cores, so a run costs the engine at most
 * ~2–3 s. Past it, sentences are taken in turn from every message (the first sentence of each, then the second…),
 * so each message gets its first claims checked, and the rest are counted in the footer.
 */
export const CHECK_MAX_CLAIMS = 150;
/**
 * Claim jobs in the engine's queue at once for one `/check`: a question asked meanwhile waits behind at most this
 * many claims (~50 ms), not behind the whole run.
 */
const IN_FLIGHT = 3;

const NEEDED = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;

/**
 * `/check [messages] [public]`: reads the last messages of the channel or thread, checks their claims against the
 * documents and replies with a compact list (each claim shortened, its verdict, links to its message and to the
 * deciding passage). Private unless `public` is set. Always deferred first: reading the history and checking up
 * to {@link CHECK_MAX_CLAIMS} sentences can pass Discord's 3 s. Says so, privately, when the bot lacks Read Message
 * History or runs without the Message Content intent (it would read empty messages).
 */
export const check: SlashCommand = {
  kind: 'slash',
  data: withRussian(
    new SlashCommandBuilder()
      .setName('check')
      .setDescription('Check the claims of the last messages here against the documents')
      .addIntegerOption((o) =>
        o
          .setName('messages')
          .setDescription(
            `How many recent messages (1–${CHECK_MAX_MESSAGES}, default ${CHECK_DEFAULT_MESSAGES})`,
          )
          .setMinValue(1)
          .setMaxValue(CHECK_MAX_MESSAGES),
      )
      .addBooleanOption((o) =>
        o.setName('public').setDescription('Show the result to everyone in the channel'),
      )
      .toJSON(),
  ),
  preconditions: ['rate-limit'],

  check(interaction, inv) {
    if (!inv.ctx.config.MESSAGE_CONTENT_INTENT) {
      inv.trace.outcome = 'invalid';
      return { reply: notice(inv.t('checkNoContent')), ephemeral: true };
    }
    if (interaction.inGuild() && !interaction.appPermissions.has(NEEDED)) {
      inv.trace.outcome = 'invalid';
      return { reply: notice(inv.t('checkNoHistory')), ephemeral: true };
    }
    return null;
  },

  async run(interaction, inv) {
    const ephemeral = !(interaction.options.getBoolean('public') ?? false);
    const requested = Math.min(
      CHECK_MAX_MESSAGES,
      Math.max(1, interaction.options.getInteger('messages') ?? CHECK_DEFAULT_MESSAGES),
    );
    await defer(interaction, inv.trace, ephemeral);
    const messages = await recentMessages(interaction, requested);
    if (messages === 'no-access') {
      inv.trace.outcome = 'invalid';
      return { reply: notice(inv.t('checkNoHistory')), ephemeral };
    }
    if (messages === null) {
      inv.trace.outcome = 'invalid';
      return { reply: notice(inv.t('checkNoChannel')), ephemeral };
    }
    const run = await checkMessages(messages, inv);
    inv.trace.outcome = run.claims.length > 0 ? 'answered' : 'not-found';
    return { reply: renderCheckList({ ...run, requested }, inv.view), ephemeral };
  },
};

/** The last `limit` messages of the interaction's channel, oldest first; null without a readable channel. */
async function recentMessages(
  interaction: ChatInputCommandInteraction,
  limit: number,
): Promise<Message[] | null | 'no-access'> {
  try {
    const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId));
    if (!channel?.isTextBased() || !('messages' in channel)) return null;
    const fetched: Collection<string, Message> = await channel.messages.fetch({ limit, cache: false });
    // Snowflakes grow with time (and order messages of the same millisecond): oldest first.
    return [...fetched.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  } catch (err) {
    const denied: unknown[] = [RESTJSONErrorCodes.MissingAccess, RESTJSONErrorCodes.MissingPermissions];
    if (err instanceof DiscordAPIError && denied.includes(err.code)) return 'no-access';
    throw err;
  }
}

/**
 * Checks the claims of members' messages (bots, webhooks and system messages left out): the checkable sentences,
 * taken in turn from every message up to {@link CHECK_MAX_CLAIMS}, each checked once (a sentence repeated in the
 * discussion is listed once), at most {@link IN_FLIGHT} in the engine's queue at a time.
 */
async function checkMessages(
  messages: readonly Message[],
  inv: Invocation,
): Promise<{ claims: CheckedClaim[]; unchecked: number; maxClaims: number; skipped: number }> {
  const perMessage = messages
    .filter((m) => !m.author.bot && m.webhookId === null && !m.system)
    .map((m) => ({ url: m.url, sentences: claimSentences(claimTextOf(m)) }));
  let skipped = 0;
  const seen = new Set<string>();
  const checkable = perMessage.map(({ url, sentences }) => ({
    url,
    sentences: sentences.filter((s) => {
      if (skipReason(s) !== null) {
        skipped += 1;
        return false;
      }
      const key = s.toLowerCase().replace(/\s+/g, ' ');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  }));
  const total = checkable.reduce((n, m) => n + m.sentences.length, 0);
  // Round robin: the first sentence of every message, then the second, …, up to the limit; then discussion order.
  const picked: { message: number; index: number; sentence: string }[] = [];
  for (let index = 0; picked.length < CHECK_MAX_CLAIMS && picked.length < total; index++) {
    checkable.forEach((m, message) => {
      const sentence = m.sentences[index];
      if (sentence !== undefined && picked.length < CHECK_MAX_CLAIMS)
        picked.push({ message, index, sentence });
    });
  }
  picked.sort((a, b) => a.message - b.message || a.index - b.index);

  const results: (readonly ClaimResult[])[] = new Array<readonly ClaimResult[]>(picked.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < picked.length; i = next++) {
      const p = picked[i];
      if (p) results[i] = (await inv.engine.checkSentence(p.sentence)).claims;
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, picked.length) }, worker));

  const claims = picked.flatMap((p, i) =>
    (results[i] ?? []).map((result) => ({ result, messageUrl: checkable[p.message]?.url ?? '' })),
  );
  return { claims, unchecked: total - picked.length, maxClaims: CHECK_MAX_CLAIMS, skipped };
}
