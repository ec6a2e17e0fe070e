import { readFile } from 'node:fs/promises';
import { FootnoteError } from './errors.js';

/** One non-blank line of a JSON-lines file: its 1-based number and its parsed value. */
export interface JsonLine {
  readonly line: number;
  readonly json: unknown;
}

/**
 * Reads a JSON-lines file (batch questions, batch claims, eval sets): a byte order mark is ignored, blank lines are
 * skipped, and a line that is not JSON is an INPUT_INVALID error naming the file and the line. `unreadable` is the
 * message, with its fix, when the file cannot be read; `notJson` words the error for a line that is not JSON when
 * the caller wants its own (the same as for a line of the wrong shape). Checking each value's shape is the caller's.
 */
export async function readJsonLines(
  path: string,
  unreadable: string,
  notJson: (line: number) => string = (line) => `${path} line ${line} is not valid JSON.`,
): Promise<JsonLine[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FootnoteError('INPUT_INVALID', unreadable, { cause });
  }
  const lines: JsonLine[] = [];
  text
    .replace(/^\uFEFF/u, '')
    .split('\n')
    .forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        lines.push({ line: i + 1, json: JSON.parse(raw) });
      } catch (cause) {
        throw new FootnoteError('INPUT_INVALID', notJson(i + 1), { cause });
      }
    });
  return lines;
}
