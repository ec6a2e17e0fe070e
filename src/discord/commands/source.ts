import { SlashCommandBuilder } from 'discord.js';
import { docKeyOf, documentChoices, resolveDocument } from '../choices.js';
import type { SlashCommand } from '../context.js';
import { renderDocumentNotFound, renderPassageNotFound, renderSource } from '../render.js';
import { send } from '../respond.js';

/** `/source document [passage]`: a passage by location, with buttons to the previous and next one. */
export const source: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
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

  async execute(interaction, ctx, trace) {
    const input = interaction.options.getString('document', true);
    const passage = interaction.options.getInteger('passage') ?? 1;
    const engine = ctx.engines.current();
    const doc = resolveDocument(engine.documents(), input);
    if (!doc) {
      trace.outcome = 'not-found';
      await send(interaction, trace, renderDocumentNotFound(input), true);
      return;
    }
    const view = passage >= 1 ? engine.passage(doc.doc, passage - 1) : null;
    if (!view) {
      trace.outcome = 'not-found';
      await send(interaction, trace, renderPassageNotFound(doc.title, doc.passages), true);
      return;
    }
    await send(interaction, trace, renderSource(view, docKeyOf(doc.doc)), false);
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(
      documentChoices(ctx.engines.current().documents(), interaction.options.getFocused()),
    );
  },
};
