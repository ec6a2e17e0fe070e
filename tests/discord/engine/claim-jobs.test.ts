import { describe, expect, it } from 'vitest';
import type { ClaimCheck } from '../../../src/answer/claims.js';
import type { Engine } from '../../../src/answer/types.js';
import { EngineScheduler, ScheduledEngine, claimSentences } from '../../../src/discord/engine/scheduler.js';

/** An engine whose `checkClaim` records its calls and calls every sentence supported, but a question skipped. */
function claimEngine(): { engine: Engine; calls: string[] } {
  const calls: string[] = [];
  const unused = () => {
    throw new Error('not used');
  };
  const engine: Engine = {
    ask: unused,
    search: unused,
    brief: unused,
    lookup: unused,
    topics: unused,
    documents: unused,
    passage: unused,
    passageById: unused,
    info: unused,
    checkClaim(text) {
      calls.push(text);
      const question = text.trim().endsWith('?');
      return Promise.resolve({
        text,
        claims: question
          ? []
          : [
              {
                claim: text,
                verdict: 'supported',
                confidence: 0.9,
                sources: [],
                features: { subject: 1, values: 0, matched: 0, opposed: 0, missingNames: 0 },
              },
            ],
        skipped: question ? [{ text, reason: 'question' }] : [],
      } satisfies ClaimCheck);
    },
  };
  return { engine, calls };
}

const scheduler = () => new EngineScheduler({ fastAboveMs: 100, initialCostMs: { full: 10, fast: 1 } });

describe('claim checks through the scheduler', () => {
  it('given a message of three sentences, queues one job per sentence and merges them in order', async () => {
    const { engine, calls } = claimEngine();
    const s = scheduler();
    const check = await new ScheduledEngine(engine, s).checkClaim(
      'Trade grew 17% in 2020.   Is that right?\nChina invested $20 billion.',
    );
    expect(calls).toEqual(['Trade grew 17% in 2020.', 'Is that right?', 'China invested $20 billion.']);
    expect(s.stats.jobs).toBe(3);
    expect(check.text).toBe('Trade grew 17% in 2020.   Is that right?\nChina invested $20 billion.');
    expect(check.claims.map((c) => c.claim)).toEqual([
      'Trade grew 17% in 2020.',
      'China invested $20 billion.',
    ]);
    expect(check.skipped).toEqual([{ text: 'Is that right?', reason: 'question' }]);
  });

  it('given one sentence, hands the text to the engine as it is, in one job', async () => {
    const { engine, calls } = claimEngine();
    const s = scheduler();
    await new ScheduledEngine(engine, s).checkClaim('  Trade grew 17% in 2020. ');
    expect(calls).toEqual(['  Trade grew 17% in 2020. ']);
    expect(s.stats.jobs).toBe(1);
  });

  it('given the same sentence checked twice at once, computes it once', async () => {
    const { engine, calls } = claimEngine();
    const s = scheduler();
    const scheduled = new ScheduledEngine(engine, s);
    await Promise.all([scheduled.checkSentence('Trade grew.'), scheduled.checkSentence('Trade grew.')]);
    expect(calls).toEqual(['Trade grew.']);
    expect(s.stats.coalesced).toBe(1);
  });

  it('splits as the engine does: whitespace folded, control characters removed, empty text gives nothing', () => {
    expect(claimSentences('One\u0007 fact.\n\nAnother  fact.')).toEqual(['One fact.', 'Another fact.']);
    expect(claimSentences('   ')).toEqual([]);
  });
});
