import type { EmbeddingsKind } from '../embeddings/create-embeddings.js';

/** One measured figure. */
export interface BenchRow {
  readonly metric: string;
  readonly value: number;
  /** `ms`, `s`, `MB`, `passages/s`, `count`, ... */
  readonly unit: string;
  /** What exactly was measured, when the metric name alone does not say. */
  readonly note?: string;
}

/** The figures of one section for one embeddings kind. */
export interface BenchSectionResult {
  readonly section: string;
  readonly embeddings: EmbeddingsKind;
  readonly rows: readonly BenchRow[];
}

/** What every section gets: where the corpus is, a scratch folder, and the index the engine sections built. */
export interface BenchContext {
  /** Project root: the working directory of child processes (`npx tsx src/cli/ask.ts`). */
  readonly root: string;
  readonly corpusDir: string;
  readonly embeddings: EmbeddingsKind;
  /** Scratch folder for this embeddings kind, removed after the run. */
  readonly workDir: string;
  /** Index folder and embedding-cache folder that hold a fresh index once the `ingest` section has run. */
  readonly indexDir: string;
  readonly dataDir: string;
  /** Questions to time, already cycled and varied to the requested count. */
  readonly questions: readonly string[];
  /** The question of the cold-start runs; default the bundled corpus's COLD_QUESTION (engine-bench.ts). */
  readonly coldQuestion?: string;
  /** Progress lines (stderr). */
  readonly log: (message: string) => void;
  /** `--quick`: skip the long runs (the Discord section's 60 s sustained rate). */
  readonly quick?: boolean;
}

/**
 * A part of the benchmark. Sections run in list order, once per embeddings kind, and share the
 * context; a section that needs an index should come after `ingest`.
 */
export interface BenchSection {
  readonly name: string;
  run(context: BenchContext): Promise<readonly BenchRow[]>;
}

/** The p-th percentile (0..100) of ascending values by the nearest-rank method; NaN for no values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Median of unsorted values. */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Kilobytes (as `process.resourceUsage().maxRSS` reports them) or bytes, as megabytes (MiB). */
export const megabytes = {
  fromKilobytes: (kb: number) => kb / 1024,
  fromBytes: (bytes: number) => bytes / (1024 * 1024),
};

/** The results as a plain-text table, one block per section. */
export function formatBenchTable(results: readonly BenchSectionResult[]): string {
  const out: string[] = [];
  const width = Math.max(30, ...results.flatMap((r) => r.rows.map((row) => row.metric.length)));
  for (const result of results) {
    out.push(`${result.section} (${result.embeddings})`);
    for (const row of result.rows) {
      const value = formatValue(row.value, row.unit);
      out.push(
        `  ${row.metric.padEnd(width)} ${value.padStart(10)} ${row.unit.padEnd(11)}${row.note ? ` ${row.note}` : ''}`.trimEnd(),
      );
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'count' || Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
