import { readDataLines } from './data.js';
import { stemTerm } from './stem.js';

/** One glossary entry: a Russian lemma and its English rendering (`|` separates alternatives). */
export type GlossaryEntry = readonly [russianLemma: string, english: string];

/**
 * A general-purpose Russian→English glossary for cross-language lexical retrieval, read from
 * glossary-ru-en.tsv (format described at the top of that file). No translation model is available
 * offline, so Russian query words are translated word by word before lexical search over (mostly
 * English) passages.
 */
export const RU_EN_GLOSSARY: readonly GlossaryEntry[] = readDataLines('glossary-ru-en.tsv').map((line) => {
  const tab = line.indexOf('\t');
  if (tab < 0) throw new Error(`glossary-ru-en.tsv: no tab in line ${JSON.stringify(line)}`);
  return [line.slice(0, tab).trim(), line.slice(tab + 1).trim()] as const;
});

interface Glossary {
  readonly byLemma: ReadonlyMap<string, string[]>;
  readonly byStem: ReadonlyMap<string, string[]>;
}
let glossaryCache: Glossary | undefined;

/** The glossary keyed by lemma, and by the stem of each lemma so any inflected form finds it. */
function glossary(): Glossary {
  if (glossaryCache) return glossaryCache;
  const byLemma = new Map<string, string[]>();
  const byStem = new Map<string, string[]>();
  for (const [lemma, english] of RU_EN_GLOSSARY) {
    const folded = lemma.replaceAll('ё', 'е');
    const words = english.split(/[|\s]+/).filter(Boolean);
    byLemma.set(folded, words);
    const stem = stemTerm(folded);
    byStem.set(stem, [...(byStem.get(stem) ?? []), ...words]);
  }
  glossaryCache = { byLemma, byStem };
  return glossaryCache;
}

/**
 * English words for a folded Russian word, from the glossary ([] when it is not there). An exact lemma
 * match wins over a stem match, since unrelated lemmas can share a stem (особенно/особый).
 */
export function translateWord(folded: string): string[] {
  const { byLemma, byStem } = glossary();
  return byLemma.get(folded) ?? byStem.get(stemTerm(folded)) ?? [];
}
