import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FootnoteError } from '../errors.js';
import {
  evalItemSchema,
  scoreItem,
  summarize,
  type BatchLine,
  type EvalItem,
  type ItemScore,
  type Summary,
} from './score.js';

/** The default question set, beside the project. */
export const DEFAULT_EVAL_FILE = '../shared/eval/dev.jsonl';

/** Reads and validates an eval file (JSON lines). */
export async function readEvalFile(path: string): Promise<EvalItem[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FootnoteError(
      'INPUT_INVALID',
      `Cannot read the eval file ${path}: pass its path, e.g. npm run eval -- path/to/dev.jsonl`,
      { cause },
    );
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const parsed = evalItemSchema.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new FootnoteError('INPUT_INVALID', `${path} line ${i + 1}: ${parsed.error.message}`);
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
  const kinds = [...new Set(scored.map((s) => s.kind))].sort();
  return {
    overall: summarize(scored),
    byKind: new Map(kinds.map((k) => [k, summarize(scored.filter((s) => s.kind === k))])),
    items: scored,
  };
}

/** The report as a table for a terminal. */
export function formatReport(report: EvalReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const row = (name: string, s: Summary) =>
    `${name.padEnd(14)}${String(s.questions).padStart(4)}${pct(s.r1)}${pct(s.r3)}${s.mrr5.toFixed(3).padStart(7)}${pct(s.accuracy)}` +
    `${String(s.falseRefusals).padStart(7)}${`${s.refusedUnanswerable}/${s.unanswerable}`.padStart(9)}`;
  const header = `${'kind'.padEnd(14)}${'n'.padStart(4)}${'R@1'.padStart(7)}${'R@3'.padStart(7)}${'MRR@5'.padStart(7)}${'acc'.padStart(7)}${'falseR'.padStart(7)}${'refused'.padStart(9)}`;
  const lines = [header, row('overall', report.overall)];
  for (const [kind, s] of report.byKind) lines.push(row(kind, s));
  return lines.join('\n');
}
