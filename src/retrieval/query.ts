import { isStopword, stemTerm, tokenize } from '../corpus/text.js';
import type { WeightedTerm } from '../index/lexical.js';
import { RU_EN_GLOSSARY } from './glossary-ru-en.js';

/** Weight of a glossary translation relative to the user's own word. */
const TRANSLATION_WEIGHT = 0.7;
/** Weight of a transliterated Cyrillic word (names: "Хоргос" → "khorgos"). */
const TRANSLIT_WEIGHT = 0.8;

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** One content word of the question and every analysed form that counts as a match for it. */
export interface QueryWord {
  readonly surface: string;
  /** Analysed (folded, stemmed) alternatives: the word itself, its transliteration, its translations. */
  readonly forms: readonly string[];
}

/** A question made ready for retrieval. */
export interface AnalyzedQuery {
  readonly text: string;
  /** Content words, in order, each with its alternatives; the basis of coverage. */
  readonly words: readonly QueryWord[];
  /** Lexical query: every form with its weight. */
  readonly terms: readonly WeightedTerm[];
  /** Text for the dense embedding: the question, plus an English rendering for Cyrillic questions. */
  readonly denseText: string;
}

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ә: 'a', ғ: 'g', қ: 'k', ң: 'n',
  ө: 'o', ұ: 'u', ү: 'u', һ: 'h',
};

/** Latin transliteration of a folded Cyrillic word (close to the BGN/PCGN romanisation used in English texts). */
export function transliterate(word: string): string {
  let out = '';
  for (const ch of word) out += TRANSLIT[ch] ?? ch;
  return out;
}

let glossaryByStem: Map<string, string[]> | undefined;

/** The glossary keyed by the stem of each Russian lemma, so any inflected form finds it. */
function glossary(): Map<string, string[]> {
  if (glossaryByStem) return glossaryByStem;
  const map = new Map<string, string[]>();
  for (const [lemma, english] of RU_EN_GLOSSARY) {
    const stem = stemTerm(lemma.replaceAll('ё', 'е'));
    const words = english.split(/[|\s]+/).filter(Boolean);
    map.set(stem, [...(map.get(stem) ?? []), ...words]);
  }
  glossaryByStem = map;
  return map;
}

/** English words for a folded Russian word, from the query glossary ([] when it is not there). */
export function translateWord(folded: string): string[] {
  return glossary().get(stemTerm(folded)) ?? [];
}

/**
 * Splits a question into content words and their alternatives. Russian words are also looked up in a
 * Russian→English glossary and transliterated, so a Russian question can reach English passages by
 * their numbers, names and common words.
 */
export function analyzeQuery(question: string): AnalyzedQuery {
  const words: QueryWord[] = [];
  const english: string[] = [];
  for (const token of tokenize(question)) {
    if (isStopword(token.term)) continue;
    const forms = new Set<string>([stemTerm(token.term)]);
    if (CYRILLIC.test(token.term)) {
      forms.add(stemTerm(transliterate(stemTerm(token.term))));
      for (const word of translateWord(token.term)) {
        english.push(word);
        for (const t of tokenize(word)) if (!isStopword(t.term)) forms.add(stemTerm(t.term));
      }
    }
    words.push({ surface: question.slice(token.start, token.end), forms: [...forms] });
  }
  const weights = new Map<string, number>();
  for (const word of words) {
    word.forms.forEach((form, i) => {
      const weight = i === 0 ? 1 : i === 1 && CYRILLIC.test(word.surface) ? TRANSLIT_WEIGHT : TRANSLATION_WEIGHT;
      weights.set(form, Math.max(weights.get(form) ?? 0, weight));
    });
  }
  const terms = [...weights].map(([term, weight]) => ({ term, weight }));
  const denseText = english.length > 0 ? `${question}\n${english.join(' ')}` : question;
  return { text: question, words, terms, denseText };
}
