import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddingsKind } from '../embeddings/create-embeddings.js';
import { openCorpusEngine } from '../eval/corpus-engine.js';
import { DEFAULT_EVAL_FILE, readEvalFile } from '../eval/run-eval.js';
import { buildIndex } from '../index/build-index.js';
import {
  median,
  megabytes,
  percentile,
  type BenchContext,
  type BenchSection,
  type BenchSectionResult,
} from './bench.js';
import type { ProbeReport } from './serve-probe.js';

/** The question asked by each cold-start child process. */
export const COLD_QUESTION = 'What did Kazakhstan’s exports to China total in 2023?';

/** Used when the eval file is not beside the project, so the bench still runs on any checkout. */
const FALLBACK_QUESTIONS = [
  COLD_QUESTION,
  'When did Kazakhstan and China establish diplomatic relations?',
  'How much has CNPC invested in Kazakhstan’s oil and gas sector?',
  'Where did Xi Jinping announce the Belt and Road Initiative?',
  'What are the Khorgos and Dostyk transport hubs?',
  'Какими экономиками являются Китай и Казахстан в XXI веке?',
  'Who won the 2018 FIFA World Cup?',
  'SCO chairmanship',
];

/** Simple rewordings, so repeated questions are not byte-identical (nothing is cached, but be fair). */
const VARIATIONS: readonly ((q: string) => string)[] = [
  (q) => q,
  (q) => q.toLowerCase(),
  (q) => q.replace(/[?？]\s*$/u, ''),
  (q) => `Please tell me: ${q}`,
  (q) => `${q} Quote the source.`,
];

/**
 * `count` questions: the base questions in order, then again under each variation in turn
 * (lower-cased, without "?", with a prefix, with a suffix), cycling as long as needed.
 */
export function benchQuestions(base: readonly string[], count: number): string[] {
  const questions = base.length > 0 ? base : FALLBACK_QUESTIONS;
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const question = questions[i % questions.length]!;
    const vary = VARIATIONS[Math.floor(i / questions.length) % VARIATIONS.length]!;
    out.push(vary(question));
  }
  return out;
}

/** The eval questions (`../shared/eval/dev.jsonl` beside the project), or the built-in few when it is absent. */
export async function loadBaseQuestions(root: string): Promise<{ questions: string[]; source: string }> {
  const file = join(root, DEFAULT_EVAL_FILE);
  try {
    return { questions: (await readEvalFile(file)).map((i) => i.question), source: file };
  } catch {
    return { questions: FALLBACK_QUESTIONS, source: 'built-in questions (eval file not found)' };
  }
}

interface ChildRun {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its exit; `ms` is wall time from spawn to exit. */
function timeChild(command: string, args: readonly string[], context: BenchContext): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: context.root,
      env: {
        ...process.env,
        CORPUS_DIR: context.corpusDir,
        INDEX_DIR: context.indexDir,
        DATA_DIR: context.dataDir,
        EMBEDDINGS: context.embeddings,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

function failed(what: string, run: ChildRun): Error {
  return new Error(`${what} exited with code ${run.code}:\n${run.stderr.trim()}`);
}

const probes = new WeakMap<BenchContext, Promise<ProbeReport>>();

/**
 * Runs the serve probe (src/bench/serve-probe.ts) once per context: a fresh process that opens the
 * engine, answers one cold question and then every bench question warm. Started with this process's
 * own Node flags, so it runs under tsx from source and as plain Node from a build alike.
 */
function probe(context: BenchContext): Promise<ProbeReport> {
  let pending = probes.get(context);
  if (!pending) {
    pending = (async () => {
      const file = join(context.workDir, 'probe-questions.json');
      await writeFile(file, JSON.stringify([context.coldQuestion ?? COLD_QUESTION, ...context.questions]));
      const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
      const script = fileURLToPath(new URL(`./serve-probe.${ext}`, import.meta.url));
      context.log(`  serve probe: 1 cold + ${context.questions.length} warm questions in a fresh process…`);
      const run = await timeChild(process.execPath, [...process.execArgv, script, file], context);
      if (run.code !== 0) throw failed('The serve probe', run);
      const line = run.stdout.trim().split('\n').at(-1) ?? '';
      return JSON.parse(line) as ProbeReport;
    })();
    probes.set(context, pending);
  }
  return pending;
}

/** Ingest cold (empty cache, fresh index folder) and cached (same cache, `force`), in this process. */
export const ingestSection: BenchSection = {
  name: 'ingest',
  async run(context) {
    const build = (force: boolean) =>
      buildIndex({
        corpusDir: context.corpusDir,
        indexDir: context.indexDir,
        cacheDir: context.dataDir,
        embeddings: context.embeddings,
        force,
      });
    await rm(context.indexDir, { recursive: true, force: true });
    await rm(context.dataDir, { recursive: true, force: true });
    await mkdir(context.dataDir, { recursive: true });
    context.log('  ingest: cold build (empty cache, fresh index folder)…');
    const cold = await build(false);
    context.log('  ingest: cached build (same cache, force)…');
    const cached = await build(true);
    const rate = (passages: number, ms: number) => passages / (ms / 1000);
    return [
      { metric: 'documents', value: cold.documents, unit: 'count' },
      { metric: 'passages', value: cold.passages, unit: 'count' },
      {
        metric: 'cold: time',
        value: cold.ms / 1000,
        unit: 's',
        note: `${cold.computed} embedded, ${cold.reused} reused${context.embeddings === 'use' ? '; includes loading the model' : ''}`,
      },
      { metric: 'cold: throughput', value: rate(cold.passages, cold.ms), unit: 'passages/s' },
      {
        metric: 'cached: time',
        value: cached.ms / 1000,
        unit: 's',
        note: `${cached.computed} embedded, ${cached.reused} reused`,
      },
      { metric: 'cached: throughput', value: rate(cached.passages, cached.ms), unit: 'passages/s' },
    ];
  },
};

/**
 * `bench --corpus`: instead of `ingest`'s two scratch builds, the eval's index of the corpus
 * (`context.indexDir` = corpusIndexDir(corpusDir, dataDir)), built when missing or stale and reused otherwise,
 * in this process, as `npm run eval` does.
 */
export const corpusIndexSection: BenchSection = {
  name: 'index',
  async run(context) {
    const messages: string[] = [];
    const started = performance.now();
    const engine = await openCorpusEngine(context.corpusDir, {
      dataDir: context.dataDir,
      embeddings: context.embeddings,
      log: (message) => {
        messages.push(message);
        context.log(`  ${message}`);
      },
    });
    const ms = performance.now() - started;
    const state = messages.some((m) => /^No index/.test(m))
      ? 'built'
      : messages.some((m) => /^Rebuilding/.test(m))
        ? 'rebuilt'
        : 'reused';
    return [
      { metric: 'documents', value: engine.documents().length, unit: 'count' },
      { metric: 'passages', value: engine.info().passages, unit: 'count' },
      {
        metric: 'open (build or reuse)',
        value: ms / 1000,
        unit: 's',
        note: `${state} ${context.indexDir}; model load included`,
      },
    ];
  },
};

/** How many `ask` child processes the cold-start section times. */
export const COLD_RUNS = 3;

/** Cold start: `npx tsx src/cli/ask.ts "question"` from spawn to exit, and the in-process view from the probe. */
export const coldStartSection: BenchSection = {
  name: 'cold start',
  async run(context) {
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    const times: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      context.log(`  cold start: npx tsx src/cli/ask.ts (run ${i + 1} of ${COLD_RUNS})…`);
      const question = context.coldQuestion ?? COLD_QUESTION;
      const run = await timeChild(npx, ['tsx', join('src', 'cli', 'ask.ts'), question], context);
      if (run.code !== 0 || run.stdout.trim() === '') throw failed('npx tsx src/cli/ask.ts', run);
      times.push(run.ms);
    }
    const report = await probe(context);
    return [
      {
        metric: 'npx tsx src/cli/ask.ts, median',
        value: median(times),
        unit: 'ms',
        note: `spawn to exit, existing index, ${COLD_RUNS} runs`,
      },
      { metric: 'npx tsx src/cli/ask.ts, min', value: Math.min(...times), unit: 'ms' },
      {
        metric: 'in process: start to first answer',
        value: report.startToFirstAnswerMs,
        unit: 'ms',
        note: 'fresh process, from process start',
      },
      { metric: '  node boot + tsx + imports', value: report.importsMs, unit: 'ms' },
      { metric: '  open engine (model + index)', value: report.openEngineMs, unit: 'ms' },
      { metric: '  first question', value: report.firstAskMs, unit: 'ms' },
    ];
  },
};

/** Warm per-question latency over the bench questions, in the probe process after its first answer. */
export const warmSection: BenchSection = {
  name: 'warm latency',
  async run(context) {
    const report = await probe(context);
    const sorted = [...report.warmMs].sort((a, b) => a - b);
    const mean = sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length);
    return [
      {
        metric: 'questions',
        value: sorted.length,
        unit: 'count',
        note: `${report.answered} answered, the rest refused`,
      },
      { metric: 'p50', value: percentile(sorted, 50), unit: 'ms' },
      { metric: 'p95', value: percentile(sorted, 95), unit: 'ms' },
      { metric: 'p99', value: percentile(sorted, 99), unit: 'ms' },
      { metric: 'mean', value: mean, unit: 'ms' },
      { metric: 'max', value: sorted.at(-1) ?? Number.NaN, unit: 'ms' },
    ];
  },
};

/** Peak memory: of the serving probe process, and of this bench process (which also ran the ingest). */
export const memorySection: BenchSection = {
  name: 'memory',
  async run(context) {
    const report = await probe(context);
    return [
      {
        metric: 'serving process: peak RSS',
        value: megabytes.fromBytes(report.maxRssBytes),
        unit: 'MB',
        note: 'maxRSS after all questions',
      },
      {
        metric: 'serving process: heap used',
        value: megabytes.fromBytes(report.heapUsedBytes),
        unit: 'MB',
        note: 'after all questions',
      },
      {
        metric: 'bench process: peak RSS',
        value: megabytes.fromKilobytes(process.resourceUsage().maxRSS),
        unit: 'MB',
        note: 'maxRSS so far, in-process ingest included',
      },
      {
        metric: 'bench process: heap used',
        value: megabytes.fromBytes(process.memoryUsage().heapUsed),
        unit: 'MB',
      },
    ];
  },
};

/** The engine's sections, in the order they must run (`ingest` builds the index the others use). */
export const engineSections: readonly BenchSection[] = [
  ingestSection,
  coldStartSection,
  warmSection,
  memorySection,
];

/** The sections of `bench --corpus`: the eval's index of the corpus instead of scratch builds. */
export const corpusEngineSections: readonly BenchSection[] = [
  corpusIndexSection,
  ...engineSections.filter((s) => s !== ingestSection),
];

/** How to run the benchmark. */
export interface BenchRunOptions {
  readonly root: string;
  readonly corpusDir: string;
  readonly kinds: readonly EmbeddingsKind[];
  /** Warm questions per kind (≥ 200 for meaningful p99). */
  readonly questions: number;
  readonly sections: readonly BenchSection[];
  /** The questions to time (before cycling) and where they came from; default {@link loadBaseQuestions}. */
  readonly baseQuestions?: { readonly questions: readonly string[]; readonly source: string };
  /** Cold-start question; default {@link COLD_QUESTION} (a question on the bundled corpus). */
  readonly coldQuestion?: string;
  /**
   * An index folder and data folder to use (and keep) for every kind, as `bench --corpus` does with the eval's
   * index; default a scratch folder per kind, removed after the run.
   */
  readonly index?: { readonly indexDir: string; readonly dataDir: string };
  readonly keep?: boolean;
  /** Skip the long runs (see {@link BenchContext.quick}). */
  readonly quick?: boolean;
  readonly log: (message: string) => void;
}

/** Everything a bench run reports. */
export interface BenchReport {
  readonly startedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly questionSource: string;
  readonly results: readonly BenchSectionResult[];
}

/** Runs every section for every embeddings kind, each kind in its own scratch folder. */
export async function runBench(options: BenchRunOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const base = options.baseQuestions ?? (await loadBaseQuestions(options.root));
  const questions = benchQuestions(base.questions, options.questions);
  const results: BenchSectionResult[] = [];
  for (const embeddings of options.kinds) {
    const workDir = await mkdtemp(join(tmpdir(), `footnote-bench-${embeddings}-`));
    const context: BenchContext = {
      root: options.root,
      corpusDir: options.corpusDir,
      embeddings,
      workDir,
      indexDir: options.index?.indexDir ?? join(workDir, 'index'),
      dataDir: options.index?.dataDir ?? join(workDir, 'data'),
      questions,
      ...(options.coldQuestion ? { coldQuestion: options.coldQuestion } : {}),
      log: options.log,
      ...(options.quick ? { quick: true } : {}),
    };
    try {
      for (const section of options.sections) {
        options.log(`${section.name} (${embeddings})`);
        results.push({ section: section.name, embeddings, rows: [...(await section.run(context))] });
      }
    } finally {
      if (options.keep) options.log(`Kept ${workDir}`);
      else await rm(workDir, { recursive: true, force: true });
    }
  }
  return {
    startedAt,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
    questionSource: base.source,
    results,
  };
}
