import { SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../choices.js';
import { askMode } from '../context.js';
import type { SlashCommand } from '../context.js';
import { renderBrief } from '../views/brief.js';
import { withRussian } from './localize.js';

/** `/brief topic`: key sentences on a topic from several documents, for a group discussion. */
export const brief: SlashCommand = {
  kind: 'slash',
  data: withRussian(
    new SlashCommandBuilder()
      .setName('brief')
      .setDescription('Key sentences on a topic from several documents, for a discussion')
      .addStringOption((o) =>
        o.setName('topic').setDescription('The topic').setRequired(true).setAutocomplete(true),
      )
      .toJSON(),
  ),
  preconditions: ['rate-limit', 'answer-budget'],

  async run(interaction, inv) {
    const topic = interaction.options.getString('topic', true);
    const b = await inv.engine.brief(topic, { mode: askMode(inv.ctx, inv.trace) });
    inv.trace.outcome = b.found ? 'shown' : 'not-found';
    return { reply: renderBrief(b, inv.view) };
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(topicChoices(ctx.engines.current().topics(), interaction.options.getFocused()));
  },
};
