import { SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../choices.js';
import { askMode } from '../context.js';
import type { SlashCommand } from '../context.js';
import { renderBrief } from '../render.js';
import { answerWithin, takeSlot } from '../respond.js';

/** `/brief topic`: three to five diverse passages on a topic, for a group discussion. */
export const brief: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('brief')
    .setDescription('Three to five passages on a topic, for a discussion')
    .addStringOption((o) =>
      o.setName('topic').setDescription('The topic').setRequired(true).setAutocomplete(true),
    )
    .toJSON(),

  async execute(interaction, ctx, trace) {
    const topic = interaction.options.getString('topic', true);
    if (!(await takeSlot(interaction, ctx, trace))) return;
    const work = () =>
      ctx.engines
        .current()
        .brief(topic, { mode: askMode(ctx, trace) })
        .then((b) => {
          trace.outcome = b.found ? 'shown' : 'not-found';
          return renderBrief(b);
        });
    await answerWithin(interaction, trace, work, {
      ephemeral: false,
      budgetMs: ctx.answerBudgetMs,
      queue: ctx.scheduler,
    });
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(topicChoices(ctx.engines.current().topics(), interaction.options.getFocused()));
  },
};
