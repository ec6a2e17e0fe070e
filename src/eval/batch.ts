import type { AnswerResult, Engine, Source } from '../answer/types.js';
import type { BatchLine } from './score.js';

/** One question of a batch: what `ask --batch` reads from a file and the eval takes from its items. */
export interface BatchQuestion {
  readonly id: string;
  readonly question: string;
}

/** The batch output line for one answer: the shape `ask --batch` prints and `eval` scores. */
export function toBatchLine(id: string, result: AnswerResult): BatchLine {
  return {
    id,
    question: result.question,
    answered: result.answered,
    answer: result.answer,
    sources: result.sources.map(toBatchSource),
  };
}

/** A source as batch output lines carry it (answers and claims alike). */
export function toBatchSource(s: Source): BatchLine['sources'][number] {
  return {
    doc: s.doc,
    title: s.title,
    section: s.section,
    start: s.start,
    end: s.end,
    excerpt: s.excerpt,
    score: s.score,
  };
}

/** Answers every question with one engine, in order. */
export async function runBatch(engine: Engine, inputs: readonly BatchQuestion[]): Promise<BatchLine[]> {
  const lines: BatchLine[] = [];
  for (const input of inputs) lines.push(toBatchLine(input.id, await engine.ask(input.question)));
  return lines;
}
