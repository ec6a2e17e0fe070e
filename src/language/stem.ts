import { newStemmer } from 'snowball-stemmers';

const englishStemmer = newStemmer('english');
const russianStemmer = newStemmer('russian');
const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string>();

const LATIN_WORD = /^[\p{Script=Latin}']+$/u;
const CYRILLIC_WORD = /^[\p{Script=Cyrillic}]+$/u;

/**
 * Stems a folded word: Snowball English for Latin-script words, Snowball Russian for Cyrillic ones, unchanged
 * otherwise (numbers, Chinese, mixed, code such as "std::thread::spawn" or "snake_case"). The Russian stemmer
 * is applied until its output stops changing (at most four times), because one pass is not consistent on
 * nouns in "-ан"/"-ай": "казахстан" → "казахста" but "казахстаном" → "казахстан". Results are cached (bounded).
 */
export function stemTerm(folded: string): string {
  const cached = stemCache.get(folded);
  if (cached !== undefined) return cached;
  let stem = folded;
  if (LATIN_WORD.test(folded)) {
    stem = englishStemmer.stem(folded);
  } else if (CYRILLIC_WORD.test(folded)) {
    for (let i = 0; i < 4; i++) {
      const next = russianStemmer.stem(stem);
      if (next === stem || next.length < 2) break;
      stem = next;
    }
  }
  if (stemCache.size >= STEM_CACHE_LIMIT) {
    const oldest = stemCache.keys().next();
    if (oldest.done !== true) stemCache.delete(oldest.value);
  }
  stemCache.set(folded, stem);
  return stem;
}
