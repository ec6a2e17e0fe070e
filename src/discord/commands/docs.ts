import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../context.js';
import { renderDocs } from '../render.js';
import { send } from '../respond.js';

/** `/docs`: the corpus documents, when the index was built, and with which embedding model. */
export const docs: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder().setName('docs').setDescription('The documents I answer from').toJSON(),

  async execute(interaction, ctx, trace) {
    const engine = ctx.engines.current();
    await send(interaction, trace, renderDocs(engine.documents(), engine.info()), false);
  },
};
