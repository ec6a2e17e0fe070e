import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineSettings } from '../answer/engine.js';
import type { EmbeddingsKind } from '../embeddings/create-embeddings.js';
import { FootnoteError } from '../errors.js';
import type { BuildProgress } from '../index/build-index.js';
import { openCorpusEngine } from './corpus-engine.js';
import {
  DEFAULT_EVAL_SETS,
  formatItems,
  formatReport,
  formatSummaryTable,
  poolReports,
  readEvalFile,
  runEvalSet,
  type EvalReport,
  type EvalSet,
} from './run-eval.js';

/** What `npm run eval` was asked to do. */
export interface EvalArgs {
  readonly sets: readonly EvalSet[];
  readonly verbose: boolean;
  readonly json: boolean;
  readonly help: boolean;
}

export const EVAL_HELP = `Usage:
  npm run eval                                   every dev set on its corpus: ../shared/eval/dev.jsonl and dev-2.jsonl
                                                 on corpus/, ../shared/eval/rust-book/dev.jsonl on its corpus/
  npm run eval -- --set QUESTIONS.jsonl=FOLDER   one set on the corpus folder its "doc" paths are relative to (repeatable)
  npm run eval -- QUESTIONS.jsonl                one set on CORPUS_DIR (as before --set)
  npm run eval -- -v                             per-kind tables and one line per question
  npm run eval -- --json                         everything as JSON on stdout (progress stays on stderr)
Indexes live in DATA_DIR/eval/<corpus slug>/index: built once, reused while the corpus and settings are unchanged.`;

/** Reads one `--set QUESTIONS=FOLDER`; a value without `=` or with an empty side says how to write it. */
export function parseSetValue(value: string): EvalSet {
  const at = value.indexOf('=');
  const file = at < 0 ? '' : value.slice(0, at).trim();
  const corpus = at < 0 ? '' : value.slice(at + 1).trim();
  if (file === '' || corpus === '') {
    throw new FootnoteError(
      'INPUT_INVALID',
      `--set needs QUESTIONS.jsonl=CORPUS_FOLDER (the folder its "doc" paths are relative to), not "${value}": ` +
        `e.g. --set ../shared/eval/rust-book/dev.jsonl=../shared/eval/rust-book/corpus`,
    );
  }
  return { file, corpus };
}

/**
 * Parses the eval command line. `--set` repeats; a positional file is one set on `corpusDir` (CORPUS_DIR);
 * with neither, the {@link DEFAULT_EVAL_SETS}. Unknown options are an INPUT_INVALID that names them.
 */
export function parseEvalArgs(argv: readonly string[], corpusDir: string): EvalArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        set: { type: 'string', multiple: true },
        verbose: { type: 'boolean', short: 'v' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    throw new FootnoteError(
      'INPUT_INVALID',
      `${cause instanceof Error ? cause.message : String(cause)}\n${EVAL_HELP}`,
      { cause },
    );
  }
  const { values, positionals } = parsed;
  const sets = [
    ...(values.set ?? []).map(parseSetValue),
    ...positionals.map((file) => ({ file, corpus: corpusDir })),
  ];
  return {
    sets: sets.length > 0 ? sets : DEFAULT_EVAL_SETS,
    verbose: values.verbose ?? false,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

/** Checks, before any index is built, that every question file is a file and every corpus a folder. */
export async function checkEvalSets(sets: readonly EvalSet[]): Promise<void> {
  const problems: string[] = [];
  const kind = async (path: string) => {
    try {
      const s = await stat(path);
      return s.isDirectory() ? 'folder' : 'file';
    } catch {
      return 'missing';
    }
  };
  for (const set of sets) {
    const file = await kind(set.file);
    if (file !== 'file')
      problems.push(
        `question file ${set.file} (${resolve(set.file)}) ${file === 'missing' ? 'does not exist' : 'is a folder'}`,
      );
    const corpus = await kind(set.corpus);
    if (corpus !== 'folder')
      problems.push(
        `corpus folder ${set.corpus} (${resolve(set.corpus)}) ${corpus === 'missing' ? 'does not exist' : 'is not a folder'}`,
      );
  }
  if (problems.length > 0) {
    throw new FootnoteError(
      'INPUT_INVALID',
      `Cannot run the eval:\n${[...new Set(problems)].map((p) => `  ${p}`).join('\n')}\n` +
        'Pass --set QUESTIONS.jsonl=CORPUS_FOLDER with paths that exist (relative to the working folder).',
    );
  }
}

/** One set's report. */
export interface SetResult extends EvalSet {
  readonly report: EvalReport;
}

/** Every set's report, the pool of each corpus, and the pool of all. */
export interface EvalRun {
  readonly sets: readonly SetResult[];
  /** Per corpus folder (as first given), in order of first use. */
  readonly corpora: readonly { readonly corpus: string; readonly report: EvalReport }[];
  readonly pooled: EvalReport;
  /** The embedding model's id, as the engines report it. */
  readonly model: string;
}

/** How {@link runEvalSets} opens the engines (one per corpus, one after another). */
export interface RunEvalSetsOptions {
  readonly dataDir: string;
  readonly embeddings?: EmbeddingsKind;
  readonly settings?: EngineSettings;
  readonly answerThreshold?: number;
  readonly onProgress?: (event: BuildProgress) => void;
  readonly log?: (message: string) => void;
}

/**
 * Runs every set on its corpus: each corpus's engine is opened once ({@link openCorpusEngine}, index built or
 * reused) and serves all of its sets, then is let go before the next corpus opens. Reports keep the input order.
 */
export async function runEvalSets(sets: readonly EvalSet[], options: RunEvalSetsOptions): Promise<EvalRun> {
  await checkEvalSets(sets);
  const items = await Promise.all(sets.map((s) => readEvalFile(s.file)));
  const byCorpus = new Map<string, number[]>();
  sets.forEach((s, i) => {
    const key = resolve(s.corpus);
    byCorpus.set(key, [...(byCorpus.get(key) ?? []), i]);
  });
  const reports: EvalReport[] = new Array<EvalReport>(sets.length);
  let model = '';
  for (const indexes of byCorpus.values()) {
    const corpus = sets[indexes[0]!]!.corpus;
    options.log?.(`Opening ${corpus}…`);
    const engine = await openCorpusEngine(corpus, {
      dataDir: options.dataDir,
      ...(options.embeddings ? { embeddings: options.embeddings } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.answerThreshold !== undefined ? { answerThreshold: options.answerThreshold } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    model = engine.info().model;
    for (const i of indexes) {
      options.log?.(`Asking ${items[i]!.length} questions of ${sets[i]!.file}…`);
      reports[i] = await runEvalSet(engine, items[i]!, corpus);
    }
  }
  return {
    sets: sets.map((s, i) => ({ ...s, report: reports[i]! })),
    corpora: [...byCorpus.values()].map((indexes) => ({
      corpus: sets[indexes[0]!]!.corpus,
      report: poolReports(indexes.map((i) => reports[i]!)),
    })),
    pooled: poolReports(reports),
    model,
  };
}

/** The run as text: a row per set, a row per corpus and for all sets pooled; with `verbose`, per kind and per question. */
export function formatEvalRun(run: EvalRun, verbose = false): string {
  const out: string[] = [
    formatSummaryTable(
      run.sets.map((s) => [s.file, s.report.overall]),
      'set',
    ),
  ];
  if (run.sets.length > 1) {
    out.push(
      '',
      formatSummaryTable(
        [
          ...run.corpora.map((c) => [`on ${c.corpus}`, c.report.overall] as const),
          ['all sets', run.pooled.overall] as const,
        ],
        'pooled',
      ),
    );
  }
  if (verbose) {
    for (const s of run.sets) {
      out.push('', `${s.file} on ${s.corpus}:`, formatReport(s.report));
      out.push(
        'Per question (rank of the first covering source; ✓ = answer correct):',
        formatItems(s.report),
      );
    }
    if (run.sets.length > 1) {
      for (const c of run.corpora) out.push('', `Pooled on corpus ${c.corpus}:`, formatReport(c.report));
      out.push('', 'Pooled over all sets:', formatReport(run.pooled));
    }
  }
  return out.join('\n');
}

/** A report as plain data: summaries, and per question its score and reply (answer and top source). */
function reportJson(report: EvalReport, withItems: boolean): Record<string, unknown> {
  return {
    overall: report.overall,
    byKind: Object.fromEntries(report.byKind),
    ...(withItems
      ? {
          items: report.items.map(({ line, ...score }) => ({
            ...score,
            answer: line.answer,
            top: line.sources[0] ? { doc: line.sources[0].doc, start: line.sources[0].start } : null,
          })),
        }
      : {}),
  };
}

/** The run as JSON-ready data: every set (with its questions), every corpus pool, and the pool of all. */
export function evalRunJson(run: EvalRun): Record<string, unknown> {
  return {
    model: run.model,
    sets: run.sets.map((s) => ({ file: s.file, corpus: s.corpus, ...reportJson(s.report, true) })),
    corpora: run.corpora.map((c) => ({ corpus: c.corpus, ...reportJson(c.report, false) })),
    pooled: reportJson(run.pooled, false),
  };
}
