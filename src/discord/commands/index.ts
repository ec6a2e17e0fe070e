import type { Command } from '../context.js';
import { ask } from './ask.js';
import { brief } from './brief.js';
import { check } from './check.js';
import { docs } from './docs.js';
import { findSource } from './find-source.js';
import { helpCommand } from './help.js';
import { lookup } from './lookup.js';
import { search } from './search.js';
import { source } from './source.js';
import { watch } from './watch.js';

/** Every command the bot registers and handles. Adding one here is all it takes; nothing is discovered by file name. */
export const commands: readonly Command[] = [
  ask,
  lookup,
  search,
  source,
  brief,
  docs,
  helpCommand(() => commands),
  check,
  watch,
  findSource,
];

/** The registration bodies for `PUT /applications/{app}/commands` (or the guild variant). */
export function commandData(): Command['data'][] {
  return commands.map((c) => c.data);
}
