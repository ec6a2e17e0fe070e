import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusIndexDir, corpusSlug, openCorpusEngine } from '../../src/eval/corpus-engine.js';
import {
  checkEvalSets,
  evalRunJson,
  formatEvalRun,
  parseEvalArgs,
  parseSetValue,
  runEvalSets,
  type EvalRun,
} from '../../src/eval/eval-sets.js';
import { DEFAULT_EVAL_SETS, poolReports, scoreBatch, type EvalReport } from '../../src/eval/run-eval.js';
import { evalItemSchema, type BatchLine } from '../../src/eval/score.js';
import { isFootnoteError } from '../../src/errors.js';

/** The eval's command line, pooling and index location; the engine part on a tiny corpus with n-gram embeddings. */
async function thrown(f: () => unknown): Promise<Error> {
  try {
    await f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('parseEvalArgs', () => {
  it('given no arguments, runs the three default dev sets, each on its corpus', () => {
    const args = parseEvalArgs([], 'my-docs');
    expect(args.sets).toEqual(DEFAULT_EVAL_SETS);
    expect(args.sets.map((s) => [s.file, s.corpus])).toEqual([
      ['../shared/eval/dev.jsonl', 'corpus'],
      ['../shared/eval/dev-2.jsonl', 'corpus'],
      ['../shared/eval/rust-book/dev.jsonl', '../shared/eval/rust-book/corpus'],
    ]);
    expect([args.verbose, args.json]).toEqual([false, false]);
  });

  it('given --set twice, -v and --json, keeps both sets in order', () => {
    const args = parseEvalArgs(
      ['--set', 'a.jsonl=docs', '-v', '--set=b/q.jsonl=other/corpus', '--json'],
      'x',
    );
    expect(args.sets).toEqual([
      { file: 'a.jsonl', corpus: 'docs' },
      { file: 'b/q.jsonl', corpus: 'other/corpus' },
    ]);
    expect([args.verbose, args.json]).toEqual([true, true]);
  });

  it('given a positional file (the old form), runs it on CORPUS_DIR', () => {
    expect(parseEvalArgs(['q.jsonl'], 'my-docs').sets).toEqual([{ file: 'q.jsonl', corpus: 'my-docs' }]);
  });

  for (const bad of ['a.jsonl', 'a.jsonl=', '=docs']) {
    it(`given --set ${bad}, throws INPUT_INVALID naming the value and the QUESTIONS=FOLDER form`, async () => {
      const err = await thrown(() => parseEvalArgs(['--set', bad], 'x'));
      expect(isFootnoteError(err, 'INPUT_INVALID')).toBe(true);
      expect(err.message).toContain(`"${bad}"`);
      expect(err.message).toContain('QUESTIONS.jsonl=CORPUS_FOLDER');
      expect(err.message).toMatch(/e\.g\. --set \S+=\S+/);
    });
  }

  it('given an unknown option, throws INPUT_INVALID with the usage', async () => {
    const err = await thrown(() => parseEvalArgs(['--sets', 'a=b'], 'x'));
    expect(isFootnoteError(err, 'INPUT_INVALID')).toBe(true);
    expect(err.message).toMatch(/--sets/);
    expect(err.message).toMatch(/Usage:/);
  });

  it('splits --set at the first "="', () => {
    expect(parseSetValue('q.jsonl=docs=v2')).toEqual({ file: 'q.jsonl', corpus: 'docs=v2' });
  });
});

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'footnote-eval-sets-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('checkEvalSets', () => {
  it('given a missing question file and a missing corpus folder, names both, and the fix', async () => {
    await writeFile(join(tmp, 'ok.jsonl'), '');
    const err = await thrown(() =>
      checkEvalSets([
        { file: join(tmp, 'nope.jsonl'), corpus: tmp },
        { file: join(tmp, 'ok.jsonl'), corpus: join(tmp, 'no-corpus') },
      ]),
    );
    expect(isFootnoteError(err, 'INPUT_INVALID')).toBe(true);
    expect(err.message).toContain(`question file ${join(tmp, 'nope.jsonl')}`);
    expect(err.message).toContain(`corpus folder ${join(tmp, 'no-corpus')}`);
    expect(err.message).toMatch(/does not exist/);
    expect(err.message).toContain('--set QUESTIONS.jsonl=CORPUS_FOLDER');
  });

  it('given a file where the corpus folder should be, says it is not a folder', async () => {
    const err = await thrown(() =>
      checkEvalSets([{ file: join(tmp, 'ok.jsonl'), corpus: join(tmp, 'ok.jsonl') }]),
    );
    expect(err.message).toMatch(/corpus folder .*ok\.jsonl.* is not a folder/);
  });
});

describe('corpusSlug and corpusIndexDir', () => {
  it('given the Rust book corpus, reads as its parent and name plus 8 hex digits of the resolved path', () => {
    const slug = corpusSlug('../shared/eval/rust-book/corpus');
    expect(slug).toMatch(/^rust-book-corpus-[0-9a-f]{8}$/);
    expect(corpusSlug(resolve('../shared/eval/rust-book/corpus'))).toBe(slug);
  });

  it('given two folders of the same name in different places, gives different slugs', () => {
    expect(corpusSlug('/a/x/corpus')).not.toBe(corpusSlug('/b/x/corpus'));
    expect(corpusSlug('/a/x/corpus').slice(0, -9)).toBe('x-corpus');
  });

  it('folds anything but letters and digits to "-"', () => {
    expect(corpusSlug('/srv/My Docs/Guide (v2)')).toMatch(/^my-docs-guide-v2-[0-9a-f]{8}$/);
  });

  it('places the index under DATA_DIR/eval/<slug>/index', () => {
    expect(corpusIndexDir('/docs/guide', 'data')).toBe(
      join('data', 'eval', corpusSlug('/docs/guide'), 'index'),
    );
  });
});

/** Item scores as scoreBatch makes them, from a tiny document. */
const DOC = 'a.md';
const TEXT = 'The answer is forty-two. Nothing else is said here.';

function evalItem(id: string, kind: string, answerable: boolean) {
  return evalItemSchema.parse({
    id,
    question: `q ${id}`,
    kind,
    doc: answerable ? DOC : null,
    evidence: answerable ? 'The answer is forty-two.' : null,
    answer_terms: answerable ? ['forty-two'] : [],
  });
}

function reply(id: string, hit: boolean, answered: boolean): BatchLine {
  return {
    id,
    question: `q ${id}`,
    answered,
    answer: answered ? 'forty-two' : '',
    sources: [
      {
        doc: DOC,
        title: 'A',
        section: '',
        start: hit ? 0 : 25,
        end: hit ? 24 : TEXT.length,
        excerpt: 'x',
        score: 1,
      },
    ],
  };
}

describe('poolReports', () => {
  let one: EvalReport;
  let two: EvalReport;
  beforeAll(async () => {
    await writeFile(join(tmp, DOC), TEXT);
    // Set one: 1 answerable question, hit first and answered. Set two: 3 answerable, all missed; 1 unanswerable refused.
    one = await scoreBatch([evalItem('a1', 'fact', true)], [reply('a1', true, true)], tmp);
    two = await scoreBatch(
      [
        evalItem('b1', 'fact', true),
        evalItem('b2', 'lookup', true),
        evalItem('b3', 'fact', true),
        evalItem('b4', 'unanswerable', false),
      ],
      [
        reply('b1', false, false),
        reply('b2', false, true),
        reply('b3', false, true),
        reply('b4', false, false),
      ],
      tmp,
    );
  });

  it('sums the counts: R@1 is 1 of 4 answerable (25 %), not the mean of 100 % and 0 %', () => {
    expect(one.overall.r1).toBe(1);
    expect(two.overall.r1).toBe(0);
    const pooled = poolReports([one, two]);
    expect(pooled.overall.questions).toBe(5);
    expect(pooled.overall.answerable).toBe(4);
    expect(pooled.overall.r1).toBe(0.25);
    expect(pooled.overall.falseRefusals).toBe(1);
    expect([pooled.overall.refusedUnanswerable, pooled.overall.unanswerable]).toEqual([1, 1]);
  });

  it('pools per kind too', () => {
    const pooled = poolReports([one, two]);
    expect([...pooled.byKind.keys()]).toEqual(['fact', 'lookup', 'unanswerable']);
    expect(pooled.byKind.get('fact')).toMatchObject({ questions: 3, r1: 1 / 3 });
  });

  it('formats a row per set, per corpus pool and for all sets; per kind and per question only with verbose', () => {
    const run: EvalRun = {
      sets: [
        { file: 'one.jsonl', corpus: 'c', report: one },
        { file: 'two.jsonl', corpus: 'c', report: two },
      ],
      corpora: [{ corpus: 'c', report: poolReports([one, two]) }],
      pooled: poolReports([one, two]),
      model: 'm',
    };
    const text = formatEvalRun(run);
    expect(text).toMatch(/^set +n +R@1 +R@3 +MRR@5 +acc +falseR +refused$/m);
    expect(text).toMatch(/^one\.jsonl +1 +100\.0% +100\.0% +1\.000 +100\.0% +0 +0\/0$/m);
    expect(text).toMatch(/^two\.jsonl +4 +0\.0%/m);
    expect(text).toMatch(/^on c +5 +25\.0%/m);
    expect(text).toMatch(/^all sets +5 +25\.0% +25\.0% +0\.250 +75\.0% +1 +1\/1$/m);
    expect(text).not.toMatch(/^lookup/m);
    const verbose = formatEvalRun(run, true);
    expect(verbose).toMatch(/^lookup +1 /m);
    expect(verbose).toMatch(/^b2 lookup +rank=- ✓ answered=true/m);
    const json = evalRunJson(run) as {
      sets: { items: unknown[] }[];
      pooled: { overall: { questions: number } };
    };
    expect(json.sets[1]!.items).toHaveLength(4);
    expect(json.pooled.overall.questions).toBe(5);
  });
});

describe('openCorpusEngine and runEvalSets on a corpus with a subfolder (n-gram embeddings)', () => {
  it('names documents by their path relative to the corpus, builds the index under DATA_DIR/eval/<slug>, then reuses it', async () => {
    const corpus = join(tmp, 'docs');
    await mkdir(join(corpus, 'guide'), { recursive: true });
    await writeFile(join(corpus, 'intro.md'), '# Intro\n\nThe lighthouse keeper is named Ada Brooks.\n');
    await writeFile(
      join(corpus, 'guide', 'buttons.md'),
      '# Buttons\n\nThe red button stops the conveyor belt within 2 seconds.\n',
    );
    const questions = join(tmp, 'q.jsonl');
    await writeFile(
      questions,
      `${[
        {
          id: 'g1',
          question: 'What does the red button stop?',
          kind: 'fact',
          doc: 'guide/buttons.md',
          evidence: 'The red button stops the conveyor belt',
          answer_terms: ['conveyor belt'],
        },
        {
          id: 'g2',
          question: 'Who keeps the lighthouse?',
          kind: 'fact',
          doc: 'intro.md',
          evidence: 'The lighthouse keeper is named Ada Brooks.',
          answer_terms: ['Ada Brooks'],
        },
      ]
        .map((q) => JSON.stringify(q))
        .join('\n')}\n`,
    );
    const dataDir = join(tmp, 'data');
    const logs: string[] = [];
    const run = await runEvalSets([{ file: questions, corpus }], {
      dataDir,
      embeddings: 'ngram',
      log: (m) => logs.push(m),
    });
    expect(logs.some((m) => m.startsWith('No index at'))).toBe(true);
    expect((await stat(join(corpusIndexDir(corpus, dataDir), 'current'))).isFile()).toBe(true);
    expect(run.sets[0]!.report.items.map((i) => i.rank)).toEqual([1, 1]);
    expect(run.pooled.overall.questions).toBe(2);

    const again: string[] = [];
    const engine = await openCorpusEngine(corpus, {
      dataDir,
      embeddings: 'ngram',
      log: (m) => again.push(m),
    });
    expect(again).toEqual([]);
    expect(
      engine
        .documents()
        .map((d) => d.doc)
        .sort(),
    ).toEqual(['guide/buttons.md', 'intro.md']);
  });
});
