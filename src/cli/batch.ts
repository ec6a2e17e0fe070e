import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FootnoteError } from '../errors.js';

const batchInputSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  question: z.string(),
});

/** One question of a batch file. */
export type BatchInput = z.infer<typeof batchInputSchema>;

/**
 * Reads a JSON-lines file of `{ id, question }`; a bad line is an error naming its number. A byte order mark is
 * ignored; a file without a question is an error (a batch that answers nothing is a mistake); an id used twice is
 * a warning (`warn`, default stderr) naming both lines, since its answers could not be told apart.
 */
export async function readBatchFile(
  path: string,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<BatchInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FootnoteError('INPUT_INVALID', `Cannot read the batch file ${path}: check the path.`, {
      cause,
    });
  }
  const items: BatchInput[] = [];
  const firstLine = new Map<string, number>();
  text
    .replace(/^\uFEFF/u, '')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (cause) {
        throw new FootnoteError('INPUT_INVALID', `${path} line ${i + 1} is not valid JSON.`, { cause });
      }
      const parsed = batchInputSchema.safeParse(json);
      if (!parsed.success) {
        throw new FootnoteError('INPUT_INVALID', `${path} line ${i + 1} needs "id" and "question" fields.`);
      }
      const seen = firstLine.get(parsed.data.id);
      if (seen !== undefined) {
        warn(
          `Warning: ${path} line ${i + 1} uses the id "${parsed.data.id}" of line ${seen}; give each question its own id.`,
        );
      } else firstLine.set(parsed.data.id, i + 1);
      items.push(parsed.data);
    });
  if (items.length === 0) {
    throw new FootnoteError(
      'INPUT_INVALID',
      `${path} holds no questions. Write one JSON object per line: {"id": "q1", "question": "..."}.`,
    );
  }
  return items;
}
