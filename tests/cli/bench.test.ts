import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBenchTable, median, percentile } from '../../src/bench/bench.js';
import { questionsFromCorpus } from '../../src/bench/corpus-questions.js';
import { benchQuestions, corpusEngineSections, engineSections } from '../../src/bench/engine-bench.js';
import { sections } from '../../src/bench/sections.js';
import { parseDocument } from '../../src/corpus/load-corpus.js';

/** The bench's pure parts. Its figures are printed by `npm run bench`; no timing is asserted here. */
describe('percentile (nearest rank)', () => {
  const values = Array.from({ length: 200 }, (_, i) => i + 1); // 1..200

  it('given 1..200, returns 100 for p50, 190 for p95, 198 for p99 and 200 for p100', () => {
    expect([50, 95, 99, 100].map((p) => percentile(values, p))).toEqual([100, 190, 198, 200]);
  });

  it('given p0, returns the smallest value; given no values, NaN', () => {
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('given any sorted values (property), returns one of them, and a higher p never gives less', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (raw, p, q) => {
          const sorted = [...raw].sort((a, b) => a - b);
          expect(sorted).toContain(percentile(sorted, p));
          const [lo, hi] = p <= q ? [p, q] : [q, p];
          expect(percentile(sorted, hi)).toBeGreaterThanOrEqual(percentile(sorted, lo));
        },
      ),
    );
  });

  it('given unsorted values, median sorts them first', () => {
    expect(median([30, 10, 20])).toBe(20);
  });
});

describe('benchQuestions', () => {
  const base = ['What is the SCO?', 'When was CNPC founded?'];

  it('given 2 questions and count 7, cycles them, varying each round', () => {
    expect(benchQuestions(base, 7)).toEqual([
      'What is the SCO?',
      'When was CNPC founded?',
      'what is the sco?',
      'when was cnpc founded?',
      'What is the SCO',
      'When was CNPC founded',
      'Please tell me: What is the SCO?',
    ]);
  });

  it('given 40 questions and count 240, returns 240 questions of which 200 are distinct', () => {
    const forty = Array.from({ length: 40 }, (_, i) => `Question number ${i}?`);
    const questions = benchQuestions(forty, 240);
    expect(questions).toHaveLength(240);
    expect(new Set(questions).size).toBe(200);
  });

  it('given no base questions, falls back to built-in ones rather than looping forever', () => {
    const questions = benchQuestions([], 10);
    expect(questions).toHaveLength(10);
    expect(questions.every((q) => q.trim().length > 0)).toBe(true);
  });
});

describe('sections', () => {
  it('run ingest first (it builds the index the others use), then cold start, warm latency and memory', () => {
    expect(engineSections.map((s) => s.name)).toEqual(['ingest', 'cold start', 'warm latency', 'memory']);
    expect(sections.slice(0, engineSections.length)).toEqual(engineSections);
  });
});

describe('formatBenchTable', () => {
  it('given two sections, prints a titled block each with metric, value, unit and note', () => {
    const table = formatBenchTable([
      { section: 'warm latency', embeddings: 'ngram', rows: [{ metric: 'p50', value: 3.14159, unit: 'ms' }] },
      {
        section: 'ingest',
        embeddings: 'use',
        rows: [
          { metric: 'passages', value: 158, unit: 'count' },
          { metric: 'cold: throughput', value: 20.24, unit: 'passages/s', note: 'model load included' },
          { metric: 'missing', value: Number.NaN, unit: 'ms' },
        ],
      },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toBe('warm latency (ngram)');
    expect(lines[1]).toMatch(/^ {2}p50 +3\.14 ms$/);
    expect(lines[3]).toBe('ingest (use)');
    expect(lines[4]).toMatch(/^ {2}passages +158 count$/);
    expect(lines[5]).toMatch(/^ {2}cold: throughput +20\.2 passages\/s +model load included$/);
    expect(lines[6]).toMatch(/^ {2}missing +– ms$/);
  });
});

describe('questionsFromCorpus (bench --corpus)', () => {
  const doc = (path: string, text: string) => parseDocument(path, new TextEncoder().encode(text));
  const docs = [
    doc(
      'guide/a.md',
      '# Installing the tool\n\nRun the installer from the release page before anything else. Then restart.\n\n' +
        '```sh\n# not a heading\n$ install\n```\n\n## Updating\n\n- a list item is skipped\n\nShort one.\n',
    ),
    doc('b.txt', 'Plain text documents have no headings, only paragraphs of sentences like this one.\n'),
  ];

  it('takes headings (every other one as "Tell me about …") and first sentences, round-robin over documents', () => {
    expect(questionsFromCorpus(docs)).toEqual([
      'Installing the tool',
      'Plain text documents have no headings, only paragraphs of sentences like this one.',
      'Run the installer from the release page before anything else.',
      'Tell me about Updating',
    ]);
  });

  it('stops at the limit, without duplicates', () => {
    expect(questionsFromCorpus([...docs, ...docs], 3)).toHaveLength(3);
    expect(new Set(questionsFromCorpus([...docs, ...docs])).size).toBe(4);
  });

  it('given a long sentence, cuts it at a word boundary near 120 characters', () => {
    const long = `${'Word '.repeat(60).trim()}.`;
    const [q] = questionsFromCorpus([doc('c.md', `${long}\n`)]);
    expect(q!.length).toBeLessThanOrEqual(120);
    expect(q!.endsWith('Word')).toBe(true);
  });
});

describe('corpusEngineSections (bench --corpus)', () => {
  it('open the eval index of the corpus instead of the scratch ingest, then cold start, warm latency and memory', () => {
    expect(corpusEngineSections.map((s) => s.name)).toEqual([
      'index',
      'cold start',
      'warm latency',
      'memory',
    ]);
  });
});
