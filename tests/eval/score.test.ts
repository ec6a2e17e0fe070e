import { describe, expect, it } from 'vitest';
import {
  coversEvidence,
  evalItemSchema,
  normalizeForMatch,
  scoreItem,
  summarize,
  type BatchLine,
  type EvalItem,
} from '../../src/eval/score.js';

/** A small document: the evidence span below sits at offsets 20..60. */
const DOC = 'doc.md';
const TEXT = `${'a'.repeat(20)}Exports reached $13.16 billion in 2023.${'b'.repeat(40)}`;
const EVIDENCE = 'Exports reached $13.16 billion in 2023.';
const AT = TEXT.indexOf(EVIDENCE);
const texts = (doc: string) => (doc === DOC ? TEXT : undefined);

type SourceLine = BatchLine['sources'][number];

function source(over: Partial<SourceLine> = {}): SourceLine {
  return {
    doc: DOC,
    title: 'T',
    section: '',
    start: 0,
    end: 10,
    excerpt: 'unrelated words',
    score: 1,
    ...over,
  };
}

function item(over: Partial<EvalItem> = {}): EvalItem {
  return evalItemSchema.parse({
    id: 'q1',
    question: 'What did exports reach?',
    kind: 'fact',
    doc: DOC,
    evidence: EVIDENCE,
    answer_terms: ['13.16 billion'],
    ...over,
  });
}

function line(over: Partial<BatchLine> = {}): BatchLine {
  return { id: 'q1', question: 'What did exports reach?', answered: true, answer: '', sources: [], ...over };
}

describe('coversEvidence: offset overlap', () => {
  // The evidence is 39 characters long: 20 is the least whole number of characters that is at least half.
  it('given a range overlapping the last 20 of the 39 evidence characters, covers it', () => {
    expect(EVIDENCE.length).toBe(39);
    expect(coversEvidence(source({ start: AT + 19, end: TEXT.length }), DOC, EVIDENCE, texts)).toBe(true);
  });

  it('given a range overlapping the first 19 of the 39 evidence characters, does not cover it', () => {
    expect(coversEvidence(source({ start: 0, end: AT + 19 }), DOC, EVIDENCE, texts)).toBe(false);
  });

  it('given a range containing the evidence but in another document, does not cover it', () => {
    expect(
      coversEvidence(source({ doc: 'other.md', start: 0, end: TEXT.length }), DOC, EVIDENCE, texts),
    ).toBe(false);
  });

  it('given a range right after the evidence (touching, not overlapping), does not cover it', () => {
    expect(
      coversEvidence(source({ start: AT + EVIDENCE.length, end: TEXT.length }), DOC, EVIDENCE, texts),
    ).toBe(false);
  });
});

describe('coversEvidence: excerpt contains the evidence', () => {
  it('given an excerpt holding the evidence with other line breaks, spacing and case, covers it', () => {
    const excerpt = 'Before.  EXPORTS reached\n$13.16   billion\tin 2023. After.';
    expect(coversEvidence(source({ doc: 'other.md', start: 0, end: 5, excerpt }), DOC, EVIDENCE, texts)).toBe(
      true,
    );
  });

  it('given an excerpt holding only part of the evidence and no overlapping range, does not cover it', () => {
    expect(coversEvidence(source({ excerpt: 'Exports reached $13.16 billion' }), DOC, EVIDENCE, texts)).toBe(
      false,
    );
  });

  it('given an evidence string not found in the document text, still covers it through the excerpt', () => {
    expect(coversEvidence(source({ excerpt: `x ${EVIDENCE} y` }), DOC, EVIDENCE, () => undefined)).toBe(true);
  });
});

describe('normalizeForMatch', () => {
  it('given "\\$ 14,539.3" reads it as "$ 14,539.3"', () => {
    expect(normalizeForMatch('\\$ 14,539.3 Million')).toBe('$ 14,539.3 million');
  });

  it('given full-width digits and runs of whitespace, applies NFKC and folds the whitespace', () => {
    expect(normalizeForMatch('  １４\n\t rail  ')).toBe('14 rail');
  });
});

describe('scoreItem: answer accuracy', () => {
  const covering = source({ start: AT, end: AT + EVIDENCE.length, excerpt: EVIDENCE });

  it('given an answered reply containing every answer term, counts it correct with rank 1', () => {
    const s = scoreItem(item(), line({ answer: EVIDENCE, sources: [covering] }), texts);
    expect(s).toMatchObject({ rank: 1, correct: true, answered: true, hasSource: true });
  });

  it('given an answer term written "\\$ 13.16" and an answer with "$13.16", matches after normalisation', () => {
    const s = scoreItem(
      item({ answer_terms: ['\\$13.16 billion'] }),
      line({ answer: EVIDENCE, sources: [covering] }),
      texts,
    );
    expect(s.correct).toBe(true);
  });

  it('given an answer missing one of two answer terms, counts it wrong', () => {
    const s = scoreItem(
      item({ answer_terms: ['13.16 billion', '2024'] }),
      line({ answer: EVIDENCE, sources: [covering] }),
      texts,
    );
    expect(s.correct).toBe(false);
  });

  it('given a refusal whose closest source covers the evidence, counts it wrong but keeps the rank', () => {
    const s = scoreItem(item(), line({ answered: false, answer: '', sources: [covering] }), texts);
    expect(s).toMatchObject({ rank: 1, correct: false, answered: false });
  });

  it('given a right answer with no source at all, counts it wrong', () => {
    const s = scoreItem(item(), line({ answer: EVIDENCE, sources: [] }), texts);
    expect(s).toMatchObject({ correct: false, hasSource: false, rank: null });
  });

  it('given a right answer whose only source has a blank excerpt, counts it wrong', () => {
    const s = scoreItem(item(), line({ answer: EVIDENCE, sources: [source({ excerpt: '   ' })] }), texts);
    expect(s.correct).toBe(false);
  });

  it('given the evidence covered by the third source only, ranks it 3', () => {
    const s = scoreItem(item(), line({ answer: EVIDENCE, sources: [source(), source(), covering] }), texts);
    expect(s.rank).toBe(3);
  });

  it('given the evidence covered only by the sixth source, has no rank (only the first five count)', () => {
    const s = scoreItem(
      item(),
      line({ answer: EVIDENCE, sources: [source(), source(), source(), source(), source(), covering] }),
      texts,
    );
    expect(s.rank).toBeNull();
  });
});

describe('scoreItem: also_in', () => {
  const other = 'other.txt';
  const otherText = 'Intro. Trade with China grew to 13.16 billion dollars. End.';
  const otherEvidence = 'Trade with China grew to 13.16 billion dollars.';
  const both = (doc: string) => (doc === DOC ? TEXT : doc === other ? otherText : undefined);

  it('given a source covering the also_in evidence in the other document, ranks it 1', () => {
    const at = otherText.indexOf(otherEvidence);
    const s = scoreItem(
      item({ also_in: { doc: other, evidence: otherEvidence } }),
      line({
        answer: otherEvidence,
        sources: [source({ doc: other, start: at, end: at + otherEvidence.length, excerpt: otherEvidence })],
      }),
      both,
    );
    expect(s).toMatchObject({ rank: 1, correct: true });
  });

  it('given the same source without also_in on the item, has no rank', () => {
    const at = otherText.indexOf(otherEvidence);
    const s = scoreItem(
      item(),
      line({
        answer: otherEvidence,
        sources: [source({ doc: other, start: at, end: at + otherEvidence.length, excerpt: otherEvidence })],
      }),
      both,
    );
    expect(s.rank).toBeNull();
  });
});

describe('scoreItem: unanswerable questions', () => {
  const unanswerable = item({ doc: null, evidence: null, answer_terms: [], kind: 'unanswerable' });

  it('given a refusal with a closest source, counts it right', () => {
    expect(scoreItem(unanswerable, line({ answered: false, sources: [source()] }), texts).correct).toBe(true);
  });

  it('given an answer, counts it wrong', () => {
    expect(
      scoreItem(unanswerable, line({ answered: true, answer: 'x', sources: [source()] }), texts).correct,
    ).toBe(false);
  });

  it('given a refusal without any source, counts it wrong', () => {
    expect(scoreItem(unanswerable, line({ answered: false, sources: [] }), texts).correct).toBe(false);
  });
});

describe('summarize', () => {
  it('given four answerable and two unanswerable scores, computes R@1, R@3, MRR@5, accuracy and refusals', () => {
    const base = { kind: 'fact', hasSource: true };
    const summary = summarize([
      { ...base, id: 'a', answerable: true, rank: 1, answered: true, correct: true },
      { ...base, id: 'b', answerable: true, rank: 2, answered: true, correct: true },
      { ...base, id: 'c', answerable: true, rank: 5, answered: false, correct: false },
      { ...base, id: 'd', answerable: true, rank: null, answered: true, correct: false },
      { ...base, id: 'e', answerable: false, rank: null, answered: false, correct: true },
      { ...base, id: 'f', answerable: false, rank: null, answered: true, correct: false },
    ]);
    expect(summary).toEqual({
      questions: 6,
      answerable: 4,
      r1: 0.25,
      r3: 0.5,
      mrr5: (1 + 1 / 2 + 1 / 5) / 4,
      accuracy: 0.5,
      falseRefusals: 1,
      unanswerable: 2,
      refusedUnanswerable: 1,
    });
  });

  it('given a ranked reply marked as having no source, does not count it towards recall', () => {
    const summary = summarize([
      { id: 'a', kind: 'fact', answerable: true, rank: 1, answered: true, correct: false, hasSource: false },
    ]);
    expect(summary).toMatchObject({ r1: 0, r3: 0, mrr5: 0 });
  });

  it('given no scores at all, returns zeros rather than NaN', () => {
    const summary = summarize([]);
    expect([summary.r1, summary.r3, summary.mrr5, summary.accuracy]).toEqual([0, 0, 0, 0]);
  });
});
