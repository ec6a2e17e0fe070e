import { SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../choices.js';
import type { SlashCommand } from '../context.js';
import { renderLookup } from '../views/lookup.js';
import { withRussian } from './localize.js';

/** `/lookup term`: every sentence that mentions a term, grouped by document, paged with buttons. */
export const lookup: SlashCommand = {
  kind: 'slash',
  data: withRussian(
    new SlashCommandBuilder()
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
  ),
  preconditions: ['rate-limit', 'answer-budget'],

  run(interaction, inv) {
    const term = interaction.options.getString('term', true);
    const result = inv.engine.lookup(term);
    inv.trace.outcome = result.total > 0 ? 'shown' : 'not-found';
    const key = inv.ctx.store.put({ kind: 'lookup', term });
    return { reply: renderLookup(result, 0, key, inv.view) };
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(topicChoices(ctx.engines.current().topics(), interaction.options.getFocused()));
  },
};
