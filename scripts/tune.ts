// Developer tool: runs the eval under a grid of engine settings, one summary line each.
// Usage: npx tsx scripts/tune.ts ../shared/eval/dev.jsonl '[{"threshold":0.3},{"rrfK":20}]'
import { loadConfig } from '../src/config.js';
import { openEngine } from '../src/answer/open-engine.js';
import { DEFAULT_ENGINE_SETTINGS, FootnoteEngine } from '../src/answer/engine.js';
import { readEvalFile, scoreBatch } from '../src/eval/run-eval.js';
import { runBatch, toBatchLine } from '../src/cli/batch.js';

const config = loadConfig();
const base = await openEngine({ config });
const items = await readEvalFile(process.argv[2] ?? '../shared/eval/dev.jsonl');
const grid = JSON.parse(process.argv[3] ?? '[{}]') as Record<string, number>[];
for (const g of grid) {
  const settings = {
    retrieval: {
      ...DEFAULT_ENGINE_SETTINGS.retrieval,
      ...pick(g, [
        'candidates',
        'rrfK',
        'denseWeight',
        'lexicalWeight',
        'charWeight',
        'coverageWeight',
        'rerankDepth',
      ]),
    },
    answer: {
      ...DEFAULT_ENGINE_SETTINGS.answer,
      ...pick(g, ['threshold', 'fastThreshold', 'answerPassages', 'pairGain']),
    },
  };
  const engine = new FootnoteEngine(base.index, settings);
  const fast = g['fast'] === 1;
  const lines = fast
    ? await Promise.all(
        items.map(async (i) => toBatchLine(i.id, await engine.ask(i.question, { mode: 'fast' }))),
      )
    : await runBatch(engine, items);
  const report = await scoreBatch(items, lines, config.CORPUS_DIR);
  const o = report.overall;
  const miss1 = report.items
    .filter((i) => i.answerable && i.rank !== 1)
    .map((i) => `${i.id}:${i.rank ?? '-'}`);
  const wrong = report.items.filter((i) => i.answerable && !i.correct).map((i) => i.id);
  console.log(
    JSON.stringify(g),
    `R1=${(o.r1 * 100).toFixed(1)} R3=${(o.r3 * 100).toFixed(1)} MRR=${o.mrr5.toFixed(3)} acc=${(o.accuracy * 100).toFixed(1)} fr=${o.falseRefusals} ref=${o.refusedUnanswerable}/${o.unanswerable}`,
    `| R@1 misses ${miss1.join(' ')} | wrong ${wrong.join(' ')}`,
  );
}
function pick(o: Record<string, number>, keys: string[]) {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}
