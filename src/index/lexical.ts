import MiniSearch from 'minisearch';
import type { Passage } from '../corpus/types.js';
import { findAcronyms } from '../language/acronyms.js';
import { stemTerm } from '../language/stem.js';
import { isStopword } from '../language/stopwords.js';
import { tokenize, type TokenKind } from '../language/tokenize.js';

/** A query term with its weight (1 for the user's own words, less for translations and variants). */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/** One lexical hit: a passage id and its BM25+ score. */
export interface LexicalHit {
  readonly id: string;
  readonly score: number;
}

const ALL_KINDS: ReadonlySet<TokenKind> = new Set(['word', 'code', 'part']);
const WORDS: ReadonlySet<TokenKind> = new Set(['word']);
const CODE: ReadonlySet<TokenKind> = new Set(['code', 'part']);

/**
 * Folds, drops stop words and stems: the index terms of a text. The same analysis serves passages
 * and queries, so "Казахстаном" finds "Казахстан" and "investments" finds "investment". Code gives
 * its words, its whole identifiers and their parts ("std::thread::spawn", "deferrepli", "defer").
 */
export function analyzeText(text: string, kinds: ReadonlySet<TokenKind> = ALL_KINDS): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    if (!kinds.has(token.kind) || isStopword(token.term)) continue;
    terms.push(stemTerm(token.term));
  }
  return terms;
}

/**
 * What a passage stands under: its document's title and its heading path (H1 › H2 › H3), searched as the
 * `section` field (BM25F: a match there counts less than one in the text, but lifts every passage below it).
 */
export function headingText(passage: Pick<Passage, 'title' | 'section' | 'headings'>): string {
  return [
    ...new Set([passage.title, ...(passage.headings ?? []), passage.section].filter((h) => h !== '')),
  ].join('\n');
}

/**
 * BM25 boost of the `code` field: the whole identifiers and identifier parts of a passage's text. They are
 * indexed apart from its words so that the text field (and with it every prose passage) scores as before,
 * and weigh less than words: "defer" inside "deferReply" is weaker evidence than the word "defer".
 */
const CODE_FIELD_BOOST = 0.5;

/**
 * BM25+ over passages, with MiniSearch doing the scoring. MiniSearch was chosen because it is small,
 * dependency-free, maintained, implements BM25+ with field boosts and per-term weights, and lets us
 * plug in our own Unicode tokenizer; it rebuilds from the passages in milliseconds, so the index is
 * rebuilt at load rather than stored.
 */
export class LexicalIndex {
  private readonly search: MiniSearch<Passage>;
  private readonly docFreq = new Map<string, number>();
  private readonly termsById = new Map<string, ReadonlySet<string>>();
  readonly size: number;
  /** Analysed acronym term → analysed expansion terms, both ways ("bri" ↔ "belt road initi"). */
  readonly acronyms: ReadonlyMap<string, readonly string[]>;

  constructor(passages: readonly Passage[]) {
    this.search = new MiniSearch<Passage>({
      idField: 'id',
      fields: ['text', 'section', 'code'],
      // The code field is a second analysis of the text (see analyzeText), not a property of the passage.
      extractField: (passage, field) =>
        field === 'id' ? passage.id : field === 'section' ? headingText(passage) : passage.text,
      tokenize: (text, field) => analyzeText(text, field === 'code' ? CODE : WORDS),
      processTerm: (term) => term,
      searchOptions: { boost: { text: 1, section: 0.3, code: CODE_FIELD_BOOST } },
    });
    this.search.addAll([...passages]);
    for (const passage of passages) {
      const terms = new Set(analyzeText(passage.text));
      // The headings a passage stands under are part of what it is about ("Security Cooperation").
      this.termsById.set(passage.id, new Set([...terms, ...analyzeText(headingText(passage))]));
      for (const term of terms) this.docFreq.set(term, (this.docFreq.get(term) ?? 0) + 1);
    }
    this.size = passages.length;
    const acronyms = new Map<string, string[]>();
    for (const [acronym, expansion] of findAcronyms(passages)) {
      const short = analyzeText(acronym)[0];
      if (short !== undefined) acronyms.set(short, analyzeText(expansion));
    }
    this.acronyms = acronyms;
  }

  /** Inverse document frequency of an analysed term; terms absent from the corpus get the highest value. */
  idf(term: string): number {
    const df = this.docFreq.get(term) ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** True when the analysed term occurs in some passage. */
  knows(term: string): boolean {
    return this.docFreq.has(term);
  }

  /** The analysed terms of a passage and of its section heading. */
  termsOf(id: string): ReadonlySet<string> {
    return this.termsById.get(id) ?? new Set();
  }

  /** Top `k` passages for weighted terms, best first. */
  query(terms: readonly WeightedTerm[], k: number): LexicalHit[] {
    if (terms.length === 0) return [];
    const weights = new Map<string, number>();
    for (const { term, weight } of terms) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    const list = [...weights.keys()];
    const results = this.search.search(list.join(' '), {
      tokenize: (q) => q.split(' '),
      processTerm: (t) => t,
      combineWith: 'OR',
      boostTerm: (term) => weights.get(term) ?? 1,
    });
    return results.slice(0, k).map((r) => ({ id: String(r.id), score: r.score }));
  }
}
