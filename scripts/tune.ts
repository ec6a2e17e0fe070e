// Developer tool: runs every default eval set (DEFAULT_EVAL_SETS, each on its corpus) under a grid of engine
// settings, one summary line each, pooled and per corpus. Each corpus's engine is opened once.
// Usage:
//   npx tsx scripts/tune.ts '[{},{"rrfK":20},{"lexicalWeight":2}]'          retrieval ranks only (fast)
//   npx tsx scripts/tune.ts --full '[{},{"refusalThreshold":0.6}]'         the whole eval (answers too)
// Keys of RetrievalSettings go to retrieval, keys of the answer settings to the answer; `fast: 1` asks in fast mode.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_ENGINE_SETTINGS, FootnoteEngine, type EngineSettings } from '../src/answer/engine.js';
import { loadConfig } from '../src/config.js';
import type { Passage } from '../src/corpus/types.js';
import { openCorpusEngine } from '../src/eval/corpus-engine.js';
import { DEFAULT_EVAL_SETS, poolReports, readEvalFile, runEvalSet } from '../src/eval/run-eval.js';
import type { EvalItem } from '../src/eval/score.js';
import { retrieve, type RetrievalDeps } from '../src/retrieval/hybrid.js';

const args = process.argv.slice(2);
const full = args.includes('--full');
const verbose = args.includes('-v');
const grid = JSON.parse(args.find((a) => a.startsWith('[')) ?? '[{}]') as Record<string, number>[];
const config = loadConfig();

interface Corpus {
  readonly dir: string;
  readonly engine: FootnoteEngine;
  readonly items: EvalItem[];
  readonly texts: Map<string, string>;
}

const corpora: Corpus[] = [];
for (const set of DEFAULT_EVAL_SETS) {
  let corpus = corpora.find((c) => c.dir === set.corpus);
  if (!corpus) {
    const started = performance.now();
    const engine = await openCorpusEngine(set.corpus, { dataDir: config.DATA_DIR });
    console.error(`opened ${set.corpus} in ${(performance.now() - started).toFixed(0)} ms`);
    corpus = { dir: set.corpus, engine, items: [], texts: new Map() };
    corpora.push(corpus);
  }
  const items = await readEvalFile(set.file);
  corpus.items.push(...items);
  for (const item of items) {
    for (const doc of [item.doc, item.also_in?.doc]) {
      if (doc && !corpus.texts.has(doc)) corpus.texts.set(doc, await readFile(join(set.corpus, doc), 'utf8'));
    }
  }
}

/**
 * Grid keys: any key of RetrievalSettings or of the answer settings; the lexical scoring's `k1`, `b`, `delta`
 * and the field weights `text`, `section`, `code`.
 */
function settingsOf(g: Record<string, number>): EngineSettings {
  const base = DEFAULT_ENGINE_SETTINGS.retrieval;
  const retrievalKeys = Object.keys(base);
  const answerKeys = Object.keys(DEFAULT_ENGINE_SETTINGS.answer);
  const scoring = base.lexicalScoring;
  const lexicalScoring = {
    ...scoring,
    ...pick(g, ['k1', 'b', 'delta']),
    fieldWeights: { ...scoring.fieldWeights, ...pick(g, ['text', 'section', 'code']) },
  };
  return {
    retrieval: { ...base, ...pick(g, retrievalKeys), lexicalScoring },
    answer: { ...DEFAULT_ENGINE_SETTINGS.answer, ...pick(g, answerKeys) },
  };
}

function depsOf(engine: FootnoteEngine): RetrievalDeps {
  const { index } = engine;
  return {
    embeddings: index.embeddings,
    store: index.store,
    lexical: index.lexical,
    chars: index.chars,
    passages: new Map(index.passages.map((p) => [p.id, p])),
    vectorOf: (id) => index.store.getVector(id),
  };
}

/** Rank (1-based) of the first passage covering the evidence, by the eval's overlap rule, or null. */
function rankOf(item: EvalItem, passages: readonly Passage[], texts: Map<string, string>): number | null {
  const targets = [{ doc: item.doc!, evidence: item.evidence! }, ...(item.also_in ? [item.also_in] : [])];
  const i = passages.findIndex((p) =>
    targets.some((t) => {
      const fold = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
      if (fold(p.text).includes(fold(t.evidence))) return true;
      if (p.doc !== t.doc) return false;
      const at = texts.get(t.doc)?.indexOf(t.evidence) ?? -1;
      if (at < 0) return false;
      return Math.min(p.end, at + t.evidence.length) - Math.max(p.start, at) >= t.evidence.length / 2;
    }),
  );
  return i < 0 ? null : i + 1;
}

interface Figures {
  n: number;
  r1: number;
  r3: number;
  r5: number;
  r10: number;
  mrr: number;
}

function figures(ranks: readonly (number | null)[]): Figures {
  const n = ranks.length;
  const share = (k: number) => ranks.filter((r) => r !== null && r <= k).length / n;
  const mrr = ranks.reduce<number>((s, r) => s + (r !== null && r <= 5 ? 1 / r : 0), 0) / n;
  return { n, r1: share(1), r3: share(3), r5: share(5), r10: share(10), mrr };
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(5);
const line = (f: Figures) =>
  `R1 ${pct(f.r1)} R3 ${pct(f.r3)} R5 ${pct(f.r5)} R10 ${pct(f.r10)} MRR ${f.mrr.toFixed(3)}`;

for (const g of grid) {
  const settings = settingsOf(g);
  if (full) {
    const reports = [];
    const parts: string[] = [];
    for (const c of corpora) {
      const engine = new FootnoteEngine(c.engine.index, settings);
      const report = await runEvalSet(engine, c.items, c.dir);
      reports.push(report);
      const o = report.overall;
      parts.push(
        `${c.dir.split('/').at(-2) ?? c.dir}: R1 ${pct(o.r1)} R3 ${pct(o.r3)} MRR ${o.mrr5.toFixed(3)} acc ${pct(o.accuracy)}`,
      );
    }
    const o = poolReports(reports).overall;
    console.log(
      JSON.stringify(g),
      `| all: R1 ${pct(o.r1)} R3 ${pct(o.r3)} MRR ${o.mrr5.toFixed(3)} acc ${pct(o.accuracy)} |`,
      parts.join(' | '),
    );
    continue;
  }
  const all: (number | null)[] = [];
  const parts: string[] = [];
  const misses: string[] = [];
  for (const c of corpora) {
    const deps = depsOf(c.engine);
    const ranks: (number | null)[] = [];
    for (const item of c.items) {
      if (item.doc === null || item.evidence === null) continue;
      const { ranked } = await retrieve(item.question, deps, 10, settings.retrieval);
      const rank = rankOf(
        item,
        ranked.map((r) => r.passage),
        c.texts,
      );
      ranks.push(rank);
      if (rank !== 1) misses.push(`${item.id}:${rank ?? '-'}`);
    }
    all.push(...ranks);
    parts.push(`${(c.dir.split('/').at(-2) ?? c.dir).padEnd(9)} ${line(figures(ranks))}`);
  }
  console.log(`${JSON.stringify(g)}\n  all       ${line(figures(all))}\n  ${parts.join('\n  ')}`);
  if (verbose) console.log(`  misses: ${misses.join(' ')}`);
}

function pick(o: Record<string, number>, keys: string[]) {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}
