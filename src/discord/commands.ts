import { ask } from './commands/ask.js';
import { brief } from './commands/brief.js';
import { docs } from './commands/docs.js';
import { findSource } from './commands/find-source.js';
import { help } from './commands/help.js';
import { lookup } from './commands/lookup.js';
import { search } from './commands/search.js';
import { source } from './commands/source.js';
import type { Command } from './context.js';

/** Every command the bot registers and handles. Adding one here is all it takes; nothing is discovered by file name. */
export const commands: readonly Command[] = [ask, lookup, search, source, brief, docs, help, findSource];

/** The registration bodies for `PUT /applications/{app}/commands` (or the guild variant). */
export function commandData(): Command['data'][] {
  return commands.map((c) => c.data);
}
