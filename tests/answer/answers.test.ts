import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FootnoteEngine } from '../../src/answer/engine.js';
import { openEngine } from '../../src/answer/open-engine.js';
import { findValues } from '../../src/answer/values.js';
import { loadConfig } from '../../src/config.js';

/**
 * Answer behaviour that rests on question analysis and the learned answer model, over the bundled corpus with the
 * default embeddings (the real model: the model's features include its similarities). The questions are not in
 * the dev sets.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let tmp: string;
let engine: FootnoteEngine;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'footnote-answers-'));
  engine = await openEngine({
    config: loadConfig({ CORPUS_DIR: join(ROOT, 'corpus'), INDEX_DIR: join(tmp, 'index'), DATA_DIR: tmp }),
  });
}, 180_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('answers chosen by question analysis', () => {
  it('given a how-many question, quotes a sentence holding a number and marks it', async () => {
    const result = await engine.ask(
      'How many rail and road projects did Kazakhstan start under the Belt and Road?',
    );
    expect(result.answered).toBe(true);
    if (!result.answered) return;
    expect(result.answerType).toBe('count');
    expect(findValues(result.answer).some((v) => v.kinds.has('number'))).toBe(true);
    const phrase = result.sources[0]!.phrase;
    expect(phrase).toBeTruthy();
    const excerpt = result.sources[0]!.excerpt;
    expect(result.answer).toContain(excerpt.slice(phrase!.start, phrase!.end));
  });

  it('given a how-many question, quotes the one sentence holding the figure, without the lead-in before it', async () => {
    const result = await engine.ask('How many rail and road projects did Kazakhstan start?');
    expect(result.answered).toBe(true);
    if (!result.answered) return;
    expect(result.answer).toContain('14 rail and road projects');
    expect(result.answer).not.toContain('neighboring countries');
  });

  it('given a when-question whose only date in the text is the one it gives, refuses', async () => {
    const result = await engine.ask("When was Kazakhstan's Foreign Policy Concept for 2020-2030 adopted?");
    expect(result.answered).toBe(false);
  });

  it('given ANSWER_THRESHOLD=1, refuses a question it otherwise answers, still with its closest passage', async () => {
    const question = 'How many rail and road projects did Kazakhstan start?';
    expect((await engine.ask(question)).answered).toBe(true);
    const strict = await openEngine({
      config: loadConfig({
        CORPUS_DIR: join(ROOT, 'corpus'),
        INDEX_DIR: join(tmp, 'index'),
        DATA_DIR: tmp,
        ANSWER_THRESHOLD: '1',
      }),
    });
    const result = await strict.ask(question);
    expect(result.answered).toBe(false);
    expect(result.sources.length).toBeGreaterThan(0);
  });

  it('reports a confidence between 0 and 1 on answers and refusals alike', async () => {
    for (const q of [
      'What share of Kazakhstan’s trade did China have in 2018?',
      'Who won the 1998 World Cup?',
    ]) {
      const result = await engine.ask(q);
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
    }
  });

  for (const question of [
    // A year the documents never mention.
    'What was the trade turnover between Kazakhstan and China in 1987?',
    // A name the documents never mention.
    'What did Vladimir Zhirinovsky say about the Belt and Road Initiative?',
    // Code identifiers absent from the documents.
    'How does `tokio::spawn_blocking` interact with CNPC pipelines?',
  ]) {
    it(`given "${question}", refuses and still shows the closest passage`, async () => {
      const result = await engine.ask(question);
      expect(result.answered).toBe(false);
      expect(result.sources.length).toBeGreaterThan(0);
    });
  }
});
