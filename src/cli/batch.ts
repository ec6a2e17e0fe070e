import { z } from 'zod';
import { FootnoteError } from '../errors.js';
import { readJsonLines } from '../json-lines.js';

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
  const lines = await readJsonLines(path, `Cannot read the batch file ${path}: check the path.`);
  const items: BatchInput[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, json } of lines) {
    const parsed = batchInputSchema.safeParse(json);
    if (!parsed.success) {
      throw new FootnoteError('INPUT_INVALID', `${path} line ${line} needs "id" and "question" fields.`);
    }
    const seen = firstLine.get(parsed.data.id);
    if (seen !== undefined) {
      warn(
        `Warning: ${path} line ${line} uses the id "${parsed.data.id}" of line ${seen}; give each question its own id.`,
      );
    } else firstLine.set(parsed.data.id, line);
    items.push(parsed.data);
  }
  if (items.length === 0) {
    throw new FootnoteError(
      'INPUT_INVALID',
      `${path} holds no questions. Write one JSON object per line: {"id": "q1", "question": "..."}.`,
    );
  }
  return items;
}
