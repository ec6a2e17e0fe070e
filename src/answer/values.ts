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

/**
 * A value reduced to what it means, so that values written differently compare equal: "$20 billion", "20 billion
 * dollars" and "20 млрд долларов" are 2e10 USD; "3 seconds" and "three seconds" are 3 s; "1 Jan 2023" and
 * "January 1, 2023" are the same day. `text`, `start` and `end` locate the value as written.
 */
export type NormalValue =
  | {
      readonly kind: 'date';
      readonly year?: number;
      readonly month?: number;
      readonly day?: number;
      /** The last day of a range ("10-12 September"), else `day`. */
      readonly dayEnd?: number;
      readonly text: string;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'amount';
      /** What the amount measures; a plain `number` has no unit. */
      readonly measure: 'number' | 'ordinal' | 'percent' | 'money' | 'duration' | 'quantity';
      /** The amount with its scale applied; durations in seconds. */
      readonly amount: number;
      /** ISO currency code, `s` for durations, a unit's one name for quantities, or null. */
      readonly unit: string | null;
      readonly text: string;
      readonly start: number;
      readonly end: number;
    };

interface NormalWords {
  readonly numbers: Record<string, number>;
  readonly scales: Record<string, number>;
  readonly currencies: Record<string, string>;
  readonly timeUnits: Record<string, number>;
  readonly months: Record<string, number>;
  readonly measureUnits: Record<string, string>;
  readonly ordinals: Record<string, number>;
}

const NORMAL = JSON.parse(
  readFileSync(new URL('./value-normal.json', import.meta.url), 'utf8'),
) as NormalWords & { comment?: string };

const CYRILLIC_WORD = /\p{Script=Cyrillic}/u;

/**
 * A word's entry in a table: English words whole (a plural `s`/`es` allowed), Russian words by the longest stem
 * that starts them (at most 4 letters of ending).
 */
function lookup<T>(table: Record<string, T>, word: string): T | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (Object.hasOwn(table, w)) return table[w];
  if (CYRILLIC_WORD.test(w)) {
    for (let n = w.length - 1; n >= Math.max(2, w.length - 4); n--) {
      const stem = w.slice(0, n);
      if (Object.hasOwn(table, stem)) return table[stem];
    }
    return undefined;
  }
  for (const cut of [1, 2]) {
    const stem = w.slice(0, -cut);
    if (w.length - cut >= 2 && /s$|es$/.test(w.slice(-cut)) && Object.hasOwn(table, stem)) return table[stem];
  }
  return undefined;
}

/** Digits as written: "14,539.3", "20,9" (decimal comma), "2 800", "1.5". */
function parseDigits(raw: string): number {
  const s = raw.replace(/[\u00a0\u202f ]/g, '');
  if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) return Number(s.replace(/,/g, ''));
  if (/^\d+,\d+$/.test(s)) return Number(s.replace(',', '.'));
  return Number(s.replace(/,/g, ''));
}

const TOKEN = /\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|[\p{L}]+\.?|[$€£¥₸₽%]/gu;

/** Reads one value phrase found by `findValues` (its text and kinds). */
function readValue(text: string, kinds: ReadonlySet<ValueKind>, start: number): NormalValue | null {
  const end = start + text.length;
  const tokens = [...text.matchAll(TOKEN)].map((m) => m[0]);
  if (kinds.has('date')) {
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (iso)
      return {
        kind: 'date',
        year: +iso[1]!,
        month: +iso[2]!,
        day: +iso[3]!,
        dayEnd: +iso[3]!,
        text,
        start,
        end,
      };
    let year: number | undefined;
    let month: number | undefined;
    let day: number | undefined;
    for (const t of tokens) {
      if (/^\d{4}$/.test(t)) year = Number(t);
      else if (/^\d{1,2}$/.test(t)) day = Number(t);
      else if (month === undefined) month = lookup(NORMAL.months, t);
    }
    if (year === undefined && month === undefined) return null;
    return {
      kind: 'date',
      ...(year !== undefined ? { year } : {}),
      ...(month !== undefined ? { month } : {}),
      ...(day !== undefined ? { day, dayEnd: day } : {}),
      text,
      start,
      end,
    };
  }
  let amount: number | null = null;
  let words = 0;
  let scale = 1;
  let unit: string | null = null;
  let seconds: number | null = null;
  let currency: string | null = null;
  for (const t of tokens) {
    if (/^\d/.test(t)) {
      if (amount === null) amount = parseDigits(t);
      continue;
    }
    const n = lookup(NORMAL.numbers, t);
    if (n !== undefined && amount === null) {
      words = n === 100 ? (words || 1) * 100 : words + n;
      continue;
    }
    const s = lookup(NORMAL.scales, t);
    if (s !== undefined && seconds === null && unit === null) {
      scale *= s;
      continue;
    }
    const c = lookup(NORMAL.currencies, t);
    if (c !== undefined) {
      currency ??= c;
      continue;
    }
    const time = lookup(NORMAL.timeUnits, t);
    if (time !== undefined && kinds.has('duration')) {
      seconds ??= time;
      continue;
    }
    const m = lookup(NORMAL.measureUnits, t);
    if (m !== undefined) unit ??= m;
  }
  const base = amount ?? (words > 0 ? words : null);
  if (base === null) return null;
  const value = base * scale;
  if (kinds.has('percent'))
    return { kind: 'amount', measure: 'percent', amount: value, unit: '%', text, start, end };
  if (currency !== null || kinds.has('money')) {
    return { kind: 'amount', measure: 'money', amount: value, unit: currency, text, start, end };
  }
  if (seconds !== null) {
    return { kind: 'amount', measure: 'duration', amount: value * seconds, unit: 's', text, start, end };
  }
  if (unit !== null) return { kind: 'amount', measure: 'quantity', amount: value, unit, text, start, end };
  return { kind: 'amount', measure: 'number', amount: value, unit: null, text, start, end };
}

/**
 * Every value of `text`, normalised (see {@link NormalValue}), in order. Built on `findValues`, whose spans it
 * leaves as they are; on top it reads day ranges ("10-12 September 2019", "September 10-12, 2019") and a year
 * that follows a day and month ("January 1, 2023") as part of the date.
 */
export function normalizeValues(text: string): NormalValue[] {
  const spans = findValues(text);
  const values = spans.map((s) => {
    // findValues reads "May 2006" as "May 20" + "06"; a date's digits are read whole here.
    const end = s.kinds.has('date') ? s.end + (/^\d+/.exec(text.slice(s.end))?.[0].length ?? 0) : s.end;
    return readValue(text.slice(s.start, end), s.kinds, s.start);
  });
  const absorbed = new Set<number>();
  const indexAt = (pos: number, to: number) =>
    spans.findIndex((s, i) => !absorbed.has(i) && s.start >= pos && s.end <= to);
  values.forEach((v, i) => {
    if (!v || v.kind !== 'date' || v.month === undefined) return;
    let next: NormalValue = v;
    const before = /(?<![\d.,])(\d{1,2})\s*[-–—]\s*$/u.exec(text.slice(Math.max(0, v.start - 8), v.start));
    if (before && v.day !== undefined && /^\d/.test(v.text)) {
      const at = v.start - before[0].length;
      const j = indexAt(at, at + before[1]!.length);
      if (j >= 0) absorbed.add(j);
      next = { ...next, day: Number(before[1]), dayEnd: v.day, text: text.slice(at, v.end), start: at };
    }
    const after = /^\s*[-–—]\s*(\d{1,2})(?![\d.,]\d)/u.exec(text.slice(v.end, v.end + 8));
    let end = next.end;
    if (after && v.day !== undefined && /\d$/.test(v.text)) {
      const j = indexAt(v.end, v.end + after[0].length);
      if (j >= 0) absorbed.add(j);
      end = v.end + after[0].length;
      next = { ...next, dayEnd: Number(after[1]), end, text: text.slice(next.start, end) };
    }
    if (next.kind === 'date' && next.year === undefined) {
      const year = /^,?\s*(\d{4})(?!\d)/u.exec(text.slice(end, end + 8));
      if (year) {
        const j = indexAt(end, end + year[0].length);
        if (j >= 0) absorbed.add(j);
        const to = end + year[0].length;
        next = { ...next, year: Number(year[1]), end: to, text: text.slice(next.start, to) };
      }
    }
    values[i] = next;
  });
  const out = values.filter((v, i): v is NormalValue => v !== null && !absorbed.has(i));
  // Ordinals ("third", "4th", "четвёртый") are not values for findValues; here they are, to compare ranks.
  for (const m of text.matchAll(ORDINAL)) {
    const start = m.index;
    const end = start + m[0].length;
    const overlap = out.findIndex((v) => v.start < end && start < v.end);
    // findValues reads "4th" as the number 4: a rank here.
    if (overlap >= 0 && /^\d/.test(m[0]) && out[overlap]!.start === start) out.splice(overlap, 1);
    else if (overlap >= 0) continue;
    const digits = /^(\d+)/.exec(m[0]);
    const amount = digits ? Number(digits[1]) : lookup(NORMAL.ordinals, m[0]);
    if (amount === undefined) continue;
    out.push({ kind: 'amount', measure: 'ordinal', amount, unit: null, text: m[0], start, end });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The first value of a short phrase, normalised ("$20 billion", "three seconds", "1 Jan 2023"); null if none. */
export function normalizeValue(phrase: string): NormalValue | null {
  return normalizeValues(phrase)[0] ?? null;
}

const ORDINAL = /(?<![\p{L}\p{N}_])(?:\d+(?:st|nd|rd|th)|\p{L}+)(?![\p{L}\p{N}_])/gu;

const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Whether two values state the same thing: equal amounts with units that agree (a missing unit agrees with any:
 * "12,9 млрд" and "$12.9 billion"), or dates that agree on every part both give.
 */
export function sameValue(a: NormalValue, b: NormalValue): boolean {
  if (a.kind === 'date' && b.kind === 'date') {
    if (a.year !== undefined && b.year !== undefined && a.year !== b.year) return false;
    if (a.month !== undefined && b.month !== undefined && a.month !== b.month) return false;
    if (a.year === undefined && b.year === undefined && (a.month === undefined || b.month === undefined))
      return false;
    if (a.day !== undefined && b.day !== undefined) return a.day === b.day && a.dayEnd === b.dayEnd;
    // A day on one side only: the other must not be more precise than it (claim "May 2004" vs "May 15, 2004" agree).
    return true;
  }
  if (a.kind === 'amount' && b.kind === 'amount') {
    if (!close(a.amount, b.amount)) return false;
    if (a.unit !== null && b.unit !== null) return a.unit === b.unit;
    if (a.measure === b.measure) return true;
    // A bare number against one with a unit: the same only for a large scaled amount ("12,9 млрд" and
    // "$12.9 billion"), not for a small count that happens to be equal ("10" and "10 seconds").
    const withUnit = a.measure === 'number' ? b : b.measure === 'number' ? a : null;
    return (
      withUnit !== null &&
      (withUnit.measure === 'money' || withUnit.measure === 'quantity') &&
      Math.abs(a.amount) >= 1000
    );
  }
  // A bare year read as a number ("`2015`") against a date with only that year.
  const date = a.kind === 'date' ? a : (b as Extract<NormalValue, { kind: 'date' }>);
  const amount = a.kind === 'amount' ? a : (b as Extract<NormalValue, { kind: 'amount' }>);
  return (
    amount.measure === 'number' &&
    date.month === undefined &&
    date.year !== undefined &&
    close(date.year, amount.amount)
  );
}

/**
 * Whether two values are the same kind of value (both years or dates, both percentages, both amounts of money, both
 * durations, both quantities of one unit, both plain counts) and state different things: what a contradiction needs.
 */
export function conflictingValues(a: NormalValue, b: NormalValue): boolean {
  if (sameValue(a, b)) return false;
  if (a.kind === 'date' && b.kind === 'date') {
    if (a.year !== undefined && b.year !== undefined) {
      if (a.year !== b.year) return a.month === undefined || b.month === undefined || a.month === b.month;
      return a.month !== undefined && b.month !== undefined;
    }
    return a.month !== undefined && b.month !== undefined && a.day !== undefined && b.day !== undefined;
  }
  if (a.kind === 'amount' && b.kind === 'amount') {
    if (a.measure !== b.measure) return false;
    if (a.measure === 'quantity' || a.measure === 'money')
      return a.unit === null || b.unit === null || a.unit === b.unit;
    return true;
  }
  return false;
}
