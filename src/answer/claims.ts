import { readFileSync } from 'node:fs';
import { splitSentences } from '../corpus/text.js';
import { analyzeText } from '../index/lexical.js';
import type { LexicalIndex } from '../index/lexical.js';
import type { RankedPassage } from '../retrieval/hybrid.js';
import { analyzeQuery } from '../retrieval/query.js';
import type { QueryWord } from '../retrieval/query.js';
import { toSource } from './compose-answer.js';
import type { Source } from './types.js';
import { conflictingValues, normalizeValues, sameValue } from './values.js';
import type { NormalValue } from './values.js';

/**
 * Claim checks: does a passage of the documents state what a message claims, state another value for the same
 * subject, or neither?
 *
 * A claim is compared with every window of one to three sentences of the passages that retrieval ranks first.
 * Two measurements decide: how much of the claim's subject the window holds (its content words other than the
 * values, weighted by rarity as retrieval weighs them: `subject`), and how the claim's values fare against the
 * window's after normalisation (`values.ts`): each is matched (the same value), opposed (the window holds a value
 * of the same kind that no claim value matches: another year, amount, percentage, count), or absent.
 *
 * - `supported`: every value of the claim is matched and `subject` ≥ {@link CLAIM_SETTINGS.support}; a claim
 *   without values needs `subject` ≥ {@link CLAIM_SETTINGS.supportWithoutValues} and all its names.
 * - `contradicted`: a claim value is opposed, every other one is matched, and `subject` ≥
 *   {@link CLAIM_SETTINGS.contradict}: the window speaks of the same entity, period and measure. A false
 *   "contradicted" is the worst outcome, so its threshold is the highest and any doubt gives `not_found`.
 * - `not_found` otherwise.
 */
export type ClaimVerdict = 'supported' | 'contradicted' | 'not_found';

/** The verdict on one claim. */
export interface ClaimResult {
  /** The claim as written (one sentence of the message). */
  readonly claim: string;
  readonly verdict: ClaimVerdict;
  /**
   * How sure the verdict is, 0–1: for `supported` and `contradicted` the probability that it is right, for
   * `not_found` the probability that no passage supports or contradicts the claim.
   */
  readonly confidence: number;
  /** For `contradicted`: the claim's value and the documents' value, each as written. */
  readonly mismatch?: { readonly claimed: string; readonly documented: string };
  /**
   * Passages, best first. For `supported` and `contradicted` the first is the one that decides, with `highlight`
   * on the deciding sentences; for `not_found` the closest passages.
   */
  readonly sources: readonly Source[];
  /** The measurements behind the verdict (for the eval and for reading a surprising verdict). */
  readonly features: ClaimFeatures;
}

/** The measurements of the deciding (or closest) window. */
export interface ClaimFeatures {
  /** IDF-weighted share of the claim's subject words found in the window, 0–1. */
  readonly subject: number;
  readonly values: number;
  readonly matched: number;
  readonly opposed: number;
  /** Names (capitalised words, code) of the claim not found in the window. */
  readonly missingNames: number;
}

/** A sentence of a message that was not checked, and why. */
export interface SkippedSentence {
  readonly text: string;
  readonly reason: 'question' | 'greeting' | 'opinion' | 'no-fact';
}

/** The claim check of a message: one result per checkable sentence, and the sentences skipped. */
export interface ClaimCheck {
  readonly text: string;
  readonly claims: readonly ClaimResult[];
  readonly skipped: readonly SkippedSentence[];
}

/** What a claim check needs of the engine. */
export interface ClaimDeps {
  /** Ranked passages for a query, best first. */
  retrieve(query: string, limit: number): Promise<readonly RankedPassage[]>;
  readonly lexical: LexicalIndex;
}

/** Thresholds of the decision, on `subject` (see the module comment); chosen on claims-dev, see the README. */
export const CLAIM_SETTINGS = {
  /** Passages read per claim. */
  passages: 8,
  /** Longest window, in sentences. */
  window: 3,
  support: 0.6,
  supportWithoutValues: 0.8,
  contradict: 0.6,
  /** A contradiction on a bare count ("four rules" against "three rules") needs more of the subject. */
  contradictCount: 0.7,
};

interface Cues {
  readonly greeting: readonly string[];
  readonly opinion: readonly string[];
}
const CUES = JSON.parse(readFileSync(new URL('./claim-cues.json', import.meta.url), 'utf8')) as Cues;
const cueRe = (list: readonly string[]) =>
  new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}\\p{N}])`,
    'iu',
  );
const GREETING = cueRe(CUES.greeting);
const OPINION = cueRe(CUES.opinion);
/** A capitalised word not at the start of the sentence, an acronym, or a code-like word. */
const NAME =
  /(?<![\p{L}\p{N}_'’-])(?:\p{Lu}[\p{L}’'-]*\p{L}|\p{Lu}{2,})(?![\p{L}\p{N}_])|`[^`]+`|[\w~.-]*[./:_][\w~.-]*\w/gu;

/** Splits a message into claims and checks each. */
export async function checkClaims(text: string, deps: ClaimDeps): Promise<ClaimCheck> {
  const claims: ClaimResult[] = [];
  const skipped: SkippedSentence[] = [];
  for (const span of splitSentences(text)) {
    const sentence = text.slice(span.start, span.end).trim();
    const reason = skipReason(sentence);
    if (reason) skipped.push({ text: sentence, reason });
    else claims.push(await checkOneClaim(sentence, deps));
  }
  return { text, claims, skipped };
}

/** Why a sentence is not a checkable statement, or null when it is one. */
export function skipReason(sentence: string): SkippedSentence['reason'] | null {
  const s = sentence.trim();
  if (/[?？]\s*$/u.test(s)) return 'question';
  const words = analyzeQuery(s).words.length;
  const hasValue = normalizeValues(s).length > 0;
  const hasName = namesOf(s).length > 0;
  if (GREETING.test(s) && words <= 3 && !hasValue) return 'greeting';
  if (words < 2 && !hasValue) return 'no-fact';
  if (OPINION.test(s) && !hasValue && !hasName) return 'opinion';
  return null;
}

interface Window {
  readonly ranked: RankedPassage;
  readonly rank: number;
  /** Offsets in the passage text. */
  readonly start: number;
  readonly end: number;
  readonly sentences: number;
}

interface Judged {
  readonly window: Window;
  readonly verdict: ClaimVerdict;
  readonly features: ClaimFeatures;
  readonly mismatch?: { claimed: string; documented: string };
  readonly score: number;
}

/** Checks one claim (one sentence). */
export async function checkOneClaim(claim: string, deps: ClaimDeps): Promise<ClaimResult> {
  const ranked = await deps.retrieve(claim, CLAIM_SETTINGS.passages);
  const values = normalizeValues(claim);
  const query = analyzeQuery(claim, deps.lexical.acronyms);
  const subjectWords = query.words.filter((w) => !insideValue(claim, w, values));
  const names = namesOf(claim);
  const weights = subjectWords.map((w) => wordWeight(w, deps.lexical));

  let best: Judged | null = null;
  ranked.forEach((r, rank) => {
    const sentences = splitSentences(r.passage.text);
    const heading = new Set(
      analyzeText([r.passage.searchTitle ?? r.passage.title, r.passage.section].join('\n')),
    );
    for (let i = 0; i < sentences.length; i++) {
      for (let n = 1; n <= CLAIM_SETTINGS.window && i + n <= sentences.length; n++) {
        const window: Window = {
          ranked: r,
          rank,
          start: sentences[i]!.start,
          end: sentences[i + n - 1]!.end,
          sentences: n,
        };
        const judged = judge(claim, values, subjectWords, weights, names, window, heading);
        if (best === null || judged.score > best.score) best = judged;
      }
    }
  });
  const sources = ranked.slice(0, 5).map((r) => toSource(r, null));
  if (best === null) {
    return {
      claim,
      verdict: 'not_found',
      confidence: 0.95,
      sources,
      features: { subject: 0, values: values.length, matched: 0, opposed: 0, missingNames: names.length },
    };
  }
  const decided: Judged = best;
  const deciding = toSource(decided.window.ranked, { start: decided.window.start, end: decided.window.end });
  const others = ranked
    .filter((r) => r !== decided.window.ranked)
    .slice(0, 4)
    .map((r) => toSource(r, null));
  const confidence = calibrate(decided);
  return {
    claim,
    verdict: decided.verdict,
    confidence,
    ...(decided.mismatch ? { mismatch: decided.mismatch } : {}),
    sources: decided.verdict === 'not_found' ? sources : [deciding, ...others],
    features: decided.features,
  };
}

/** Judges a claim against one window and scores the judgement (higher is a better deciding window). */
function judge(
  claim: string,
  values: readonly NormalValue[],
  subjectWords: readonly QueryWord[],
  weights: readonly number[],
  names: readonly string[],
  window: Window,
  heading: ReadonlySet<string>,
): Judged {
  const text = window.ranked.passage.text.slice(window.start, window.end);
  const own = new Set(analyzeText(text));
  const terms = new Set([...own, ...heading]);
  let total = 0;
  let found = 0;
  subjectWords.forEach((w, i) => {
    const weight = weights[i]!;
    total += weight;
    const hit =
      w.forms.some((f) => terms.has(f)) || (w.phrases ?? []).some((p) => p.every((t) => terms.has(t)));
    if (hit) found += weight;
  });
  const subject = total === 0 ? 0 : found / total;
  const lowerText = text.toLowerCase();
  const missingNames = names.filter((n) => !nameFound(n, lowerText, own)).length;

  const docValues = normalizeValues(text);
  const matched = values.filter((v) => docValues.some((d) => sameValue(v, d)));
  const unmatched = values.filter((v) => !matched.includes(v));
  // Document values that no claim value matches: candidates for the other side of a contradiction.
  const free = docValues.filter((d) => !values.some((v) => sameValue(v, d)));
  const opposed: { claimed: NormalValue; documented: NormalValue; aligned: number }[] = [];
  for (const v of unmatched) {
    const rivals = free.filter((d) => conflictingValues(v, d));
    if (rivals.length > 0) opposed.push({ claimed: v, ...closestInContext(claim, v, text, rivals) });
  }
  const features: ClaimFeatures = {
    subject,
    values: values.length,
    matched: matched.length,
    opposed: opposed.length,
    missingNames,
  };
  // Longer windows hold more words by chance: each extra sentence costs a little.
  const fit = subject - 0.04 * (window.sentences - 1) - 0.01 * window.rank;
  let verdict: ClaimVerdict = 'not_found';
  const only = opposed.length === 1 && unmatched.length === 1 ? opposed[0] : undefined;
  // Values the window shares with the claim are evidence of the same subject too, the more so the more precise
  // they are (a full date more than a year, an amount more than a small count).
  const agreement = subject + matched.reduce((sum, v) => sum + specificity(v), 0);
  if (missingNames > 0) verdict = 'not_found';
  else if (values.length > 0 && unmatched.length === 0 && agreement >= CLAIM_SETTINGS.support)
    verdict = 'supported';
  else if (values.length === 0 && subject >= CLAIM_SETTINGS.supportWithoutValues) verdict = 'supported';
  // One value differs and every other one agrees: the same entity and period, another figure. When every value
  // differs (another year and another amount), the window speaks of another period: not a contradiction.
  else if (
    only &&
    agreement >= (isCount(only.claimed) ? CLAIM_SETTINGS.contradictCount : CLAIM_SETTINGS.contradict)
  )
    verdict = 'contradicted';
  // Support beats contradiction (a passage that states the claim outweighs one that seems to differ), which beats
  // nothing; within a verdict the better fit wins, and for a contradiction the better aligned value.
  const rankOf = { supported: 2, contradicted: 1, not_found: 0 } as const;
  const score = rankOf[verdict] + fit + (only ? 0.05 * only.aligned : 0);
  const first = opposed[0];
  return {
    window,
    verdict,
    features,
    score,
    ...(verdict === 'contradicted' && first
      ? { mismatch: { claimed: first.claimed.text, documented: first.documented.text } }
      : {}),
  };
}

/**
 * Of several document values that could oppose a claim value, the one whose neighbouring words (three each side)
 * are most like the claim value's; the first on a tie.
 */
function closestInContext(
  claim: string,
  v: NormalValue,
  text: string,
  rivals: readonly NormalValue[],
): { documented: NormalValue; aligned: number } {
  const around = (s: string, start: number, end: number) =>
    new Set([
      ...tokensOf(s.slice(Math.max(0, start - 40), start)).slice(-3),
      ...tokensOf(s.slice(end, end + 40)).slice(0, 3),
    ]);
  const mine = around(claim, v.start, v.end);
  let best = rivals[0]!;
  let bestScore = -1;
  for (const r of rivals) {
    const theirs = around(text, r.start, r.end);
    const score = [...theirs].filter((t) => mine.has(t)).length;
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return { documented: best, aligned: bestScore };
}

/**
 * How much a value shared by claim and window says that both speak of the same thing: a full date 0.25, a month
 * and year 0.2, a year 0.1; an amount with a unit (money, percentage, duration, quantity) 0.15; a bare count 0.05,
 * or 0.1 when it is 100 or more and not a round figure.
 */
function specificity(v: NormalValue): number {
  if (v.kind === 'date') return v.day !== undefined ? 0.25 : v.month !== undefined ? 0.2 : 0.1;
  if (v.measure === 'ordinal') return 0.05;
  if (v.measure !== 'number') return 0.15;
  return Math.abs(v.amount) >= 100 && v.amount % 10 !== 0 ? 0.1 : 0.05;
}

/** A bare count or rank: no unit, not a date. */
function isCount(v: NormalValue): boolean {
  return v.kind === 'amount' && (v.measure === 'number' || v.measure === 'ordinal');
}

function tokensOf(s: string): string[] {
  return [...s.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]);
}

/**
 * A word's weight: its IDF. A word the corpus does not know weighs as the rarest word when it is a name (a name
 * the documents lack means they speak of something else), and nothing otherwise: chatter ("fwiw", "lol") and
 * paraphrase say nothing about which passage is meant.
 */
function wordWeight(w: QueryWord, lexical: LexicalIndex): number {
  const known = w.forms.filter((f) => lexical.knows(f));
  if (known.length > 0) return Math.min(...known.map((f) => lexical.idf(f)));
  return /^\p{Lu}/u.test(w.surface) ? lexical.idf('\u0000') : 0;
}

/** Whether a query word stands inside one of the claim's values ("billion", "2019", "seconds"). */
function insideValue(claim: string, w: QueryWord, values: readonly NormalValue[]): boolean {
  let from = 0;
  for (;;) {
    const at = claim.indexOf(w.surface, from);
    if (at < 0) return false;
    if (values.some((v) => at >= v.start && at + w.surface.length <= v.end)) return true;
    from = at + 1;
  }
}

/** Names of a claim: capitalised words after its first word, acronyms, code and paths. */
export function namesOf(sentence: string): string[] {
  const out: string[] = [];
  const values = normalizeValues(sentence);
  for (const m of sentence.matchAll(NAME)) {
    const before = sentence.slice(0, m.index).trimEnd();
    if (before === '' || /[.!?:;«"“(]$/u.test(before)) continue;
    if (values.some((v) => m.index < v.end && v.start < m.index + m[0].length)) continue;
    if (!/\p{L}/u.test(m[0])) continue;
    out.push(m[0].replace(/^`|`$/g, ''));
  }
  return out;
}

function nameFound(name: string, lowerText: string, terms: ReadonlySet<string>): boolean {
  if (lowerText.includes(name.toLowerCase())) return true;
  const parts = analyzeQuery(name).words;
  return parts.length > 0 && parts.every((p) => p.forms.some((f) => terms.has(f)));
}

/**
 * The verdict's probability of being right, from the margin of `subject` over the threshold that decided it.
 * A logistic curve whose midpoint is the threshold and whose slope was set so that the verdicts on claims-dev
 * are about as often right as they say (see the README's reliability table).
 */
function calibrate(j: Judged): number {
  const s = j.features.subject;
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  if (j.verdict === 'supported') {
    const threshold = j.features.values > 0 ? CLAIM_SETTINGS.support : CLAIM_SETTINGS.supportWithoutValues;
    return round(0.6 + 0.38 * sigmoid(10 * (s - threshold)));
  }
  if (j.verdict === 'contradicted') return round(0.6 + 0.38 * sigmoid(10 * (s - CLAIM_SETTINGS.contradict)));
  // Not found: surer the less of the claim any passage holds.
  return round(0.55 + 0.4 * (1 - s));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
