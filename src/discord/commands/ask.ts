import { SlashCommandBuilder } from 'discord.js';
import { askStoreReply } from '../ask-flow.js';
import type { SlashCommand } from '../context.js';
import { withRussian } from './localize.js';

/** `/ask question [private]`: an answer quoted from the documents, with its source. */
export const ask: SlashCommand = {
  kind: 'slash',
  data: withRussian(
    new SlashCommandBuilder()
      .setName('ask')
      .setDescription('Answer a question from the documents, quoting the passage used')
      .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true))
      .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer'))
      .toJSON(),
  ),
  preconditions: ['rate-limit', 'answer-budget'],
  ephemeral: (interaction) => interaction.options.getBoolean('private') ?? false,

  async run(interaction, inv) {
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    const reply = await askStoreReply(inv, {
      question: interaction.options.getString('question', true),
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      canThread: !ephemeral && interaction.inGuild() && !(interaction.channel?.isThread() ?? true),
    });
    return { reply };
  },
};
