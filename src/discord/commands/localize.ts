import type {
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { COMMAND_RU } from '../views/labels.js';

type Data =
  RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody;

/**
 * Adds the Russian `name_localizations` and `description_localizations` from the label table to a command's
 * registration data and its options. A command or option missing from the table is a programming error.
 */
export function withRussian<T extends Data>(data: T): T {
  const ru = (COMMAND_RU as Record<string, (typeof COMMAND_RU)[keyof typeof COMMAND_RU] | undefined>)[
    data.name
  ];
  if (!ru) throw new Error(`no Russian labels for command ${data.name}`);
  const out = { ...data, name_localizations: { ru: ru.name } } as T;
  if ('description' in data && data.description) {
    Object.assign(out, { description_localizations: { ru: ru.description } });
  }
  if ('options' in data && data.options) {
    const options = ru.options as Record<string, { name: string; description: string } | undefined>;
    Object.assign(out, {
      options: data.options.map((o) => {
        const l = options[o.name];
        if (!l) throw new Error(`no Russian labels for option ${data.name}.${o.name}`);
        return { ...o, name_localizations: { ru: l.name }, description_localizations: { ru: l.description } };
      }),
    });
  }
  return out;
}
