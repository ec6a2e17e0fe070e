import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../context.js';
import { renderHelp } from '../views/help.js';
import { withRussian } from './localize.js';

/**
 * `/help`: what each command does, built from the registered command data, with examples from the corpus loaded.
 * Private, so it does not clutter the channel. The list comes in as a thunk: the command list includes this command.
 */
export function helpCommand(
  list: () => readonly { readonly data: Parameters<typeof renderHelp>[0][number] }[],
): SlashCommand {
  return {
    kind: 'slash',
    data: withRussian(
      new SlashCommandBuilder().setName('help').setDescription('What I can do, with examples').toJSON(),
    ),
    preconditions: [],

    run(_interaction, inv) {
      const corpus = { docs: inv.engine.documents(), topics: inv.engine.topics() };
      return {
        reply: renderHelp(
          list().map((c) => c.data),
          corpus,
          inv.lang,
          inv.view,
        ),
        ephemeral: true,
      };
    },
  };
}
