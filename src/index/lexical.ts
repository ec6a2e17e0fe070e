import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import { z } from 'zod';
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
 * What a passage stands under: its document's title as written and its heading path (H1 › H2 › H3), searched as the
 * `section` field (BM25F: a match there counts less than one in the text, but lifts every passage below it).
 */
export function headingText(
  passage: Pick<Passage, 'title' | 'searchTitle' | 'section' | 'headings'>,
): string {
  const title = passage.searchTitle ?? passage.title;
  return [...new Set([title, ...(passage.headings ?? []), passage.section].filter((h) => h !== ''))].join(
    '\n',
  );
}

/** The fields a passage is searched by. */
export type LexicalField = 'text' | 'section' | 'code';
const FIELDS: readonly LexicalField[] = ['text', 'section', 'code'];

/**
 * How lexical scores are computed: MiniSearch's BM25+ parameters and field boosts, all read at query time, so
 * none is baked into a saved index. Each field is scored apart (its own document frequencies and lengths), the
 * weighted field scores are summed, and the sum is multiplied by the number of distinct query terms matched.
 */
export interface LexicalScoring {
  /** BM25 term-frequency saturation (MiniSearch's `bm25.k`). */
  readonly k1: number;
  /** BM25 length normalisation, 0: none, 1: full (MiniSearch's `bm25.b`). */
  readonly b: number;
  /** BM25+ lower bound of a matching term's frequency part (MiniSearch's `bm25.d`). */
  readonly delta: number;
  /**
   * Field weights (MiniSearch's `boost`; a field of weight 0 is not searched): the text's words; the document
   * title and heading path (`section`); the whole identifiers and identifier parts of the text (`code`, a second
   * analysis of the text that weighs less than its words: "defer" inside "deferReply" is weaker evidence than
   * the word "defer").
   */
  readonly fieldWeights: Readonly<Record<LexicalField, number>>;
}

export const DEFAULT_LEXICAL_SCORING: LexicalScoring = {
  k1: 1.2,
  b: 0.7,
  delta: 0.5,
  fieldWeights: { text: 1, section: 0.3, code: 0.5 },
};

/** Bumped whenever the saved form changes; a saved index of another version is rebuilt from the passages. */
const LEXICAL_DATA_VERSION = 2;

/**
 * The MiniSearch index as its own serialisation (`toJSON`) writes it. Only its outline is checked by the schema
 * (a schema over every posting would cost more than loading it): the postings are checked by {@link loadSearch}.
 */
const searchDataSchema = z
  .object({
    documentCount: z.number().int().nonnegative(),
    nextId: z.number().int().nonnegative(),
    documentIds: z.record(z.string(), z.string()),
    fieldIds: z.record(z.string(), z.number().int().nonnegative()),
    fieldLength: z.record(z.string(), z.array(z.number().nonnegative())),
    averageFieldLength: z.array(z.number().nonnegative()),
    storedFields: z.record(z.string(), z.unknown()),
    index: z.array(z.unknown()),
    serializationVersion: z.literal(2),
  })
  .loose();

const lexicalDataSchema = z.object({
  version: z.literal(LEXICAL_DATA_VERSION),
  /** Every analysed term, once; the lists below hold indexes into it. */
  terms: z.array(z.string()),
  passages: z.array(
    z.object({
      id: z.string(),
      /** Words of the text in order. */
      text: z.array(z.number().int().nonnegative()),
      /** Identifiers and identifier parts of the text, in order. */
      code: z.array(z.number().int().nonnegative()),
      /** Words of the title and heading path, in order. */
      section: z.array(z.number().int().nonnegative()),
      /** Identifiers and identifier parts of the title and heading path. */
      sectionCode: z.array(z.number().int().nonnegative()),
    }),
  ),
  /** Analysed acronym → analysed expansion. */
  acronyms: z.array(z.tuple([z.string(), z.array(z.string())])),
  /** The BM25+ index, serialised by MiniSearch (`JSON.stringify(miniSearch)`), read back by `MiniSearch.loadJS`. */
  search: searchDataSchema,
});

/**
 * The saved form of a {@link LexicalIndex}: the analysed terms of every passage and MiniSearch's own
 * serialisation of the BM25+ index, so loading never tokenizes.
 */
export type LexicalData = z.infer<typeof lexicalDataSchema>;

/** The analysed fields of one passage. */
interface Analysed {
  readonly text: readonly string[];
  readonly code: readonly string[];
  readonly section: readonly string[];
  readonly sectionCode: readonly string[];
}

function analysePassage(passage: Passage): Analysed {
  const heading = headingText(passage);
  return {
    text: analyzeText(passage.text, WORDS),
    code: analyzeText(passage.text, CODE),
    section: analyzeText(heading, WORDS),
    sectionCode: analyzeText(heading, CODE),
  };
}

/** What MiniSearch indexes: a passage id and its already analysed fields. */
interface Row {
  readonly id: string;
  readonly analysed: Analysed;
}

/**
 * Joins analysed terms for MiniSearch, which splits them again (its `tokenize`): the terms go in as analysed,
 * never re-tokenized. The tokenizer never yields a NUL inside a term.
 */
const SEP = '\u0000';
const splitTerms = (text: string): string[] => (text === '' ? [] : text.split(SEP));

/** MiniSearch's options, the same to build, to load (`loadJS` requires them) and to search. */
const SEARCH_OPTIONS: Options<Row> = {
  idField: 'id',
  fields: [...FIELDS],
  extractField: (row, field) => (field === 'id' ? row.id : row.analysed[field as LexicalField].join(SEP)),
  tokenize: splitTerms,
  processTerm: (term) => term,
};

/** How many passages are re-analysed at load to check that a saved index matches today's analysis. */
const SAMPLE_CHECKS = 24;

/** What {@link LexicalIndex.fromJSON} restores instead of analysing and indexing. */
interface Restored {
  readonly analysed: readonly Analysed[];
  readonly acronyms: ReadonlyMap<string, readonly string[]>;
  readonly search: MiniSearch<Row>;
}

/**
 * BM25+ over passages, with MiniSearch doing the scoring, over three fields: the text's words, its title and
 * heading path, and its code identifiers. MiniSearch was chosen because it is small, dependency-free,
 * maintained, implements BM25+ with field boosts and per-term weights, and takes our own analysed terms. The
 * MiniSearch index and the analysed terms of every passage are saved with the index ({@link toJSON}) and
 * restored without tokenizing again ({@link fromJSON}): tokenizing is what made opening a large index slow.
 */
export class LexicalIndex {
  private readonly ids: readonly string[];
  private readonly rowOf = new Map<string, number>();
  private readonly search: MiniSearch<Row>;
  private readonly docFreq = new Map<string, number>();
  private readonly termsById = new Map<string, ReadonlySet<string>>();
  private readonly analysed: readonly Analysed[];
  readonly size: number;
  /** Analysed acronym term → analysed expansion terms, both ways ("bri" ↔ "belt road initi"). */
  readonly acronyms: ReadonlyMap<string, readonly string[]>;

  /** Analyses every passage (and finds the corpus's acronyms) and indexes them; `restored` skips both. */
  constructor(passages: readonly Passage[], restored?: Restored) {
    this.ids = passages.map((p) => p.id);
    this.ids.forEach((id, row) => this.rowOf.set(id, row));
    this.analysed = restored?.analysed ?? passages.map(analysePassage);
    if (restored) {
      this.search = restored.search;
    } else {
      this.search = new MiniSearch<Row>(SEARCH_OPTIONS);
      this.search.addAll(this.analysed.map((analysed, row) => ({ id: this.ids[row]!, analysed })));
    }
    this.analysed.forEach((a, row) => {
      const terms = new Set([...a.text, ...a.code]);
      // The headings a passage stands under are part of what it is about ("Security Cooperation").
      this.termsById.set(this.ids[row]!, new Set([...terms, ...a.section, ...a.sectionCode]));
      for (const term of terms) this.docFreq.set(term, (this.docFreq.get(term) ?? 0) + 1);
    });
    this.size = passages.length;
    this.acronyms = restored?.acronyms ?? corpusAcronyms(passages);
  }

  /** The saved form: every passage's analysed fields over one term table, the acronyms and the MiniSearch index. */
  toJSON(): LexicalData {
    const table = new Map<string, number>();
    const ids = (terms: readonly string[]) =>
      terms.map((t) => {
        let i = table.get(t);
        if (i === undefined) table.set(t, (i = table.size));
        return i;
      });
    const passages = this.analysed.map((a, row) => ({
      id: this.ids[row]!,
      text: ids(a.text),
      code: ids(a.code),
      section: ids(a.section),
      sectionCode: ids(a.sectionCode),
    }));
    return {
      version: LEXICAL_DATA_VERSION,
      terms: [...table.keys()],
      passages,
      acronyms: [...this.acronyms].map(([k, v]) => [k, [...v]]),
      search: { ...this.search.toJSON(), serializationVersion: 2 },
    };
  }

  /**
   * Restores an index saved by {@link toJSON} for these passages. When the data is of another version, lists
   * other passages, holds a MiniSearch index MiniSearch cannot read or of other passages, or a sample of
   * passages analyses differently today (the tokenizer, stemmer or stop words changed since the index was
   * built), the index is rebuilt from the passages instead: never a stale analysis. `rebuilt` says which happened.
   */
  static fromJSON(passages: readonly Passage[], data: unknown): { index: LexicalIndex; rebuilt: boolean } {
    const parsed = lexicalDataSchema.safeParse(data);
    const rebuild = () => ({ index: new LexicalIndex(passages), rebuilt: true });
    if (!parsed.success) return rebuild();
    const saved = parsed.data;
    if (saved.passages.length !== passages.length) return rebuild();
    const { terms } = saved;
    const resolve = (list: readonly number[]): string[] | undefined => {
      const out = new Array<string>(list.length);
      for (let i = 0; i < list.length; i++) {
        const t = terms[list[i]!];
        if (t === undefined) return undefined;
        out[i] = t;
      }
      return out;
    };
    const analysed: Analysed[] = [];
    for (let row = 0; row < passages.length; row++) {
      const p = saved.passages[row]!;
      if (p.id !== passages[row]!.id) return rebuild();
      const text = resolve(p.text);
      const code = resolve(p.code);
      const section = resolve(p.section);
      const sectionCode = resolve(p.sectionCode);
      if (!text || !code || !section || !sectionCode) return rebuild();
      analysed.push({ text, code, section, sectionCode });
    }
    const step = Math.max(1, Math.floor(passages.length / SAMPLE_CHECKS));
    for (let row = 0; row < passages.length; row += step) {
      if (!sameAnalysis(analysePassage(passages[row]!), analysed[row]!)) return rebuild();
    }
    const search = loadSearch(saved.search, passages);
    if (!search) return rebuild();
    const acronyms = new Map(saved.acronyms.map(([k, v]) => [k, v] as const));
    return { index: new LexicalIndex(passages, { analysed, acronyms, search }), rebuilt: false };
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

  /** The analysed words of a passage's text, in order ([] for an unknown id). */
  wordsOf(id: string): readonly string[] {
    const row = this.rowOf.get(id);
    return row === undefined ? [] : this.analysed[row]!.text;
  }

  /** Top `k` passages for weighted terms, best first (MiniSearch's BM25+ search, any term matching). */
  query(
    terms: readonly WeightedTerm[],
    k: number,
    scoring: LexicalScoring = DEFAULT_LEXICAL_SCORING,
  ): LexicalHit[] {
    if (terms.length === 0 || k <= 0) return [];
    const weights = new Map<string, number>();
    for (const { term, weight } of terms) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    // A term of weight 0 would still count as matched (MiniSearch multiplies by the terms matched): leave it out.
    const list = [...weights].flatMap(([term, weight]) => (weight > 0 && term !== '' ? [term] : []));
    // MiniSearch reads a boost of 0 as 1: a field of weight 0 is left out of the search instead.
    const fields = FIELDS.filter((f) => scoring.fieldWeights[f] > 0);
    if (list.length === 0 || fields.length === 0) return [];
    const results = this.search.search(list.join(SEP), {
      fields,
      boost: scoring.fieldWeights,
      bm25: { k: scoring.k1, b: scoring.b, d: scoring.delta },
      combineWith: 'OR',
      prefix: false,
      fuzzy: false,
      tokenize: splitTerms,
      processTerm: (t) => t,
      boostTerm: (term) => weights.get(term) ?? 1,
    });
    const hits: LexicalHit[] = [];
    for (const r of results) {
      if (hits.length >= k) break;
      if (r.score > 0) hits.push({ id: String(r.id), score: r.score });
    }
    return hits;
  }
}

/**
 * Reads MiniSearch's serialisation back (`MiniSearch.loadJS`, the parsed form of `MiniSearch.loadJSON`), or
 * undefined when MiniSearch refuses it, a posting is malformed, or it does not index exactly these passages,
 * in this order, by our fields.
 */
function loadSearch(data: LexicalData['search'], passages: readonly Passage[]): MiniSearch<Row> | undefined {
  const docs = passages.length;
  if (
    data.documentCount !== docs ||
    data.nextId !== docs ||
    data.averageFieldLength.length !== FIELDS.length
  ) {
    return undefined;
  }
  if (FIELDS.some((f, i) => data.fieldIds[f] !== i) || Object.keys(data.fieldIds).length !== FIELDS.length) {
    return undefined;
  }
  for (let row = 0; row < docs; row++) {
    if (data.documentIds[String(row)] !== passages[row]!.id) return undefined;
    if (data.fieldLength[String(row)]?.length !== FIELDS.length) return undefined;
  }
  if (!soundPostings(data.index, docs)) return undefined;
  try {
    return MiniSearch.loadJS<Row>(data as AsPlainObject, SEARCH_OPTIONS);
  } catch {
    return undefined;
  }
}

/** True when every entry is `[term, {fieldId: {passageRow: termFrequency}}]` within our fields and passages. */
function soundPostings(index: readonly unknown[], docs: number): boolean {
  const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
  const within = (key: string, n: number) => {
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < n;
  };
  for (const entry of index) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return false;
    const byField: unknown = entry[1];
    if (!isRecord(byField)) return false;
    for (const field in byField) {
      const postings = byField[field];
      if (!within(field, FIELDS.length) || !isRecord(postings)) return false;
      for (const row in postings) {
        const tf = postings[row];
        if (!within(row, docs) || typeof tf !== 'number' || !Number.isInteger(tf) || tf < 1) return false;
      }
    }
  }
  return true;
}

function corpusAcronyms(passages: readonly Passage[]): Map<string, string[]> {
  const acronyms = new Map<string, string[]>();
  for (const [acronym, expansion] of findAcronyms(passages)) {
    const short = analyzeText(acronym)[0];
    if (short !== undefined) acronyms.set(short, analyzeText(expansion));
  }
  return acronyms;
}

function sameAnalysis(a: Analysed, b: Analysed): boolean {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((t, i) => t === y[i]);
  return (
    same(a.text, b.text) &&
    same(a.code, b.code) &&
    same(a.section, b.section) &&
    same(a.sectionCode, b.sectionCode)
  );
}
