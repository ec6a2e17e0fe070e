import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../context.js';
import { renderDocs } from '../views/docs.js';
import { withRussian } from './localize.js';

/** `/docs`: the documents by title and author, and when the index was last updated. */
export const docs: SlashCommand = {
  kind: 'slash',
  data: withRussian(
    new SlashCommandBuilder().setName('docs').setDescription('The documents I answer from').toJSON(),
  ),
  preconditions: [],

  run(_interaction, inv) {
    return { reply: renderDocs(inv.engine.documents(), inv.engine.info(), inv.view) };
  },
};
