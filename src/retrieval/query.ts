import type { WeightedTerm } from '../index/lexical.js';
import { translateWord } from '../language/glossary.js';
import { stemTerm } from '../language/stem.js';
import { isStopword } from '../language/stopwords.js';
import { tokenize } from '../language/tokenize.js';
import { transliterate } from '../language/transliterate.js';

/** Weight of a glossary translation relative to the user's own word. */
const TRANSLATION_WEIGHT = 0.7;
/** Weight of a transliterated Cyrillic word (names: "Хоргос" → "khorgos"). */
const TRANSLIT_WEIGHT = 0.8;
/** Weight of a part of an identifier in the question ("defer" of "deferReply"): the word itself weighs 1. */
const PART_WEIGHT = 0.5;
/** Weight of a whole code identifier of several words ("thread::spawn"), on top of its words. */
const CODE_WEIGHT = 1;

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** One content word of the question and every analysed form that counts as a match for it. */
export interface QueryWord {
  readonly surface: string;
  /** Analysed (folded, stemmed) alternatives: the word itself, its transliteration, its translations. */
  readonly forms: readonly string[];
  /**
   * Multi-term alternatives that match only when all their terms are present: an acronym's expansion, the
   * parts of an identifier ("defer" + "repli" for "deferReply").
   */
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
  const all = tokenize(question);
  // Words carry coverage; the parts of an identifier are a phrase of their word ("deferReply" is also
  // matched by "defer" and "reply" together), a whole code identifier only adds a lexical term.
  const tokens = all.filter((t) => t.kind === 'word' && !isStopword(t.term));
  const stems = new Set(tokens.map((t) => stemTerm(t.term)));
  const weights = new Map<string, number>();
  for (const code of all) {
    if (code.kind === 'code') weights.set(code.term, Math.max(weights.get(code.term) ?? 0, CODE_WEIGHT));
  }
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
    const parts = all
      .filter((p) => p.kind === 'part' && p.start >= token.start && p.end <= token.end && !isStopword(p.term))
      .map((p) => stemTerm(p.term));
    for (const part of parts) weights.set(part, Math.max(weights.get(part) ?? 0, PART_WEIGHT));
    const phrases = [
      ...(expansion && expansion.length > 0 ? [expansion] : []),
      ...(parts.length > 0 ? [parts] : []),
    ];
    words.push({
      surface: question.slice(token.start, token.end),
      forms: [...forms.keys()],
      ...(phrases.length > 0 ? { phrases } : {}),
    });
  }
  const terms = [...weights].map(([term, weight]) => ({ term, weight }));
  const mostlyCyrillic = cyrillicWords * 2 > words.length;
  const denseText = mostlyCyrillic && english.length > 0 ? english.join(' ') : question;
  const charText = [question, ...(cyrillicWords > 0 ? [...english, ...translits] : [])].join(' ');
  return { text: question, words, terms, denseText, charText };
}
