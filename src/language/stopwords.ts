import { readDataLines } from './data.js';
import { foldTerm } from './fold.js';

/**
 * English and Russian function words, folded (see {@link foldTerm}), read from stopwords-en.txt and
 * stopwords-ru.txt. General-language lists: content words are never listed.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  [...readDataLines('stopwords-en.txt'), ...readDataLines('stopwords-ru.txt')].map(foldTerm),
);

/** True when the folded `term` is an English or Russian function word. */
export function isStopword(term: string): boolean {
  return STOPWORDS.has(term);
}
