import { describe, expect, it } from 'vitest';
import { findAcronyms } from '../../src/index/acronyms.js';
import { CharIndex } from '../../src/index/char-index.js';
import { analyzeText, LexicalIndex } from '../../src/index/lexical.js';
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

describe('findAcronyms', () => {
  it('given "Shanghai Cooperation Organization (SCO)", maps SCO to the words before it', () => {
    const found = findAcronyms([
      passage('a', 'Kazakhstan is a member of the Shanghai Cooperation Organization (SCO) since 2001.'),
    ]);
    expect(found.get('SCO')).toBe('Shanghai Cooperation Organization');
  });

  it('given "(hereafter the BRI)", maps BRI to "Belt and Road Initiative", joiner included', () => {
    const found = findAcronyms([
      passage('a', 'The Belt and Road Initiative (hereafter the BRI) was announced in 2013.'),
    ]);
    expect(found.get('BRI')).toBe('Belt and Road Initiative');
  });

  it('given the acronym in one passage and a capitalised run spelling it in another, pairs them', () => {
    const found = findAcronyms([
      passage('a', 'The SCO met in Astana.'),
      passage('b', 'Officials of the Shanghai Cooperation Organization gathered.'),
    ]);
    expect(found.get('SCO')).toBe('Shanghai Cooperation Organization');
  });

  it('given "(XYZ)" after words that do not spell it, finds no expansion', () => {
    const found = findAcronyms([passage('a', 'Some unrelated words here (XYZ) and more.')]);
    expect(found.has('XYZ')).toBe(false);
  });

  it('given no upper-case runs, finds nothing', () => {
    expect(
      findAcronyms([passage('a', 'all lower case text.'), passage('b', 'Китай и Казахстан.')]).size,
    ).toBe(0);
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
