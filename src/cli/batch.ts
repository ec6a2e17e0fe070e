import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AnswerResult, Engine } from '../answer/types.js';
import type { BatchLine } from '../eval/score.js';
import { FootnoteError } from '../errors.js';

const batchInputSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  question: z.string(),
});

/** One question of a batch file. */
export type BatchInput = z.infer<typeof batchInputSchema>;

/** Reads a JSON-lines file of `{ id, question }`; a bad line is an error naming its number. */
export async function readBatchFile(path: string): Promise<BatchInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FootnoteError('INPUT_INVALID', `Cannot read the batch file ${path}: check the path.`, {
      cause,
    });
  }
  const items: BatchInput[] = [];
  text.split('\n').forEach((line, i) => {
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
    items.push(parsed.data);
  });
  return items;
}

/** The batch output line for one answer: the shape `ask --batch` prints and `eval` scores. */
export function toBatchLine(id: string, result: AnswerResult): BatchLine {
  return {
    id,
    question: result.question,
    answered: result.answered,
    answer: result.answer,
    sources: result.sources.map((s) => ({
      doc: s.doc,
      title: s.title,
      section: s.section,
      start: s.start,
      end: s.end,
      excerpt: s.excerpt,
      score: s.score,
    })),
  };
}

/** Answers every question with one engine, in order. */
export async function runBatch(engine: Engine, inputs: readonly BatchInput[]): Promise<BatchLine[]> {
  const lines: BatchLine[] = [];
  for (const input of inputs) lines.push(toBatchLine(input.id, await engine.ask(input.question)));
  return lines;
}
