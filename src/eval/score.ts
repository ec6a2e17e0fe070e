import { z } from 'zod';

/** One line of an eval file (the fields the scorer reads). */
export const evalItemSchema = z.object({
  id: z.string(),
  question: z.string(),
  kind: z.string().default('fact'),
  lang: z.string().optional(),
  doc: z.string().nullable().default(null),
  evidence: z.string().nullable().default(null),
  also_in: z.object({ doc: z.string(), evidence: z.string() }).nullable().optional(),
  answer_terms: z.array(z.string()).default([]),
});
export type EvalItem = z.infer<typeof evalItemSchema>;

/** One line of `ask --batch` output: what the scorer reads of a reply. */
export interface BatchLine {
  readonly id: string;
  readonly question: string;
  readonly answered: boolean;
  readonly answer: string;
  readonly sources: readonly {
    readonly doc: string;
    readonly title: string;
    readonly section: string;
    readonly start: number;
    readonly end: number;
    readonly excerpt: string;
    readonly score: number;
  }[];
}

/** How one question fared. */
export interface ItemScore {
  readonly id: string;
  readonly kind: string;
  readonly answerable: boolean;
  /** 1-based rank of the first source covering the evidence within the first five, or null. */
  readonly rank: number | null;
  readonly answered: boolean;
  /** Answerable: answered and every answer term present. Unanswerable: refused. */
  readonly correct: boolean;
  readonly hasSource: boolean;
}

/** Aggregate figures, as shares in 0..1 and counts. */
export interface Summary {
  readonly questions: number;
  readonly answerable: number;
  readonly r1: number;
  readonly r3: number;
  readonly mrr5: number;
  readonly accuracy: number;
  readonly falseRefusals: number;
  readonly unanswerable: number;
  readonly refusedUnanswerable: number;
}

/** Whitespace folded, case ignored, NFKC, `\$` read as `$`: how answer terms and excerpts are compared. */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').replaceAll('\\$', '$').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Whether a source covers an evidence span, by the README's rule. */
export function coversEvidence(
  source: BatchLine['sources'][number],
  doc: string,
  evidence: string,
  documentText: (doc: string) => string | undefined,
): boolean {
  if (source.doc === doc) {
    const text = documentText(doc);
    const at = text?.indexOf(evidence) ?? -1;
    if (at >= 0) {
      const overlap = Math.min(source.end, at + evidence.length) - Math.max(source.start, at);
      if (overlap >= evidence.length / 2) return true;
    }
  }
  const fold = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  return fold(source.excerpt).includes(fold(evidence));
}

/** Scores one reply against its eval item. */
export function scoreItem(
  item: EvalItem,
  line: BatchLine,
  documentText: (doc: string) => string | undefined,
): ItemScore {
  const answerable = item.doc !== null && item.evidence !== null;
  const hasSource = line.sources.length > 0 && line.sources.some((s) => s.excerpt.trim().length > 0);
  if (!answerable) {
    return {
      id: item.id,
      kind: item.kind,
      answerable,
      rank: null,
      answered: line.answered,
      correct: !line.answered && hasSource,
      hasSource,
    };
  }
  const targets = [{ doc: item.doc!, evidence: item.evidence! }, ...(item.also_in ? [item.also_in] : [])];
  const index = line.sources
    .slice(0, 5)
    .findIndex((s) => targets.some((t) => coversEvidence(s, t.doc, t.evidence, documentText)));
  const answer = normalizeForMatch(line.answer);
  const termsOk = item.answer_terms.every((t) => answer.includes(normalizeForMatch(t)));
  return {
    id: item.id,
    kind: item.kind,
    answerable,
    rank: index >= 0 ? index + 1 : null,
    answered: line.answered,
    correct: line.answered && termsOk && hasSource,
    hasSource,
  };
}

/** Aggregates item scores into the eval's figures. */
export function summarize(scores: readonly ItemScore[]): Summary {
  const answerable = scores.filter((s) => s.answerable);
  const unanswerable = scores.filter((s) => !s.answerable);
  const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
  // A reply without a source excerpt counts against the bot whatever it says.
  const ranked = (s: ItemScore, k: number) => s.hasSource && s.rank !== null && s.rank <= k;
  return {
    questions: scores.length,
    answerable: answerable.length,
    r1: share(answerable.filter((s) => ranked(s, 1)).length, answerable.length),
    r3: share(answerable.filter((s) => ranked(s, 3)).length, answerable.length),
    mrr5: share(
      answerable.reduce((sum, s) => sum + (s.hasSource && s.rank !== null ? 1 / s.rank : 0), 0),
      answerable.length,
    ),
    accuracy: share(answerable.filter((s) => s.correct).length, answerable.length),
    falseRefusals: answerable.filter((s) => !s.answered).length,
    unanswerable: unanswerable.length,
    refusedUnanswerable: unanswerable.filter((s) => s.correct).length,
  };
}
