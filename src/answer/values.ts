import { readFileSync } from 'node:fs';

/**
 * Values in text: numbers (in digits or words), percentages, amounts of money, durations, dates and years, and
 * quantities with a unit, in English and Russian. The answer module uses them to tell whether a sentence holds the
 * kind of value a question asks for ("How many…" wants a number) and to mark the answering phrase.
 *
 * The word lists (number words, scales, units, currencies, months) are general language, kept in
 * `value-words.json` beside this file.
 */

/** The kinds of value found in text. Every percentage, amount, duration and quantity is also a number. */
export type ValueKind = 'number' | 'percent' | 'money' | 'duration' | 'date' | 'quantity';

/** One value found in a text: its span (string indices) and its kinds. */
export interface ValueSpan {
  readonly start: number;
  readonly end: number;
  readonly kinds: ReadonlySet<ValueKind>;
}

interface WordLists {
  readonly numberWords: Record<string, string[]>;
  readonly scales: Record<string, string[]>;
  readonly timeUnits: Record<string, string[]>;
  readonly currencies: Record<string, string[]> & { readonly symbols: string[] };
  readonly percentWords: Record<string, string[]>;
  readonly months: Record<string, string[]>;
  readonly measureUnits: Record<string, string[]>;
}

const WORDS = JSON.parse(readFileSync(new URL('./value-words.json', import.meta.url), 'utf8')) as WordLists;

const all = (lists: Record<string, string[]>, langs: readonly string[] = ['en', 'ru']): string[] =>
  langs.flatMap((l) => lists[l] ?? []);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Longest first, so that "million" wins over "m". */
const alternation = (words: readonly string[]): string =>
  [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');

const L = '\\p{L}\\p{N}_';
/** A whole word from a list (English words whole; Russian entries are stems and take any ending). */
const wordRe = (en: readonly string[], ru: readonly string[]): string =>
  `(?:(?:${alternation(en)})(?:s|es)?(?![${L}])|(?:${alternation(ru)})[\\p{L}]*)`;

const NUMBER_WORD = wordRe(WORDS.numberWords['en'] ?? [], WORDS.numberWords['ru'] ?? []);
const DIGITS = `\\d{1,3}(?:[,\\u00a0\\u202f ]\\d{3})+(?:\\.\\d+)?|\\d+(?:[.,]\\d+)?`;
const SCALE = wordRe(WORDS.scales['en'] ?? [], WORDS.scales['ru'] ?? []);
const SYMBOLS = `[${WORDS.currencies.symbols.map(escape).join('')}]`;

const NUMBER = new RegExp(
  `(?<![${L}.])(?:${SYMBOLS}\\s?)?(?:${DIGITS}|${NUMBER_WORD})(?:[\\s-]+(?:${NUMBER_WORD}))*(?:\\s?${SCALE}\\.?)?`,
  'giu',
);
const YEAR = /(?<![\p{L}\p{N}_.,$])(1[5-9]\d\d|20\d\d)(?:s|-е)?(?![\p{L}\p{N}_]|[.,]\d)/giu;
const PERCENT_AFTER = new RegExp(`^\\s?(?:%|(?:${alternation(all(WORDS.percentWords))})[\\p{L}]*)`, 'iu');
const CURRENCY_AFTER = new RegExp(
  `^\\s?(?:${alternation(WORDS.currencies['en'] ?? [])})(?:s)?(?![${L}])|^\\s?(?:${alternation(WORDS.currencies['ru'] ?? [])})[\\p{L}]*`,
  'iu',
);
const TIME_AFTER = new RegExp(
  `^[\\s-]?${wordRe(WORDS.timeUnits['en'] ?? [], WORDS.timeUnits['ru'] ?? [])}`,
  'iu',
);
const MEASURE_AFTER = new RegExp(
  `^[\\s-]?${wordRe(WORDS.measureUnits['en'] ?? [], WORDS.measureUnits['ru'] ?? [])}`,
  'iu',
);
const MONTH = wordRe(WORDS.months['en'] ?? [], WORDS.months['ru'] ?? []);
const DATE = new RegExp(
  `(?<![${L}])(?:\\d{1,2}\\s+${MONTH}(?:\\s+\\d{4})?|${MONTH}\\s+\\d{1,2}(?:,?\\s+\\d{4})?|${MONTH}\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2})`,
  'giu',
);
const SYMBOL_START = new RegExp(`^${SYMBOLS}`, 'u');

/** Every value in `text`, in order, spans not overlapping. */
export function findValues(text: string): ValueSpan[] {
  const found: { start: number; end: number; kinds: Set<ValueKind> }[] = [];
  for (const m of text.matchAll(DATE)) {
    found.push({ start: m.index, end: m.index + m[0].length, kinds: new Set(['date']) });
  }
  for (const m of text.matchAll(YEAR)) {
    if (!overlaps(found, m.index, m.index + m[0].length))
      found.push({ start: m.index, end: m.index + m[0].length, kinds: new Set(['date', 'number']) });
  }
  for (const m of text.matchAll(NUMBER)) {
    let start = m.index;
    let end = m.index + m[0].length;
    const raw = m[0];
    if (overlaps(found, start, end)) continue;
    const kinds = new Set<ValueKind>(['number']);
    if (SYMBOL_START.test(raw)) kinds.add('money');
    const after = text.slice(end, end + 40);
    const unit =
      PERCENT_AFTER.exec(after) ??
      CURRENCY_AFTER.exec(after) ??
      TIME_AFTER.exec(after) ??
      MEASURE_AFTER.exec(after);
    if (unit) {
      if (PERCENT_AFTER.test(after)) kinds.add('percent');
      else if (CURRENCY_AFTER.test(after)) kinds.add('money');
      else if (TIME_AFTER.test(after)) kinds.add('duration');
      else kinds.add('quantity');
      end += unit[0].length;
    }
    // "$" or "€" just before a number that did not take it ("US$ 5").
    if (start > 0 && /[$€£¥₸₽]/u.test(text[start - 1] ?? '')) {
      start -= 1;
      kinds.add('money');
    }
    if (kinds.has('money') || kinds.has('percent') || kinds.has('duration')) kinds.add('quantity');
    found.push({ start, end, kinds });
  }
  return found.sort((a, b) => a.start - b.start);
}

function overlaps(spans: readonly { start: number; end: number }[], start: number, end: number): boolean {
  return spans.some((s) => s.start < end && start < s.end);
}
