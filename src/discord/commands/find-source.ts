import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { askStoreReply } from '../ask-flow.js';
import type { MessageCommand } from '../context.js';
import { notices } from '../views/notices.js';
import { withRussian } from './localize.js';

/** The name users see under Apps when they right-click a message. */
export const FIND_SOURCE = 'Find source';

/**
 * Message context-menu "Find source": takes the message's text as a claim and replies, linking that message, with
 * the passage that supports it ("Supported by the documents"), or says it is not found in the documents.
 */
export const findSource: MessageCommand = {
  kind: 'message',
  data: withRussian(
    new ContextMenuCommandBuilder().setName(FIND_SOURCE).setType(ApplicationCommandType.Message).toJSON(),
  ),
  preconditions: ['rate-limit', 'answer-budget'],

  check(interaction, inv) {
    if (claimText(interaction.targetMessage) !== '') return null;
    inv.trace.outcome = 'invalid';
    return { reply: notices.noText(inv.t), ephemeral: true };
  },

  async run(interaction, inv) {
    const target = interaction.targetMessage;
    const reply = await askStoreReply(inv, {
      question: claimText(target),
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      canThread: interaction.inGuild() && !(interaction.channel?.isThread() ?? true),
      claim: { url: target.url, author: target.author.displayName },
    });
    return { reply };
  },
};

/** A message's text; a message may carry it in embeds only (another bot's post): their title and description. */
function claimText(target: {
  readonly content: string;
  readonly embeds: readonly { readonly title: string | null; readonly description: string | null }[];
}): string {
  return (
    target.content.trim() ||
    target.embeds.map((e) => [e.title, e.description].filter(Boolean).join('\n')).join('\n')
  ).trim();
}
