import { SlashCommandBuilder } from 'discord.js';
import { askMode } from '../context.js';
import type { SlashCommand } from '../context.js';
import { renderSearch } from '../views/search.js';
import { withRussian } from './localize.js';

/** `/search query [count]`: the best passages, 1–10, grouped by document, with their matching sentence. */
export const search: SlashCommand = {
  kind: 'slash',
  data: withRussian(
    new SlashCommandBuilder()
      .setName('search')
      .setDescription('The passages that best match a query')
      .addStringOption((o) => o.setName('query').setDescription('What to look for').setRequired(true))
      .addIntegerOption((o) =>
        o
          .setName('count')
          .setDescription('How many passages (1–10, default 5)')
          .setMinValue(1)
          .setMaxValue(10),
      )
      .toJSON(),
  ),
  preconditions: ['rate-limit', 'answer-budget'],

  async run(interaction, inv) {
    const query = interaction.options.getString('query', true);
    const count = Math.min(10, Math.max(1, interaction.options.getInteger('count') ?? 5));
    const sources = await inv.engine.search(query, count, { mode: askMode(inv.ctx, inv.trace) });
    inv.trace.outcome = sources.length > 0 ? 'shown' : 'not-found';
    return { reply: renderSearch(query, sources, inv.view) };
  },
};
