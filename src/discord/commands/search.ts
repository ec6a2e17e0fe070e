import { SlashCommandBuilder } from 'discord.js';
import { askMode } from '../context.js';
import type { SlashCommand } from '../context.js';
import { renderSearch } from '../render.js';
import { answerWithin, takeSlot } from '../respond.js';

/** `/search query [count]`: the top passages, 1–10, with short excerpts, locations and scores. */
export const search: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('The passages that best match a query, with scores')
    .addStringOption((o) => o.setName('query').setDescription('What to look for').setRequired(true))
    .addIntegerOption((o) =>
      o.setName('count').setDescription('How many passages (1–10, default 5)').setMinValue(1).setMaxValue(10),
    )
    .toJSON(),

  async execute(interaction, ctx, trace) {
    const query = interaction.options.getString('query', true);
    const count = Math.min(10, Math.max(1, interaction.options.getInteger('count') ?? 5));
    if (!(await takeSlot(interaction, ctx, trace))) return;
    const work = () =>
      ctx.engines
        .current()
        .search(query, count, { mode: askMode(ctx, trace) })
        .then((sources) => {
          trace.outcome = sources.length > 0 ? 'shown' : 'not-found';
          return renderSearch(query, sources);
        });
    await answerWithin(interaction, trace, work, {
      ephemeral: false,
      budgetMs: ctx.answerBudgetMs,
      queue: ctx.scheduler,
    });
  },
};
