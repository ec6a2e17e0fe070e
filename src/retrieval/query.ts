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
  /** Multi-term alternatives that match only when all their terms are present (an acronym's expansion). */
  readonly phrases?: readonly (readonly string[])[];
}

/** A question made ready for retrieval. */
export interface AnalyzedQuery {
  readonly text: string;
  /** Content words, in order, each with its alternatives; the basis of coverage. */
  readonly words: readonly QueryWord[];
  /** Lexical query: every form with its weight. */
  readonly terms: readonly WeightedTerm[];
  /** Text for the dense embedding: the question, or its English rendering when it is mostly Cyrillic. */
  readonly denseText: string;
  /** Text for the character n-gram channel: the question plus its translations and transliterations. */
  readonly charText: string;
}

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
};

/** Latin transliteration of a folded Cyrillic word (close to the BGN/PCGN romanisation used in English texts). */
export function transliterate(word: string): string {
  let out = '';
  for (const ch of word) out += TRANSLIT[ch] ?? ch;
  return out;
}

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
 * English words for a folded Russian word, from the query glossary ([] when it is not there). An
 * exact lemma match wins over a stem match, since unrelated lemmas can share a stem (особенно/особый).
 */
export function translateWord(folded: string): string[] {
  const { byLemma, byStem } = glossary();
  return byLemma.get(folded) ?? byStem.get(stemTerm(folded)) ?? [];
}

/**
 * Splits a question into content words and their alternatives. Russian words are also looked up in a
 * Russian→English glossary and transliterated, so a Russian question can reach English passages by
 * their numbers, names and common words.
 */
export function analyzeQuery(
  question: string,
  acronyms: ReadonlyMap<string, readonly string[]> = new Map(),
): AnalyzedQuery {
  const words: QueryWord[] = [];
  const english: string[] = [];
  const translits: string[] = [];
  let cyrillicWords = 0;
  const tokens = tokenize(question).filter((t) => !isStopword(t.term));
  const stems = new Set(tokens.map((t) => stemTerm(t.term)));
  const weights = new Map<string, number>();
  for (const token of tokens) {
    // Each form with its weight: the word itself 1, transliterations 0.8, translations 0.7.
    const forms = new Map<string, number>();
    const add = (form: string, weight: number) => forms.set(form, Math.max(forms.get(form) ?? 0, weight));
    add(stemTerm(token.term), 1);
    if (CYRILLIC.test(token.term)) {
      cyrillicWords += 1;
      translits.push(transliterate(token.term));
      add(stemTerm(transliterate(token.term)), TRANSLIT_WEIGHT);
      add(stemTerm(transliterate(stemTerm(token.term))), TRANSLIT_WEIGHT);
      for (const word of translateWord(token.term)) {
        english.push(word);
        for (const t of tokenize(word)) if (!isStopword(t.term)) add(stemTerm(t.term), TRANSLATION_WEIGHT);
      }
    } else {
      english.push(question.slice(token.start, token.end));
    }
    const stem = stemTerm(token.term);
    // "BRI" also matches "Belt and Road Initiative" (all of it), and each word of the expansion also
    // matches "BRI", which then weighs as much as the words it replaces together.
    const expansion = acronyms.get(stem);
    for (const term of expansion ?? [])
      weights.set(term, Math.max(weights.get(term) ?? 0, TRANSLATION_WEIGHT));
    for (const [acronym, words] of acronyms) {
      if (words.includes(stem) && words.every((t) => stems.has(t))) {
        forms.set(acronym, 0);
        weights.set(acronym, (weights.get(acronym) ?? 0) + TRANSLATION_WEIGHT);
      }
    }
    for (const [form, weight] of forms) {
      if (weight > 0) weights.set(form, Math.max(weights.get(form) ?? 0, weight));
    }
    words.push({
      surface: question.slice(token.start, token.end),
      forms: [...forms.keys()],
      ...(expansion && expansion.length > 0 ? { phrases: [expansion] } : {}),
    });
  }
  const terms = [...weights].map(([term, weight]) => ({ term, weight }));
  const mostlyCyrillic = cyrillicWords * 2 > words.length;
  const denseText = mostlyCyrillic && english.length > 0 ? english.join(' ') : question;
  const charText = [question, ...(cyrillicWords > 0 ? [...english, ...translits] : [])].join(' ');
  return { text: question, words, terms, denseText, charText };
}
