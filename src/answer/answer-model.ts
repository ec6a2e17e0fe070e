import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { LogisticModel } from './logistic.js';

/**
 * The learned answer model, produced by `scripts/train-answer-model.ts` from the labelled dev sets and kept,
 * versioned, in `answer-model.json` beside this file:
 * - `ranker` scores every answer candidate; the best one is the answer;
 * - `answerable` gives the probability that the documents answer the question at all, from the signals of that
 *   best candidate and of the question (constraints found nowhere in the corpus, words the corpus lacks);
 * - `correct` gives the probability that the best candidate is the right quote, given that the documents answer.
 * The engine refuses when `answerable` is below `threshold`; `confidence` = P(answerable) × P(correct).
 */
export interface AnswerModel {
  readonly version: number;
  /**
   * The embedding model whose similarities the `dense` feature was trained on. With another model (or none, in
   * fast mode) the feature counts as average: similarities of different models are not on one scale.
   */
  readonly embedding: string;
  readonly ranker: LogisticModel;
  readonly answerable: LogisticModel;
  readonly correct: LogisticModel;
  /** Refuse below this probability that the documents answer. */
  readonly threshold: number;
  /** How the model was trained and what it measured (informational). */
  readonly trained?: unknown;
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
  embedding: z.string(),
  ranker: logisticSchema,
  answerable: logisticSchema,
  correct: logisticSchema,
  threshold: z.number().min(0).max(1),
  trained: z.unknown().optional(),
});

/** Where the shipped model lives. */
export const ANSWER_MODEL_URL = new URL('./answer-model.json', import.meta.url);

/** The shipped model, validated at load. */
export const ANSWER_MODEL: AnswerModel = answerModelSchema.parse(
  JSON.parse(readFileSync(ANSWER_MODEL_URL, 'utf8')),
);
