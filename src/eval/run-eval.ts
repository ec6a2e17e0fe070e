import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../answer/types.js';
import { FootnoteError } from '../errors.js';
import { readJsonLines } from '../json-lines.js';
import { runBatch } from './batch.js';
import {
  evalItemSchema,
  scoreItem,
  summarize,
  type BatchLine,
  type EvalItem,
  type ItemScore,
  type Summary,
} from './score.js';

/** The first question set, beside the project (on the bundled corpus). */
export const DEFAULT_EVAL_FILE = '../shared/eval/dev.jsonl';

/** A question set and the corpus folder its `doc` paths are relative to. */
export interface EvalSet {
  readonly file: string;
  readonly corpus: string;
}

/** What `npm run eval` runs without arguments: every dev set, each on its corpus (paths from the project root). */
export const DEFAULT_EVAL_SETS: readonly EvalSet[] = [
  { file: DEFAULT_EVAL_FILE, corpus: 'corpus' },
  { file: '../shared/eval/dev-2.jsonl', corpus: 'corpus' },
  { file: '../shared/eval/rust-book/dev.jsonl', corpus: '../shared/eval/rust-book/corpus' },
];

/** Reads and validates an eval file (JSON lines). */
export async function readEvalFile(path: string): Promise<EvalItem[]> {
  const lines = await readJsonLines(
    path,
    `Cannot read the eval file ${path}: check the path, e.g. npm run eval -- --set path/to/dev.jsonl=path/to/corpus`,
  );
  return lines.map(({ line, json }) => {
    const parsed = evalItemSchema.safeParse(json);
    if (!parsed.success)
      throw new FootnoteError('INPUT_INVALID', `${path} line ${line}: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Everything an eval run reports. */
export interface EvalReport {
  readonly overall: Summary;
  readonly byKind: ReadonlyMap<string, Summary>;
  readonly items: readonly (ItemScore & { readonly line: BatchLine })[];
}

/**
 * Scores batch output against eval items, as the eval README describes. Document texts are read from
 * `corpusDir` as UTF-8, so offsets are JavaScript string indices into each file's text.
 */
export async function scoreBatch(
  items: readonly EvalItem[],
  lines: readonly BatchLine[],
  corpusDir: string,
): Promise<EvalReport> {
  const texts = new Map<string, string>();
  for (const doc of new Set(items.flatMap((i) => [i.doc, i.also_in?.doc]).filter((d): d is string => !!d))) {
    try {
      texts.set(doc, await readFile(join(corpusDir, doc), 'utf8'));
    } catch {
      // A document named by the eval but missing from the corpus simply cannot be covered.
    }
  }
  const byId = new Map(lines.map((l) => [l.id, l]));
  const scored = items.map((item) => {
    const line = byId.get(item.id) ?? {
      id: item.id,
      question: item.question,
      answered: false,
      answer: '',
      sources: [],
    };
    return { ...scoreItem(item, line, (d) => texts.get(d)), line };
  });
  return reportOf(scored);
}

/** The report over already scored items: overall and per kind (kinds sorted). */
function reportOf(scored: EvalReport['items']): EvalReport {
  const kinds = [...new Set(scored.map((s) => s.kind))].sort();
  return {
    overall: summarize(scored),
    byKind: new Map(kinds.map((k) => [k, summarize(scored.filter((s) => s.kind === k))])),
    items: scored,
  };
}

/**
 * Asks every question of a set through `engine` (the path of `ask --batch`) and scores the replies against
 * the documents in `corpusDir`, the folder the set's `doc` paths are relative to.
 */
export async function runEvalSet(
  engine: Engine,
  items: readonly EvalItem[],
  corpusDir: string,
): Promise<EvalReport> {
  return scoreBatch(items, await runBatch(engine, items), corpusDir);
}

/**
 * Several reports as one: every question of every report counted once, so shares are of the summed counts
 * (120 questions pooled weigh 120, not one vote per set).
 */
export function poolReports(reports: readonly EvalReport[]): EvalReport {
  return reportOf(reports.flatMap((r) => r.items));
}

/** Rows of named summaries in the eval's table format; `first` heads the name column. */
export function formatSummaryTable(rows: readonly (readonly [string, Summary])[], first = 'kind'): string {
  const width = Math.max(14, first.length + 2, ...rows.map(([name]) => name.length + 2));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const row = (name: string, s: Summary) =>
    `${name.padEnd(width)}${String(s.questions).padStart(4)}${pct(s.r1)}${pct(s.r3)}${s.mrr5.toFixed(3).padStart(7)}${pct(s.accuracy)}` +
    `${String(s.falseRefusals).padStart(7)}${`${s.refusedUnanswerable}/${s.unanswerable}`.padStart(9)}`;
  const header = `${first.padEnd(width)}${'n'.padStart(4)}${'R@1'.padStart(7)}${'R@3'.padStart(7)}${'MRR@5'.padStart(7)}${'acc'.padStart(7)}${'falseR'.padStart(7)}${'refused'.padStart(9)}`;
  return [header, ...rows.map(([name, s]) => row(name, s))].join('\n');
}

/** The report as a table for a terminal: overall, then one row per kind. */
export function formatReport(report: EvalReport): string {
  return formatSummaryTable([['overall', report.overall], ...report.byKind]);
}

/** One line per question: rank of the first covering source, ✓ when the answer is correct, the top source. */
export function formatItems(report: EvalReport): string {
  return report.items
    .map((item) => {
      const top = item.line.sources[0];
      return (
        `${item.id} ${item.kind.padEnd(13)} rank=${item.rank ?? '-'} ${item.correct ? '✓' : '✗'} answered=${item.answered}` +
        `  ${top ? `${top.doc}:${top.start}` : ''}  ${item.line.answer.slice(0, 100).replace(/\n/g, ' ')}`
      );
    })
    .join('\n');
}
