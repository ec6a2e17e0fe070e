import { SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../choices.js';
import type { SlashCommand } from '../context.js';
import { renderLookup } from '../render.js';
import type { Reply } from '../render.js';
import { answerWithin, takeSlot } from '../respond.js';

/** `/lookup term`: every sentence that mentions a term, grouped by document, paged with buttons. */
export const lookup: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('lookup')
    .setDescription('Every sentence in the documents that mentions a term')
    .addStringOption((o) =>
      o
        .setName('term')
        .setDescription('A name, place, organisation or figure')
        .setRequired(true)
        .setAutocomplete(true),
    )
    .toJSON(),

  async execute(interaction, ctx, trace) {
    const term = interaction.options.getString('term', true);
    if (!(await takeSlot(interaction, ctx, trace))) return;
    const work = (): Promise<Reply> => {
      const result = ctx.engines.current().lookup(term);
      trace.outcome = result.total > 0 ? 'shown' : 'not-found';
      const key = ctx.store.put({ kind: 'lookup', term });
      return Promise.resolve(renderLookup(result, 0, key));
    };
    await answerWithin(interaction, trace, work, { ephemeral: false, budgetMs: ctx.answerBudgetMs });
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(topicChoices(ctx.engines.current().topics(), interaction.options.getFocused()));
  },
};
