import { SlashCommandBuilder } from 'discord.js';
import { docKeyOf, documentChoices, resolveDocument } from '../choices.js';
import type { SlashCommand } from '../context.js';
import { notices } from '../views/notices.js';
import { renderSource } from '../views/source.js';
import { withRussian } from './localize.js';

/** `/source document [passage]`: a passage by location, with buttons to the previous and next one. */
export const source: SlashCommand = {
  kind: 'slash',
  data: withRussian(
    new SlashCommandBuilder()
      .setName('source')
      .setDescription('Read a document passage by passage')
      .addStringOption((o) =>
        o.setName('document').setDescription('The document').setRequired(true).setAutocomplete(true),
      )
      .addIntegerOption((o) =>
        o
          .setName('passage')
          .setDescription('Passage number, from 1 (default 1)')
          .setMinValue(1)
          .setMaxValue(1_000_000),
      )
      .toJSON(),
  ),
  preconditions: [],

  run(interaction, inv) {
    const input = interaction.options.getString('document', true);
    const passage = interaction.options.getInteger('passage') ?? 1;
    const doc = resolveDocument(inv.engine.documents(), input);
    if (!doc) {
      inv.trace.outcome = 'not-found';
      return { reply: notices.documentNotFound(inv.t, input), ephemeral: true };
    }
    const view = passage >= 1 ? inv.engine.passage(doc.doc, passage - 1) : null;
    if (!view) {
      inv.trace.outcome = 'not-found';
      const title = inv.view.catalog.doc(doc.doc, doc.title).title;
      return { reply: notices.passageNotFound(inv.t, title, doc.passages), ephemeral: true };
    }
    return { reply: renderSource(view, docKeyOf(doc.doc), inv.view) };
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(
      documentChoices(ctx.engines.current().documents(), interaction.options.getFocused()),
    );
  },
};
