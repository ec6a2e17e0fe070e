// Trains the answer model (src/answer/answer-model.json) from the labelled dev sets, and reports how it carries to
// a corpus it was not trained on (leave one corpus out).
//
// Usage: npx tsx scripts/train-answer-model.ts [--write] [--set questions.jsonl=corpus-folder ...]
// Default sets: every dev set of `npm run eval`. Indexes are built or reused under data/eval/ as the eval does.
//
// 1. For every question, the candidates of its retrieval (src/answer/candidates.ts) with their features. A candidate
//    is a positive example when its passage covers the evidence (the eval's rule) and its text holds every answer
//    term. Each question weighs the same: its positives share half its weight, its negatives the other half.
// 2. The ranker: a logistic regression over those examples.
// 3. Two models over the signals of the candidate the ranker picks (its features, its score and margin, whether
//    the question's constraints occur in the corpus): `answerable` (label: the documents answer the question) and
//    `correct` (answerable questions only; label: the pick is right). The engine refuses when P(answerable) < 0.5
//    and reports P(answerable) × P(correct) as its confidence.
// 4. Leave one corpus out: train on every corpus but one, answer the held-out one, score it with the eval's rules.
//    The threshold is 0.5 throughout (refuse when the answer is more likely wrong than right), never tuned on a set.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ANSWER_MODEL_URL, type AnswerModel } from '../src/answer/answer-model.js';
import { CANDIDATE_FEATURES, type Candidate, type CandidateSet } from '../src/answer/candidates.js';
import { CONFIDENCE_FEATURES, confidenceSignals, pickCandidate } from '../src/answer/compose-answer.js';
import { VALUE_KINDS } from '../src/answer/question.js';
import type { FootnoteEngine } from '../src/answer/engine.js';
import { fitLogistic, logit, sigmoid, type LogisticModel } from '../src/answer/logistic.js';
import { toBatchLine } from '../src/eval/batch.js';
import { openCorpusEngine } from '../src/eval/corpus-engine.js';
import {
  DEFAULT_EVAL_SETS,
  formatReport,
  readEvalFile,
  scoreBatch,
  type EvalSet,
} from '../src/eval/run-eval.js';
import { coversEvidence, normalizeForMatch, type EvalItem } from '../src/eval/score.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const THRESHOLD = 0.5;
/** The dense feature is trained on the default embeddings, the ones the eval sets are opened with. */
const EMBEDDING = 'use-lite-512';

/**
 * The answerable model reads fewer signals, more strongly regularised: with ~30 unanswerable questions, all of
 * them would fit noise (measured held out: the full set gave 2–5 more false refusals; a penalty of 0.5 flattened
 * every weight so that only the rules refused, 0.01–0.05 gave more false refusals for no more refusals).
 */
const ANSWERABLE_FEATURES = [
  'coverage',
  'focusCoverage',
  'focusMissing',
  'passageCoverage',
  'dense',
  'charSimilarity',
  'constraintsAbsent',
  'unknownWords',
  'constraintsInPassage',
  'rankerScore',
  'nameExpectedPresent',
];
const ANSWERABLE_L2 = 0.1;

interface Example {
  readonly corpus: string;
  readonly item: EvalItem;
  readonly engine: FootnoteEngine;
  readonly set: Pick<CandidateSet, 'signals' | 'analysis'>;
  readonly candidates: readonly {
    features: Candidate['features'];
    positive: boolean;
    passageId: string;
  }[];
}

const { values } = parseArgs({
  options: { write: { type: 'boolean' }, set: { type: 'string', multiple: true } },
});
const sets: EvalSet[] = values.set
  ? values.set.map((s) => {
      const [file, corpus] = s.split('=');
      return { file: file!, corpus: corpus! };
    })
  : [...DEFAULT_EVAL_SETS];

const examples: Example[] = [];
const engines = new Map<string, FootnoteEngine>();
for (const set of sets) {
  let engine = engines.get(set.corpus);
  if (!engine) {
    engine = await openCorpusEngine(set.corpus, { dataDir: 'data', log: (m) => console.error(m) });
    if (engine.info().model !== EMBEDDING)
      throw new Error(
        `${set.corpus} is indexed with ${engine.info().model}; train with EMBEDDINGS unset (${EMBEDDING}).`,
      );
    engines.set(set.corpus, engine);
  }
  const texts = new Map<string, string | undefined>();
  const textOf = (doc: string) => texts.get(doc);
  for (const item of await readEvalFile(set.file)) {
    for (const d of [item.doc, item.also_in?.doc]) {
      if (d && !texts.has(d))
        texts.set(d, await readFile(join(set.corpus, d), 'utf8').catch(() => undefined));
    }
    const choice = await engine.explain(item.question);
    const targets = item.doc && item.evidence ? [{ doc: item.doc, evidence: item.evidence }] : [];
    if (item.also_in) targets.push(item.also_in);
    const candidates = choice.set.candidates.map((c) => {
      const p = c.ranked.passage;
      const source = {
        doc: p.doc,
        title: p.title,
        section: p.section,
        start: p.start,
        end: p.end,
        excerpt: p.text,
        score: 0,
      };
      const covers = targets.some((t) => coversEvidence(source, t.doc, t.evidence, textOf));
      const text = normalizeForMatch(p.text.slice(c.start, c.end));
      const terms = item.answer_terms.every((t) => text.includes(normalizeForMatch(t)));
      return {
        features: { ...c.features },
        positive: targets.length > 0 && covers && terms,
        passageId: p.id,
      };
    });
    examples.push({ corpus: set.corpus, item, engine, set: choice.set, candidates });
  }
}

function trainRanker(train: readonly Example[]): LogisticModel {
  const rows: Record<string, number>[] = [];
  const labels: number[] = [];
  const weights: number[] = [];
  for (const ex of train) {
    const pos = ex.candidates.filter((c) => c.positive).length;
    const neg = ex.candidates.length - pos;
    if (pos === 0 || neg === 0) continue;
    for (const c of ex.candidates) {
      rows.push(c.features);
      labels.push(c.positive ? 1 : 0);
      weights.push(c.positive ? 0.5 / pos : 0.5 / neg);
    }
  }
  return fitLogistic(CANDIDATE_FEATURES, rows, labels, { sampleWeights: weights, l2: 0.01 });
}

/** The ranker's pick for an example and the confidence model's inputs for it. */
/** The pick of the engine's own rule (pickCandidate) and the confidence models' inputs for it. */
function pick(ex: Example, model: Pick<AnswerModel, 'ranker'>) {
  const picked = pickCandidate(
    ex.candidates.map((c) => ({ features: c.features, passage: c.passageId })),
    model,
  );
  if (!picked) return null;
  const chosen = ex.candidates[picked.index]!;
  return { chosen, signals: confidenceSignals(chosen.features, picked.score, picked.runnerUp, ex.set) };
}

/** The signals of each question's pick, with whether the question is answerable and whether the pick is right. */
function picks(train: readonly Example[], model: Pick<AnswerModel, 'ranker'>) {
  return train.flatMap((ex) => {
    const p = pick(ex, model);
    return p ? [{ signals: p.signals, answerable: ex.item.doc !== null, right: p.chosen.positive }] : [];
  });
}

function train(trainSet: readonly Example[], version: number): AnswerModel {
  const ranker = trainRanker(trainSet);
  const rows = picks(trainSet, { ranker });
  const answerable = fitLogistic(
    ANSWERABLE_FEATURES,
    rows.map((r) => r.signals),
    rows.map((r) => (r.answerable ? 1 : 0)),
    { l2: ANSWERABLE_L2 },
  );
  const onAnswerable = rows.filter((r) => r.answerable);
  const correct = fitLogistic(
    CONFIDENCE_FEATURES,
    onAnswerable.map((r) => r.signals),
    onAnswerable.map((r) => (r.right ? 1 : 0)),
    { l2: 0.05 },
  );
  return { version, embedding: EMBEDDING, ranker, answerable, correct, threshold: THRESHOLD };
}

async function evaluate(model: AnswerModel, test: readonly Example[], label: string): Promise<void> {
  const bySet = new Map<string, Example[]>();
  for (const ex of test) bySet.set(ex.corpus, [...(bySet.get(ex.corpus) ?? []), ex]);
  for (const [corpus, exs] of bySet) {
    const lines = [];
    for (const ex of exs)
      lines.push(toBatchLine(ex.item.id, await ex.engine.askWith(ex.item.question, model)));
    const report = await scoreBatch(
      exs.map((e) => e.item),
      lines,
      corpus,
    );
    console.log(`\n${label} on ${corpus} (${exs.length} questions)\n${formatReport(report)}`);
  }
}

/** Predicted probability of being right against the outcome, for the reliability table. */
function reliability(model: AnswerModel, test: readonly Example[]): { p: number; right: boolean }[] {
  return picks(test, model).map((r) => ({
    p: sigmoid(logit(model.answerable, r.signals)) * sigmoid(logit(model.correct, r.signals)),
    right: r.answerable && r.right,
  }));
}

/** Refusals at other thresholds than the one used, on held-out predictions: the trade-off, for the note. */
function refusalCurve(
  model: AnswerModel,
  test: readonly Example[],
): { p: number; forced: boolean; answerable: boolean }[] {
  return test.flatMap((ex) => {
    const pk = pick(ex, model);
    if (!pk) return [];
    const value = ex.set.analysis.type in VALUE_KINDS;
    const forced =
      ex.set.signals.constraintMissing || (value && pk.chosen.features.valueExpectedPresent !== 1);
    return [{ p: sigmoid(logit(model.answerable, pk.signals)), forced, answerable: ex.item.doc !== null }];
  });
}

function printCurve(points: readonly { p: number; forced: boolean; answerable: boolean }[]): void {
  console.log(
    '\nRefusals by threshold (held-out, pooled): threshold  unanswerable refused  answerable refused',
  );
  for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
    const refused = points.filter((x) => x.forced || x.p < t);
    console.log(
      `${t.toFixed(1)}  ${refused.filter((x) => !x.answerable).length}/${points.filter((x) => !x.answerable).length}  ${refused.filter((x) => x.answerable).length}/${points.filter((x) => x.answerable).length}`,
    );
  }
}

function printReliability(points: readonly { p: number; right: boolean }[]): void {
  console.log('\nReliability (held-out predictions, both folds pooled):');
  console.log('confidence      n   mean p   share right');
  for (let b = 0; b < 5; b++) {
    const lo = b / 5;
    const hi = (b + 1) / 5;
    const inBin = points.filter((x) => x.p >= lo && (x.p < hi || (b === 4 && x.p <= 1)));
    const mean = inBin.reduce((a, x) => a + x.p, 0) / Math.max(1, inBin.length);
    const right = inBin.filter((x) => x.right).length / Math.max(1, inBin.length);
    console.log(
      `${lo.toFixed(1)}–${hi.toFixed(1)}   ${String(inBin.length).padStart(5)}   ${mean.toFixed(2).padStart(6)}   ${right.toFixed(2).padStart(11)}`,
    );
  }
}

const corpora = [...new Set(examples.map((e) => e.corpus))];
const heldOut: { p: number; right: boolean }[] = [];
const curve: { p: number; forced: boolean; answerable: boolean }[] = [];
if (corpora.length > 1) {
  for (const held of corpora) {
    const model = train(
      examples.filter((e) => e.corpus !== held),
      0,
    );
    const test = examples.filter((e) => e.corpus === held);
    await evaluate(model, test, `Held out (trained on the other corpora)`);
    heldOut.push(...reliability(model, test));
    curve.push(...refusalCurve(model, test));
  }
  printReliability(heldOut);
  printCurve(curve);
}

const previous = JSON.parse(await readFile(ANSWER_MODEL_URL, 'utf8')) as { version?: number };
const model = train(examples, (previous.version ?? 0) + 1);
await evaluate(model, examples, 'In sample (trained on every set)');
console.log(
  '\nRanker weights:',
  Object.fromEntries(model.ranker.features.map((f, i) => [f, model.ranker.weights[i]])),
);
for (const name of ['answerable', 'correct'] as const) {
  const m = model[name];
  console.log(`${name} weights:`, Object.fromEntries(m.features.map((f, i) => [f, m.weights[i]])));
}
if (values.write) {
  await writeFile(ANSWER_MODEL_URL, `${JSON.stringify(model, null, 1)}\n`);
  console.log(
    `\nWrote ${ANSWER_MODEL_URL.pathname.split('/').slice(-3).join('/')} (version ${model.version}).`,
  );
}
