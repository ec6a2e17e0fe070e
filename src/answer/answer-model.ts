import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { LogisticModel } from './logistic.js';

/**
 * The learned answer model: a ranker over answer candidates and a confidence model over the chosen one, with the
 * probability threshold under which the engine refuses. Produced by `scripts/train-answer-model.ts` from the
 * labelled dev sets and kept, versioned, in `answer-model.json` beside this file.
 */
export interface AnswerModel {
  readonly version: number;
  readonly ranker: LogisticModel;
  readonly confidence: LogisticModel;
  /** Refuse below this probability of being right. */
  readonly threshold: number;
}

const logisticSchema = z.object({
  features: z.array(z.string()),
  mean: z.array(z.number()),
  std: z.array(z.number()),
  weights: z.array(z.number()),
  bias: z.number(),
});

export const answerModelSchema = z.object({
  version: z.number().int(),
  ranker: logisticSchema,
  confidence: logisticSchema,
  threshold: z.number().min(0).max(1),
});

/** Where the shipped model lives. */
export const ANSWER_MODEL_URL = new URL('./answer-model.json', import.meta.url);

/** The shipped model, validated at load. */
export const ANSWER_MODEL: AnswerModel = answerModelSchema.parse(
  JSON.parse(readFileSync(ANSWER_MODEL_URL, 'utf8')),
);
