import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withContext, type FootnoteEngine } from '../../src/answer/engine.js';
import { openEngine } from '../../src/answer/open-engine.js';
import { MAX_QUESTION_CHARS } from '../../src/answer/sanitize.js';
import type { AnswerResult, Source } from '../../src/answer/types.js';
import { loadConfig } from '../../src/config.js';
import { readEvalFile } from '../../src/eval/run-eval.js';

/** Engine behaviour over the bundled corpus, with the n-gram embeddings (fast; quality is tests/eval's job). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS_DIR = join(ROOT, 'corpus');
const RELATIONS = 'kazakh-chinese-relations.txt';
const PARTNERSHIP = 'sino-kazakh-strategic-partnership.md';

const texts = new Map<string, string>();
const docText = (doc: string): string => {
  let text = texts.get(doc);
  if (text === undefined) {
    text = readFileSync(join(CORPUS_DIR, doc), 'utf8');
    texts.set(doc, text);
  }
  return text;
};
/** 1-based line of a character offset in a document. */
const lineAt = (doc: string, offset: number) => docText(doc).slice(0, offset).split('\n').length;

/** Corpus words mixed with hostile characters, so the property also reaches answered results. */
const hostileQuestion = fc
  .array(
    fc.constantFrom(
      'Kazakhstan',
      'exports',
      'China',
      '2023',
      'CNPC',
      'pipeline',
      'Казахстан',
      'нефтепровод',
      ' ',
      '?',
      '\u0000',
      '\u001b[1m',
      '\u202e',
      '\u2066',
      '\u200b',
      '\ud800',
      '😀',
      '\u0301',
      '\n',
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

// C0 and C1 controls (tab and newline included: the question is folded to one line) and bidi overrides/isolates.
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

let tmp: string;
let engine: FootnoteEngine;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'footnote-engine-'));
  const config = loadConfig({
    CORPUS_DIR,
    INDEX_DIR: join(tmp, 'index'),
    DATA_DIR: tmp,
    EMBEDDINGS: 'ngram',
  });
  engine = await openEngine({ config });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Every source is an exact slice of its document, with matching lines and a highlight inside it. */
function expectSourcesExact(sources: readonly Source[]): void {
  for (const s of sources) {
    expect(docText(s.doc).slice(s.start, s.end), s.passageId).toBe(s.excerpt);
    expect(s.lines, s.passageId).toEqual([lineAt(s.doc, s.start), lineAt(s.doc, s.end - 1)]);
    if (s.highlight) {
      expect(s.highlight.start).toBeGreaterThanOrEqual(0);
      expect(s.highlight.end).toBeLessThanOrEqual(s.excerpt.length);
      expect(s.highlight.start).toBeLessThan(s.highlight.end);
    }
  }
}

/** An answered result quotes `sources[0]` verbatim at its highlight. */
function expectQuoted(result: AnswerResult): void {
  if (!result.answered) return;
  const [first] = result.sources;
  expect(first).toBeDefined();
  expect(first!.highlight).not.toBeNull();
  expect(first!.excerpt.slice(first!.highlight!.start, first!.highlight!.end)).toBe(result.answer);
  expect(first!.excerpt).toContain(result.answer);
}

describe('ask: off-corpus questions', () => {
  for (const question of ['Who won the 2018 FIFA World Cup?', 'What is the recipe for chocolate cake?']) {
    it(`given "${question}", refuses with no-match and still shows the closest passage`, async () => {
      const result = await engine.ask(question);
      expect(result.answered).toBe(false);
      expect(result.answer).toBe('');
      expect(result.answered === false && result.reason).toBe('no-match');
      expect(result.sources.length).toBeGreaterThanOrEqual(1);
      expect(result.sources.every((s) => s.highlight === null)).toBe(true);
      expectSourcesExact(result.sources);
    });
  }
});

describe('ask: answers are quotes', () => {
  it('given every dev-eval question, answers (if at all) with a verbatim slice of sources[0] at its highlight, and every source is an exact slice of its document', async () => {
    const items = await readEvalFile(join(ROOT, '../shared/eval/dev.jsonl'));
    let answered = 0;
    for (const item of items) {
      const result = await engine.ask(item.question);
      expect(result.sources.length, item.id).toBeGreaterThanOrEqual(1);
      expect(result.sources.length, item.id).toBeLessThanOrEqual(5);
      expectQuoted(result);
      expectSourcesExact(result.sources);
      if (result.answered) answered += 1;
    }
    // The invariants above must have been exercised on answered results, not only refusals.
    expect(answered).toBeGreaterThanOrEqual(20);
  });

  it('given "What did Kazakhstan’s exports to China total in 2023?", quotes the $13.16 billion sentence', async () => {
    const result = await engine.ask('What did Kazakhstan’s exports to China total in 2023?');
    expect(result.answered).toBe(true);
    expect(result.answer).toContain('$13.16 billion');
    expect(result.sources[0]!.doc).toBe(RELATIONS);
    expectQuoted(result);
  });

  it('given sources: 2, returns exactly two sources', async () => {
    const result = await engine.ask('CNPC oil investments', { sources: 2 });
    expect(result.sources).toHaveLength(2);
  });

  it('given sources: 0 or 99, clamps to one and ten sources', async () => {
    expect((await engine.ask('CNPC oil investments', { sources: 0 })).sources).toHaveLength(1);
    expect((await engine.ask('CNPC oil investments', { sources: 99 })).sources).toHaveLength(10);
  });
});

describe('ask: Russian', () => {
  it('given "Какими экономиками являются Китай и Казахстан в XXI веке?", quotes the Russian annotation passage', async () => {
    const result = await engine.ask('Какими экономиками являются Китай и Казахстан в XXI веке?');
    expect(result.answered).toBe(true);
    const [first] = result.sources;
    expect(first!.doc).toBe(PARTNERSHIP);
    expect(first!.section).toBe('Аннотация');
    expect(result.answer).toContain(
      'Китай и Казахстан в XXI веке являются одними из быстрорастущих экономик мира',
    );
    expectQuoted(result);
  });
});

describe('ask: bad input', () => {
  for (const [name, question] of [
    ['an empty question', ''],
    ['a blank question', ' \n\t  \u00a0 '],
    ['only control characters', '\u0000\u0007\u001b[31m\u202e'],
  ] as const) {
    it(`given ${name}, refuses with reason "empty" and no sources`, async () => {
      const result = await engine.ask(question);
      expect(result).toMatchObject({ answered: false, reason: 'empty', answer: '', sources: [] });
    });
  }

  it('given a 6,000-character question, reads the first 2,000 characters and says so in a note', async () => {
    const long =
      `What did Kazakhstan’s exports to China total in 2023? ${'and more words '.repeat(400)}`.slice(0, 6000);
    expect(long).toHaveLength(6000);
    const result = await engine.ask(long);
    expect(result.question.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatch(/2,000 characters/);
    expect(result.sources.length).toBeGreaterThanOrEqual(1);
  });

  it('given NUL, ANSI colour codes, a bell and RTL overrides around a question, strips them and answers', async () => {
    const result = await engine.ask(
      '\u0000\u001b[31mWhat did\u001b[0m Kazakhstan’s \u202eexports\u202c to China\u0007 total in 2023?\u2066',
    );
    expect(result.question).toBe('What did Kazakhstan’s exports to China total in 2023?');
    expect(result.answered).toBe(true);
    expect(result.answer).toContain('$13.16 billion');
  });

  it('given arbitrary Unicode text (property), never throws and returns a clean question and a consistent result', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300, size: 'medium' }), hostileQuestion),
        async (question) => {
          const result = await engine.ask(question);
          expect(CONTROL.test(result.question)).toBe(false);
          expect(result.question.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
          if (result.answered || result.reason === 'no-match')
            expect(result.sources.length).toBeGreaterThanOrEqual(1);
          expectQuoted(result);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('ask: follow-ups', () => {
  it('given "and in 2023?" after "What did Kazakhstan’s exports to China total?", finds the 2023 exports sentence', async () => {
    const result = await engine.ask('and in 2023?', {
      context: ['What did Kazakhstan’s exports to China total?'],
    });
    expect(result.answered).toBe(true);
    expect(result.answer).toContain('In 2023, Kazakhstan’s exports to China totaled $13.16 billion.');
    expect(result.question).toBe('and in 2023?');
  });

  it('given a short follow-up, withContext searches it together with the most recent earlier question', () => {
    expect(withContext('and in 2023?', ['first question', 'What did exports total?'])).toBe(
      'What did exports total? and in 2023?',
    );
  });

  it('given a self-contained question, withContext leaves it alone', () => {
    const question = 'Which company bought PetroKazakhstan in 2006 for four billion dollars?';
    expect(withContext(question, ['What did exports total?'])).toBe(question);
  });

  it('given the 6-word Russian follow-up "А сколько они инвестировали в нефтяной сектор в 2023 году?", searches it with the earlier question', () => {
    const question = 'А сколько они инвестировали в нефтяной сектор в 2023 году?';
    expect(withContext(question, ['Сколько Китай инвестировал в Казахстан?'])).toBe(
      `Сколько Китай инвестировал в Казахстан? ${question}`,
    );
  });

  it('given a standalone Russian question with "который" (no follow-up marker), searches it alone', () => {
    const question = 'Какой университет окончила автор статьи о партнерстве Китая и Казахстана?';
    expect(withContext(question, ['Что такое ШОС?'])).toBe(question);
  });

  it('given no context, withContext leaves a follow-up alone', () => {
    expect(withContext('and in 2023?', [])).toBe('and in 2023?');
  });
});

describe('lookup', () => {
  it('given "Dostyk", returns the sentence naming it, grouped by document, at its exact location', () => {
    const result = engine.lookup('Dostyk');
    expect(result.total).toBeGreaterThanOrEqual(1);
    expect(result.total).toBe(result.groups.reduce((n, g) => n + g.hits.length, 0));
    expect(result.groups.map((g) => g.doc)).toEqual([RELATIONS]);
    for (const group of result.groups) {
      for (const hit of group.hits) {
        expect(hit.sentence).toContain('Dostyk');
        expect(docText(group.doc).slice(hit.start, hit.end)).toBe(hit.sentence);
        expect(hit.line).toBe(lineAt(group.doc, hit.start));
      }
    }
  });

  it('given "dostyk" in lower case, finds the same sentences', () => {
    expect(engine.lookup('dostyk').groups).toEqual(engine.lookup('Dostyk').groups);
  });

  it('given the dative "Казахстану" (absent from the corpus), finds the Russian sentence with the lemma "Казахстан"', () => {
    const result = engine.lookup('Казахстану');
    const russian = result.groups.find((g) => g.doc === PARTNERSHIP)?.hits ?? [];
    expect(russian.some((h) => h.sentence.includes('Китай и Казахстан в XXI веке'))).toBe(true);
    for (const hit of russian) expect(docText(PARTNERSHIP).slice(hit.start, hit.end)).toBe(hit.sentence);
  });

  it('given "CNPC", returns only sentences that name CNPC or China National Petroleum Corporation', () => {
    const result = engine.lookup('CNPC');
    const hits = result.groups.flatMap((g) => g.hits);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(/CNPC|China National Petroleum Corporation/i.test(hit.sentence)).toBe(true);
    }
  });

  it('given a term found nowhere ("zeppelin"), returns no groups', () => {
    expect(engine.lookup('zeppelin')).toMatchObject({ total: 0, groups: [] });
  });

  it('given an empty term, returns no groups', () => {
    expect(engine.lookup('   ')).toMatchObject({ total: 0, groups: [] });
  });

  it('given arbitrary Unicode text (property), never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100, size: 'medium' }), (term) => {
        const result = engine.lookup(term);
        expect(result.total).toBe(result.groups.reduce((n, g) => n + g.hits.length, 0));
      }),
      { numRuns: 100 },
    );
  });
});

describe('topics', () => {
  it('lists between 1 and 500 distinct terms including CNPC or the Shanghai Cooperation Organization', () => {
    const topics = engine.topics();
    expect(topics.length).toBeGreaterThan(0);
    expect(topics.length).toBeLessThanOrEqual(500);
    expect(new Set(topics).size).toBe(topics.length);
    expect(topics.some((t) => t === 'CNPC' || t.includes('Shanghai Cooperation Organization'))).toBe(true);
  });
});

describe('brief', () => {
  it('given "energy cooperation", returns 3–5 distinct passages, each with a highlighted key sentence', async () => {
    const brief = await engine.brief('energy cooperation');
    expect(brief.found).toBe(true);
    const items = brief.groups.flatMap((g) => g.items);
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.length).toBeLessThanOrEqual(5);
    expect(new Set(items.map((i) => i.passageId)).size).toBe(items.length);
    for (const group of brief.groups) for (const item of group.items) expect(item.doc).toBe(group.doc);
    expect(new Set(brief.groups.map((g) => g.doc)).size).toBe(brief.groups.length);
    for (const item of items) expect(item.highlight).not.toBeNull();
    expectSourcesExact(items);
  });

  it('given an empty topic, returns found: false and no groups', async () => {
    expect(await engine.brief('')).toMatchObject({ found: false, groups: [] });
  });
});

describe('search', () => {
  it('given "oil pipeline" and count 3, returns 3 exact sources, best first', async () => {
    const sources = await engine.search('oil pipeline', 3);
    expect(sources).toHaveLength(3);
    expectSourcesExact(sources);
    const scores = sources.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('given counts 0 and 50, clamps to 1 and 10', async () => {
    expect(await engine.search('oil pipeline', 0)).toHaveLength(1);
    expect(await engine.search('oil pipeline', 50)).toHaveLength(10);
  });
});

describe('passages and documents', () => {
  it('given ordinal 0, has a next passage and no previous one', () => {
    const view = engine.passage(RELATIONS, 0);
    expect(view).not.toBeNull();
    expect(view!.previous).toBeNull();
    expect(view!.next?.ordinal).toBe(1);
    expect(view!.source.ordinal).toBe(0);
    expectSourcesExact([view!.source, view!.next!]);
  });

  it('given the last ordinal, has a previous passage and no next one; one past it is null', () => {
    const count = engine.passage(RELATIONS, 0)!.count;
    const last = engine.passage(RELATIONS, count - 1);
    expect(last!.next).toBeNull();
    expect(last!.previous?.ordinal).toBe(count - 2);
    expect(engine.passage(RELATIONS, count)).toBeNull();
    expect(engine.passage(RELATIONS, -1)).toBeNull();
    expect(engine.passage('no-such-doc.md', 0)).toBeNull();
  });

  it('given a passage id, passageById returns the same view as passage(doc, ordinal)', () => {
    const view = engine.passage(PARTNERSHIP, 3)!;
    expect(engine.passageById(view.source.passageId)).toEqual(view);
    expect(engine.passageById('nope#0-00000000')).toBeNull();
  });

  it('lists both documents, whose passage counts add up to the index', () => {
    const docs = engine.documents();
    expect(docs.map((d) => d.doc).sort()).toEqual([RELATIONS, PARTNERSHIP]);
    expect(docs.reduce((n, d) => n + d.passages, 0)).toBe(engine.info().passages);
    for (const d of docs) expect(engine.passage(d.doc, 0)!.count).toBe(d.passages);
  });

  it('info() names the embedding model and its dimension', () => {
    const info = engine.info();
    expect(info.model).toBe('ngram-2048-v1');
    expect(info.dimension).toBe(2048);
    expect(info.passages).toBeGreaterThan(100);
    expect(info.corpusChecksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
