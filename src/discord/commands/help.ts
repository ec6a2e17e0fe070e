import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../context.js';
import { renderHelp } from '../render.js';
import { send } from '../respond.js';

/** `/help`: what each command does, with an example. Private, so it does not clutter the channel. */
export const help: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder().setName('help').setDescription('What I can do, with examples').toJSON(),

  async execute(interaction, _ctx, trace) {
    await send(interaction, trace, renderHelp(), true);
  },
};
