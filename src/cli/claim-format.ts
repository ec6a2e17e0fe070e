import { z } from 'zod';
import type { ClaimCheck, ClaimResult } from '../answer/claims.js';
import type { Source } from '../answer/types.js';
import { FootnoteError } from '../errors.js';
import { readJsonLines } from '../json-lines.js';

const claimInputSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  claim: z.string(),
});

/** One line of a `claim --batch` file. */
export type ClaimInput = z.infer<typeof claimInputSchema>;

/** Reads a JSON-lines file of `{ id, claim }`; a bad line is an error naming its number. */
export async function readClaimBatch(path: string): Promise<ClaimInput[]> {
  const badLine = (line: number) =>
    `${path}:${line}: expected a JSON object {"id": ..., "claim": "..."} on each line.`;
  const lines = await readJsonLines(path, `Cannot read the batch file ${path}: check the path.`, badLine);
  const items: ClaimInput[] = [];
  for (const { line, json } of lines) {
    const parsed = claimInputSchema.safeParse(json);
    if (!parsed.success) throw new FootnoteError('INPUT_INVALID', badLine(line));
    items.push(parsed.data);
  }
  if (items.length === 0) throw new FootnoteError('INPUT_INVALID', `${path} holds no claim.`);
  return items;
}

const LABEL: Record<ClaimResult['verdict'], string> = {
  supported: 'Supported',
  contradicted: 'Contradicted',
  not_found: 'Not found in the documents',
};

/** A claim check for a terminal: per claim the verdict, the deciding quote and where it stands. */
export function formatClaimCheck(check: ClaimCheck, tty: boolean): string {
  const bold = (s: string) => (tty ? `\u001b[1m${s}\u001b[22m` : s);
  const dim = (s: string) => (tty ? `\u001b[2m${s}\u001b[22m` : s);
  const out: string[] = [];
  for (const c of check.claims) {
    if (out.length > 0) out.push('');
    if (check.claims.length > 1) out.push(dim(`“${c.claim}”`));
    const pct = `${Math.round(100 * c.confidence)} %`;
    if (c.verdict === 'contradicted' && c.mismatch) {
      out.push(
        `${bold(LABEL[c.verdict])} (${pct}): the documents say ${bold(c.mismatch.documented)}, not ${c.mismatch.claimed}.`,
      );
    } else {
      out.push(`${bold(LABEL[c.verdict])} (${pct})`);
    }
    const first = c.sources[0];
    if (first && c.verdict !== 'not_found') {
      out.push(`Source: ${citation(first)}`, indent(quote(first)));
    } else if (first) {
      out.push(dim(`Closest passage (it neither states nor contradicts the claim): ${citation(first)}`));
    }
  }
  for (const s of check.skipped) out.push('', dim(`Skipped (${s.reason}): “${s.text}”`));
  if (check.claims.length === 0 && check.skipped.length === 0)
    out.push('Nothing to check: the text is empty.');
  return out.join('\n');
}

function quote(s: Source): string {
  return s.highlight ? s.excerpt.slice(s.highlight.start, s.highlight.end) : s.excerpt;
}

function citation(s: Source): string {
  const lines = s.lines[0] === s.lines[1] ? `line ${s.lines[0]}` : `lines ${s.lines[0]}–${s.lines[1]}`;
  return `${s.title}${s.section ? ` › ${s.section}` : ''} (${s.doc}, ${lines})`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
