import { createHash } from 'node:crypto';
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { DocumentInfo } from '../answer/types.js';
import { fitPlain } from './views/text.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Discord's limits on autocomplete: 25 choices, names and values 1–100 characters. */
export const CHOICE_LIMITS = { count: 25, name: 100, value: 100 } as const;

/** Lower case, accents and other combining marks removed, whitespace collapsed: what matching compares. */
export function foldForMatch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Up to 25 autocomplete choices from `candidates` for what the user typed so far: exact matches first, then
 * prefixes, then word starts, then substrings; each group keeps the candidates' order (best first).
 * With nothing typed, the first 25 candidates.
 */
export function matchChoices(
  candidates: readonly { readonly name: string; readonly value: string }[],
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  const query = foldForMatch(typed.slice(0, 200));
  const ranked: { rank: number; index: number; name: string; value: string }[] = [];
  candidates.forEach((c, index) => {
    const folded = foldForMatch(c.name);
    let rank: number;
    if (query === '') rank = 3;
    else if (folded === query) rank = 0;
    else if (folded.startsWith(query)) rank = 1;
    else if (folded.includes(` ${query}`)) rank = 2;
    else if (folded.includes(query)) rank = 3;
    else return;
    ranked.push({ rank, index, name: c.name, value: c.value });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);

  const seen = new Set<string>();
  const out: ApplicationCommandOptionChoiceData<string>[] = [];
  for (const r of ranked) {
    const value = cutCodePoints(r.value, CHOICE_LIMITS.value);
    const name = fitPlain(r.name, CHOICE_LIMITS.name, value.slice(0, CHOICE_LIMITS.name));
    if (value.trim() === '' || LONE_SURROGATE.test(value) || name.length === 0 || seen.has(value)) continue;
    seen.add(value);
    out.push({ name, value });
    if (out.length === CHOICE_LIMITS.count) break;
  }
  return out;
}

/** The longest prefix of whole code points within `max` UTF-16 units. */
function cutCodePoints(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** Topic choices: the value is the topic itself, cut to 100 characters. */
export function topicChoices(
  topics: readonly string[],
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  return matchChoices(
    topics.map((t) => ({ name: t, value: t })),
    typed,
  );
}

/**
 * A short, stable key for a document, for custom_ids and for choice values of documents whose path is too long:
 * 12 URL-safe characters of the SHA-256 of its path.
 */
export function docKeyOf(doc: string): string {
  return createHash('sha256').update(doc).digest('base64url').slice(0, 12);
}

/** Document choices: shown by title (and path), valued by path when it fits, else by key. */
export function documentChoices(
  docs: readonly DocumentInfo[],
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  return matchChoices(
    docs.map((d) => ({
      name: d.title.trim() === '' ? d.doc : `${d.title} (${d.doc})`,
      value: d.doc.length <= CHOICE_LIMITS.value ? d.doc : docKeyOf(d.doc),
    })),
    typed,
  );
}

/**
 * The document a user meant: by path, by key, by title (ignoring case and accents), or the only one whose
 * title or path contains what they typed. Undefined when none or several match.
 */
export function resolveDocument(docs: readonly DocumentInfo[], input: string): DocumentInfo | undefined {
  const exact = docs.find((d) => d.doc === input) ?? docs.find((d) => docKeyOf(d.doc) === input);
  if (exact) return exact;
  const query = foldForMatch(input);
  if (query === '') return undefined;
  const byTitle = docs.filter((d) => foldForMatch(d.title) === query || foldForMatch(d.doc) === query);
  if (byTitle.length === 1) return byTitle[0];
  const partial = docs.filter((d) => foldForMatch(`${d.title} (${d.doc})`).includes(query));
  return partial.length === 1 ? partial[0] : undefined;
}
