const APOSTROPHES = /[\u2018\u2019\u201A\u201B\u02BC\u02B9\u0060\u00B4\u2032\uFF07]/gu;
const QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\uFF02]/gu;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * Folds a word for matching: lowercase, compatibility decomposition (NFKD) with combining marks removed (so
 * diacritics go and "ё" becomes "е"), typographic apostrophes and quotes made ASCII, invisible characters
 * (soft hyphen, zero-width) removed. "й" is kept as "й" (NFKD would make it "и"), because the Russian stemmer
 * tells them apart; index and query both go through here, so they agree.
 */
export function foldTerm(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\u0438\u0306/gu, '\u0439')
    .replace(/\p{M}/gu, '')
    .replace(APOSTROPHES, "'")
    .replace(QUOTES, '"')
    .replace(INVISIBLE, '');
}
