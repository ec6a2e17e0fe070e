import { describe, expect, it } from 'vitest';
import { CharIndex } from '../../src/index/char-index.js';
import { analyzeText, DEFAULT_LEXICAL_SCORING, LexicalIndex } from '../../src/index/lexical.js';
import { coverage } from '../../src/retrieval/hybrid.js';
import { analyzeQuery } from '../../src/retrieval/query.js';
import { passage } from './passages.js';

const PASSAGES = [
  passage('pipeline-twice', 'The oil pipeline runs east. The pipeline opened in 2005.', 'Energy'),
  passage(
    'pipeline-once-long',
    `The pipeline is mentioned once here among many other words about ${'trade and ports and roads '.repeat(10)}`,
  ),
  passage('uranium', 'Kazakhstan exports uranium to China.', 'Trade'),
  passage('grain', 'Grain exports to China grew in 2023.', 'Trade'),
  passage('ru', 'Китай и Казахстан в XXI веке являются одними из быстрорастущих экономик мира.', 'Аннотация'),
];
const lexical = new LexicalIndex(PASSAGES);
const q = (...terms: string[]) => terms.map((term) => ({ term, weight: 1 }));

describe('LexicalIndex: BM25+', () => {
  it('given "pipeline", ranks the short passage that says it twice above the long one that says it once, and nothing else', () => {
    const hits = lexical.query(q('pipelin'), 10);
    expect(hits.map((h) => h.id)).toEqual(['pipeline-twice', 'pipeline-once-long']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('given "uranium exports", ranks the passage with the rare term "uranium" above the one with only "exports"', () => {
    const hits = lexical.query(q('uranium', 'export'), 10);
    expect(hits.map((h) => h.id)).toEqual(['uranium', 'grain']);
  });

  it('given a heavier weight on "grain", ranks the grain passage above the uranium one', () => {
    const hits = lexical.query(
      [
        { term: 'uranium', weight: 0.1 },
        { term: 'grain', weight: 1 },
      ],
      10,
    );
    expect(hits[0]!.id).toBe('grain');
  });

  it('given k = 1, returns only the best hit', () => {
    expect(lexical.query(q('export'), 1)).toHaveLength(1);
  });

  it('given no terms or only unknown terms, returns no hits', () => {
    expect(lexical.query([], 10)).toEqual([]);
    expect(lexical.query(q('zeppelin'), 10)).toEqual([]);
  });

  it('given the Russian inflected "Казахстаном", finds the Russian passage through the shared stem', () => {
    const hits = lexical.query(
      analyzeText('Казахстаном').map((term) => ({ term, weight: 1 })),
      10,
    );
    expect(hits.map((h) => h.id)).toEqual(['ru']);
  });
});

describe('LexicalIndex: scoring settings', () => {
  it('given a section weight of 0, finds a passage by its heading no more', () => {
    expect(lexical.query(q('energi'), 10).map((h) => h.id)).toEqual(['pipeline-twice']);
    const noSection = { ...DEFAULT_LEXICAL_SCORING, fieldWeights: { text: 1, section: 0, code: 0.5 } };
    expect(lexical.query(q('energi'), 10, noSection)).toEqual([]);
  });

  it('given a term of weight 0, neither matches by it nor counts it as matched', () => {
    const hits = lexical.query(
      [
        { term: 'export', weight: 1 },
        { term: 'uranium', weight: 0 },
      ],
      10,
    );
    expect(hits).toEqual(lexical.query(q('export'), 10));
  });

  it('given a larger b, lets the long passage fall further behind the short one', () => {
    const ratio = (b: number) => {
      const [short, long] = lexical.query(q('pipelin'), 10, { ...DEFAULT_LEXICAL_SCORING, b });
      return short!.score / long!.score;
    };
    expect(ratio(1)).toBeGreaterThan(ratio(0));
  });
});

describe('LexicalIndex: idf and terms', () => {
  it('gives a term absent from the corpus the highest idf, above the rarest known term', () => {
    expect(lexical.knows('zeppelin')).toBe(false);
    expect(lexical.idf('zeppelin')).toBeGreaterThan(lexical.idf('uranium'));
    expect(lexical.idf('zeppelin')).toBeCloseTo(Math.log(1 + (PASSAGES.length + 0.5) / 0.5), 12);
  });

  it('gives a term in more passages a lower idf ("export" in 2 < "uranium" in 1)', () => {
    expect(lexical.knows('uranium')).toBe(true);
    expect(lexical.idf('export')).toBeLessThan(lexical.idf('uranium'));
  });

  it('lists a passage’s analysed terms together with its section heading', () => {
    const terms = lexical.termsOf('pipeline-twice');
    expect(terms.has('pipelin')).toBe(true);
    expect(terms.has('energi')).toBe(true);
    expect(terms.has('the')).toBe(false);
    expect(lexical.termsOf('unknown-id').size).toBe(0);
  });

  it('given every query word present, coverage is 1; given a word found nowhere, coverage falls below 1', () => {
    const terms = lexical.termsOf('uranium');
    expect(coverage(analyzeQuery('uranium exports').words, terms, lexical)).toBe(1);
    const partial = coverage(analyzeQuery('uranium zeppelin').words, terms, lexical);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(0.5);
  });

  it('finds acronyms defined in its passages and maps them to analysed expansions', () => {
    const index = new LexicalIndex([
      passage('sco', 'Both joined the Shanghai Cooperation Organization (SCO) in 2001.'),
    ]);
    expect(index.acronyms.get('sco')).toEqual(['shanghai', 'cooper', 'organ']);
  });
});

describe('LexicalIndex: code', () => {
  const CODE = [
    passage('spawn', 'Call `std::thread::spawn` with a closure; `handle.join()` waits for it.'),
    passage('threads-prose', 'Threads run in parallel and a thread pool limits how many exist.'),
    passage('defer-prose', 'You can defer the reply when the work takes longer than three seconds.'),
    passage('defer-code', 'Call `interaction.deferReply()` first, then `editReply` when the work is done.'),
    passage('map', 'A `HashMap<String, i32>` stores keys with values; `Vec::new` creates a vector.'),
  ];
  const index = new LexicalIndex(CODE);
  const top = (question: string) => index.query(analyzeQuery(question).terms, 5).map((h) => h.id);

  it('given "how do I spawn a thread", finds the passage with thread::spawn first', () => {
    expect(top('how do I spawn a thread')[0]).toBe('spawn');
  });

  it('given "thread::spawn", ranks the passage that says it above prose about threads', () => {
    const hits = top('thread::spawn');
    expect(hits[0]).toBe('spawn');
    expect(hits).toContain('threads-prose');
  });

  it('given "deferReply", finds both the code and the prose that says "defer the reply"', () => {
    expect(top('deferReply')).toEqual(expect.arrayContaining(['defer-code', 'defer-prose']));
  });

  it('given "defer reply", finds the code that says deferReply too', () => {
    expect(top('defer reply')).toEqual(expect.arrayContaining(['defer-prose', 'defer-code']));
  });

  it('given "hash map", finds HashMap', () => {
    expect(top('hash map')[0]).toBe('map');
  });

  it('counts "deferReply" as covered by a passage that says "defer the reply"', () => {
    const words = analyzeQuery('deferReply').words;
    expect(words.map((w) => w.phrases)).toEqual([[['defer', 'repli']]]);
    expect(coverage(words, index.termsOf('defer-prose'), index)).toBe(1);
  });

  it('analyses prose into words only, exactly as before', () => {
    const prose = 'The oil pipeline runs east; the iPhone and McKinsey report, e.g. 2.9% and/or U.S.';
    expect(analyzeText(prose)).toEqual(analyzeText(prose, new Set(['word'])));
  });
});

describe('CharIndex', () => {
  const chars = new CharIndex(PASSAGES);

  it('given the Russian query "экономики Казахстана", ranks the Russian passage first', () => {
    const hits = chars.query('экономики Казахстана', PASSAGES.length);
    expect(hits[0]!.id).toBe('ru');
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('given "pipelines", ranks a pipeline passage first although the word form differs', () => {
    expect(chars.query('pipelines', 1)[0]!.id).toMatch(/^pipeline-/);
  });

  it('returns k hits, best first, with cosine scores in [0, 1]', () => {
    const hits = chars.query('grain exports', 3);
    expect(hits).toHaveLength(3);
    for (const h of hits) {
      expect(h.score).toBeGreaterThanOrEqual(0);
      expect(h.score).toBeLessThanOrEqual(1 + 1e-6);
    }
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('gives a text similarity 1 to itself and similarityTo 0 for an unknown id', () => {
    expect(chars.similarity('grain exports', 'grain exports')).toBeCloseTo(1, 5);
    expect(chars.similarityTo('grain', 'no-such-id')).toBe(0);
  });
});
