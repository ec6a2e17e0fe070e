import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ClaimCheck, ClaimResult, ClaimVerdict } from '../answer/claims.js';
import type { Engine } from '../answer/types.js';
import { FootnoteError } from '../errors.js';
import { readJsonLines } from '../json-lines.js';
import { toBatchSource } from './batch.js';
import { coversEvidence, type BatchLine } from './score.js';

/** One line of `claims-dev.jsonl` (see ../shared/eval/README.md). */
export const claimItemSchema = z.object({
  id: z.string(),
  corpus: z.string(),
  claim: z.string(),
  lang: z.string().optional(),
  verdict: z.enum(['supported', 'contradicted', 'not_found']),
  doc: z.string().nullable(),
  evidence: z.string().nullable(),
  claimed: z.string().nullable().optional(),
  documented: z.string().nullable().optional(),
});
export type ClaimItem = z.infer<typeof claimItemSchema>;

/** One output line of `npm run claim -- --batch` (and what the eval scores). */
export interface ClaimLine {
  readonly id: string;
  readonly claim: string;
  readonly verdict: ClaimVerdict;
  readonly confidence: number;
  readonly mismatch?: { readonly claimed: string; readonly documented: string };
  readonly sources: BatchLine['sources'];
  /** When the text held several claims: each one's verdict; when it held none, the sentences skipped. */
  readonly claims?: readonly {
    readonly claim: string;
    readonly verdict: ClaimVerdict;
    readonly confidence: number;
  }[];
  readonly skipped?: ClaimCheck['skipped'];
}

/**
 * The one verdict for a text checked as a whole: `contradicted` if any of its claims is (the surest such claim
 * decides), `supported` if every claim is, else `not_found` (no claim at all, e.g. only a question, is `not_found`).
 */
export function overallClaim(check: ClaimCheck): ClaimResult | null {
  const { claims } = check;
  const contradicted = claims
    .filter((c) => c.verdict === 'contradicted')
    .sort((a, b) => b.confidence - a.confidence)[0];
  if (contradicted) return contradicted;
  if (claims.length > 0 && claims.every((c) => c.verdict === 'supported')) {
    return [...claims].sort((a, b) => a.confidence - b.confidence)[0]!;
  }
  return claims.find((c) => c.verdict === 'not_found') ?? null;
}

/** The batch line of a text's claim check. */
export function claimLine(id: string, claim: string, check: ClaimCheck): ClaimLine {
  const decided = overallClaim(check);
  return {
    id,
    claim,
    verdict: decided?.verdict ?? 'not_found',
    confidence: decided?.confidence ?? 1,
    ...(decided?.mismatch ? { mismatch: decided.mismatch } : {}),
    sources: (decided?.sources ?? []).map(toBatchSource),
    ...(check.claims.length > 1
      ? {
          claims: check.claims.map((c) => ({ claim: c.claim, verdict: c.verdict, confidence: c.confidence })),
        }
      : {}),
    ...(check.claims.length === 0 ? { skipped: check.skipped } : {}),
  };
}

/** How one claim fared. */
export interface ClaimScore {
  readonly id: string;
  readonly corpus: string;
  readonly claim: string;
  readonly expected: ClaimVerdict;
  readonly got: ClaimVerdict;
  readonly confidence: number;
  /** For expected supported/contradicted: whether the first source covers the evidence. */
  readonly covered: boolean | null;
  readonly mismatch?: ClaimLine['mismatch'];
  readonly subject?: number;
}

export const VERDICTS: readonly ClaimVerdict[] = ['supported', 'contradicted', 'not_found'];

/** Aggregate figures. */
export interface ClaimSummary {
  readonly claims: number;
  readonly accuracy: number;
  readonly perVerdict: Record<
    ClaimVerdict,
    { precision: number; recall: number; predicted: number; actual: number }
  >;
  /** Share of expected supported + contradicted whose first source covers the evidence. */
  readonly coverage: number;
  /** Mean confidence of the verdicts given, and the share right: a calibration check. */
  readonly meanConfidence: number;
}

export function scoreClaim(
  item: ClaimItem,
  line: ClaimLine,
  documentText: (doc: string) => string | undefined,
): ClaimScore {
  const first = line.sources[0];
  const covered =
    item.verdict === 'not_found' || item.doc === null || item.evidence === null
      ? null
      : first !== undefined && coversEvidence(first, item.doc, item.evidence, documentText);
  return {
    id: item.id,
    corpus: item.corpus,
    claim: item.claim,
    expected: item.verdict,
    got: line.verdict,
    confidence: line.confidence,
    covered,
    ...(line.mismatch ? { mismatch: line.mismatch } : {}),
  };
}

export function summarizeClaims(scores: readonly ClaimScore[]): ClaimSummary {
  const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
  const perVerdict = Object.fromEntries(
    VERDICTS.map((v) => {
      const predicted = scores.filter((s) => s.got === v);
      const actual = scores.filter((s) => s.expected === v);
      const right = predicted.filter((s) => s.expected === v).length;
      return [
        v,
        {
          precision: share(right, predicted.length),
          recall: share(right, actual.length),
          predicted: predicted.length,
          actual: actual.length,
        },
      ];
    }),
  ) as ClaimSummary['perVerdict'];
  const decidable = scores.filter((s) => s.covered !== null);
  return {
    claims: scores.length,
    accuracy: share(scores.filter((s) => s.got === s.expected).length, scores.length),
    perVerdict,
    coverage: share(decidable.filter((s) => s.covered).length, decidable.length),
    meanConfidence: share(
      scores.reduce((n, s) => n + s.confidence, 0),
      scores.length,
    ),
  };
}

/** Reads a claims file (JSON lines). */
export async function readClaims(path: string): Promise<ClaimItem[]> {
  const lines = await readJsonLines(path, `Cannot read the claims file ${path}: check the path.`);
  return lines.map(({ line, json }) => {
    const parsed = claimItemSchema.safeParse(json);
    if (!parsed.success)
      throw new FootnoteError('INPUT_INVALID', `${path} line ${line}: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Runs every claim of one corpus through its engine and scores it. */
export async function runClaims(
  items: readonly ClaimItem[],
  engine: Engine,
  corpusDir: string,
): Promise<{ scores: ClaimScore[]; lines: ClaimLine[] }> {
  const docs = new Map<string, string>();
  for (const item of items) {
    if (item.doc !== null && !docs.has(item.doc))
      docs.set(item.doc, await readFile(join(corpusDir, item.doc), 'utf8'));
  }
  const scores: ClaimScore[] = [];
  const lines: ClaimLine[] = [];
  for (const item of items) {
    const check = await engine.checkClaim(item.claim);
    const line = claimLine(item.id, item.claim, check);
    lines.push(line);
    const subject = overallClaim(check)?.features.subject;
    scores.push({
      ...scoreClaim(item, line, (d) => docs.get(d)),
      ...(subject !== undefined ? { subject } : {}),
    });
  }
  return { scores, lines };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The figures as a table, then the claims that failed. */
export function formatClaimReport(
  groups: readonly { name: string; scores: readonly ClaimScore[] }[],
): string {
  const out: string[] = [];
  out.push(
    '| set | claims | accuracy | P supported | R supported | P contradicted | R contradicted | P not_found | R not_found | source covers evidence |',
  );
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const g of groups) {
    const s = summarizeClaims(g.scores);
    const pv = (v: ClaimVerdict) => `${pct(s.perVerdict[v].precision)} (${s.perVerdict[v].predicted})`;
    const rv = (v: ClaimVerdict) => `${pct(s.perVerdict[v].recall)} (${s.perVerdict[v].actual})`;
    out.push(
      `| ${g.name} | ${s.claims} | ${pct(s.accuracy)} | ${pv('supported')} | ${rv('supported')} | ${pv('contradicted')} | ${rv('contradicted')} | ${pv('not_found')} | ${rv('not_found')} | ${pct(s.coverage)} |`,
    );
  }
  const all = groups.filter((g) => g.name !== 'all').flatMap((g) => g.scores);
  const wrong = all.filter((s) => s.got !== s.expected || s.covered === false);
  out.push('', wrong.length === 0 ? 'Every claim right.' : 'Claims that fail:');
  for (const s of wrong) {
    const why =
      s.got !== s.expected ? `expected ${s.expected}, got ${s.got}` : 'first source misses the evidence';
    const extra = s.mismatch ? ` [${s.mismatch.claimed} ≠ ${s.mismatch.documented}]` : '';
    out.push(
      `  ${s.id} (${s.corpus}) ${why} (confidence ${s.confidence.toFixed(2)}, subject ${s.subject?.toFixed(2) ?? '-'})${extra}: ${s.claim}`,
    );
  }
  return out.join('\n');
}
