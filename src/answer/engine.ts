import { splitSentences } from '../corpus/text.js';
import type { Passage } from '../corpus/types.js';
import { analyzeText } from '../index/lexical.js';
import type { LoadedIndex } from '../index/load-index.js';
import { jaccard, maximalMarginalRelevance } from '../retrieval/fusion.js';
import {
  coverage,
  DEFAULT_RETRIEVAL_SETTINGS,
  retrieve,
  type RankedPassage,
  type RetrievalDeps,
  type RetrievalSettings,
} from '../retrieval/hybrid.js';
import { analyzeQuery } from '../retrieval/query.js';
import { HybridRetriever } from '../retrieval/retriever.js';
import type { AnswerModel } from './answer-model.js';
import {
  bestQuote,
  chooseAnswer,
  composeAnswer,
  confidence,
  DEFAULT_ANSWER_SETTINGS,
  toSource,
  type AnswerChoice,
  type AnswerContext,
  type AnswerSettings,
} from './compose-answer.js';
import { checkClaims, CLAIM_SETTINGS, type ClaimCheck } from './claims.js';
import { cleanQuestion } from './sanitize.js';
import { extractTopics } from './topics.js';
import type {
  AnswerResult,
  AskOptions,
  Brief,
  DocumentInfo,
  Engine,
  IndexInfo,
  LookupHit,
  LookupResult,
  PassageView,
  SearchOptions,
  Source,
} from './types.js';

/** Tunable behaviour of the engine. */
export interface EngineSettings {
  readonly retrieval: RetrievalSettings;
  readonly answer: AnswerSettings;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  retrieval: DEFAULT_RETRIEVAL_SETTINGS,
  answer: DEFAULT_ANSWER_SETTINGS,
};

interface SentenceEntry {
  readonly passage: Passage;
  /** Absolute offsets in the document. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly terms: ReadonlySet<string>;
}

/** Words that mark a question as leaning on the one before ("and in 2023?", "what about it?"). */
// Word boundaries by Unicode letters: JavaScript's \b only knows ASCII, which would miss the Russian words.
const FOLLOW_UP =
  /^(?:and|but|also|what about|how about|then|so|и|а|но|также|ещё|еще)(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])(?:it|its|they|them|their|this|that|these|those|there|он|она|оно|они|это|этот|там)(?![\p{L}\p{N}])/iu;

/**
 * The question actually searched: a follow-up (short, or leaning on an earlier question by a
 * pronoun or a leading "and") is searched together with the most recent earlier question.
 */
export function withContext(question: string, context: readonly string[] | undefined): string {
  const previous = context?.at(-1);
  if (!previous) return question;
  const words = analyzeQuery(question).words.length;
  return words <= 3 || FOLLOW_UP.test(question.trim()) ? `${previous} ${question}` : question;
}

/** The engine over one loaded index. Immutable: a new index means a new engine. */
export class FootnoteEngine implements Engine {
  private readonly byId = new Map<string, Passage>();
  private readonly byDoc = new Map<string, Passage[]>();
  private sentenceCache: SentenceEntry[] | undefined;
  private topicCache: string[] | undefined;
  private lowerCache: string | undefined;
  private readonly vectors = new Map<string, readonly number[]>();

  constructor(
    readonly index: LoadedIndex,
    readonly settings: EngineSettings = DEFAULT_ENGINE_SETTINGS,
  ) {
    for (const passage of index.passages) {
      this.byId.set(passage.id, passage);
      const list = this.byDoc.get(passage.doc) ?? [];
      list[passage.ordinal] = passage;
      this.byDoc.set(passage.doc, list);
    }
  }

  async ask(question: string, options: AskOptions = {}): Promise<AnswerResult> {
    const clean = cleanQuestion(question);
    const count = clampCount(options.sources, 5);
    const retrieval = await this.retrieveForAnswer(clean.text, count, options);
    return composeAnswer(clean.text, retrieval, this.answerContext(), count, clean.notes);
  }

  /**
   * The answer candidates of a question and the choice among them, with every feature: what the training script
   * learns from, and what to read when an answer surprises. `model` replaces the shipped answer model.
   */
  async explain(question: string, options: AskOptions & { model?: AnswerModel } = {}): Promise<AnswerChoice> {
    const clean = cleanQuestion(question);
    const retrieval = await this.retrieveForAnswer(clean.text, clampCount(options.sources, 5), options);
    return chooseAnswer(clean.text, retrieval, {
      ...this.answerContext(),
      ...(options.model ? { model: options.model } : {}),
    });
  }

  /** Answers a question with another answer model (training and evaluation of models). */
  async askWith(question: string, model: AnswerModel, options: AskOptions = {}): Promise<AnswerResult> {
    const clean = cleanQuestion(question);
    const count = clampCount(options.sources, 5);
    const retrieval = await this.retrieveForAnswer(clean.text, count, options);
    return composeAnswer(clean.text, retrieval, { ...this.answerContext(), model }, count, clean.notes);
  }

  private async retrieveForAnswer(text: string, count: number, options: AskOptions) {
    const searched = withContext(
      text,
      options.context?.map((q) => cleanQuestion(q).text),
    );
    return retrieve(
      searched,
      this.deps(),
      Math.max(count, this.settings.answer.answerPassages),
      this.settings.retrieval,
      { dense: options.mode !== 'fast' },
    );
  }

  private answerContext(): AnswerContext {
    return {
      lexical: this.index.lexical,
      probe: (literal) => this.corpusLower().includes(literal),
      embedding: this.index.manifest.embedding.model,
      refusalThreshold: this.settings.answer.refusalThreshold,
    };
  }

  /** The whole corpus's passage text, lower-cased, for literal checks ("does 2021 occur anywhere?"). */
  private corpusLower(): string {
    this.lowerCache ??= this.index.passages.map((p) => p.text.toLowerCase()).join('\n');
    return this.lowerCache;
  }

  async search(query: string, count: number, options: SearchOptions = {}): Promise<readonly Source[]> {
    const clean = cleanQuestion(query);
    const n = clampCount(count, 5);
    const { ranked, query: analyzed } = await retrieve(clean.text, this.deps(), n, this.settings.retrieval, {
      dense: options.mode !== 'fast',
    });
    return ranked.map((r) => {
      const quote = bestQuote(r, analyzed.words, this.index.lexical, this.settings.answer.pairGain);
      return toSource(r, quote && quote.coverage > 0 ? { start: quote.start, end: quote.end } : null);
    });
  }

  checkClaim(text: string): Promise<ClaimCheck> {
    const clean = cleanQuestion(text);
    return checkClaims(clean.text, {
      lexical: this.index.lexical,
      retrieve: async (query, limit) =>
        (
          await retrieve(
            query,
            this.deps(),
            Math.max(limit, CLAIM_SETTINGS.passages),
            this.settings.retrieval,
          )
        ).ranked,
    });
  }

  lookup(term: string): LookupResult {
    const clean = cleanQuestion(term).text;
    const { words } = analyzeQuery(clean, this.index.lexical.acronyms);
    const groups = new Map<string, { doc: string; title: string; hits: LookupHit[] }>();
    let total = 0;
    if (words.length > 0) {
      const scored = this.sentences().map((s) => ({ s, c: coverage(words, s.terms, this.index.lexical) }));
      const full = scored.filter((x) => x.c >= 0.999);
      const best = Math.max(0, ...scored.map((x) => x.c));
      const chosen = full.length > 0 ? full : best >= 0.5 ? scored.filter((x) => x.c >= best - 1e-9) : [];
      for (const { s } of chosen) {
        const group = groups.get(s.passage.doc) ?? { doc: s.passage.doc, title: s.passage.title, hits: [] };
        const doc = this.documentText(s.passage);
        group.hits.push({
          sentence: doc.slice(s.start, s.end),
          start: s.start,
          end: s.end,
          line: s.line,
          section: s.passage.section,
          passageId: s.passage.id,
        });
        groups.set(s.passage.doc, group);
        total += 1;
      }
    }
    return { term: clean, total, groups: [...groups.values()] };
  }

  topics(): readonly string[] {
    this.topicCache ??= extractTopics(this.index.passages);
    return this.topicCache;
  }

  async brief(topic: string, options: SearchOptions = {}): Promise<Brief> {
    const clean = cleanQuestion(topic).text;
    const withDense = options.mode !== 'fast';
    const { ranked, query } = await retrieve(clean, this.deps(), 15, this.settings.retrieval, {
      dense: withDense,
    });
    if (ranked.length === 0) return { topic: clean, groups: [], found: false };
    const quotes = ranked.map((r) => ({
      r,
      q: bestQuote(r, query.words, this.index.lexical, this.settings.answer.pairGain),
    }));
    const top = quotes[0]!;
    const { briefThreshold, briefFastThreshold } = this.settings.answer;
    const found =
      top.q !== null &&
      confidence(top.q, withDense) >= (withDense ? briefThreshold : briefFastThreshold) * 0.8;
    const relevant = quotes.filter((x, i) => i < 3 || x.r.coverage >= 0.3);
    const maxScore = ranked[0]!.score;
    const picked = found
      ? maximalMarginalRelevance(
          relevant,
          (x) => x.r.score / maxScore,
          (a, b) =>
            jaccard(this.index.lexical.termsOf(a.r.passage.id), this.index.lexical.termsOf(b.r.passage.id)),
          5,
        )
      : [top];
    const groups: { doc: string; title: string; items: Source[] }[] = [];
    for (const { r, q } of picked) {
      let group = groups.find((g) => g.doc === r.passage.doc);
      if (!group) {
        group = { doc: r.passage.doc, title: r.passage.title, items: [] };
        groups.push(group);
      }
      group.items.push(toSource(r, q ? { start: q.start, end: q.end } : null));
    }
    return { topic: clean, groups, found };
  }

  documents(): readonly DocumentInfo[] {
    return this.index.documents.map((d) => ({
      doc: d.path,
      title: d.title,
      ...(d.author !== undefined ? { author: d.author } : {}),
      ...(d.url !== undefined ? { url: d.url } : {}),
      passages: this.byDoc.get(d.path)?.length ?? 0,
      chars: d.chars,
    }));
  }

  passage(doc: string, ordinal: number): PassageView | null {
    const list = this.byDoc.get(doc);
    const passage = list?.[ordinal];
    if (!list || !passage) return null;
    const view = (p: Passage | undefined) => (p ? toSource(plain(p), null) : null);
    return {
      source: toSource(plain(passage), null),
      previous: view(list[ordinal - 1]),
      next: view(list[ordinal + 1]),
      count: list.length,
    };
  }

  passageById(id: string): PassageView | null {
    const passage = this.byId.get(id);
    return passage ? this.passage(passage.doc, passage.ordinal) : null;
  }

  info(): IndexInfo {
    const m = this.index.manifest;
    return {
      builtAt: m.builtAt,
      model: m.embedding.model,
      dimension: m.embedding.dimension,
      passages: m.passageCount,
      corpusChecksum: m.corpusChecksum,
    };
  }

  /** This engine's retrieval as a LangChain retriever. */
  asRetriever(k = 5): HybridRetriever {
    return new HybridRetriever({ deps: this.deps(), k, settings: this.settings.retrieval });
  }

  /** A passage's stored vector, read from hnswlib once and kept (hnswlib copies it out on every read). */
  private vectorOf(id: string): readonly number[] | undefined {
    let vector = this.vectors.get(id);
    if (vector === undefined) {
      vector = this.index.store.getVector(id);
      if (vector !== undefined) this.vectors.set(id, vector);
    }
    return vector;
  }

  private deps(): RetrievalDeps {
    return {
      embeddings: this.index.embeddings,
      store: this.index.store,
      lexical: this.index.lexical,
      chars: this.index.chars,
      passages: this.byId,
      vectorOf: (id: string) => this.vectorOf(id),
    };
  }

  private documentText(passage: Passage): { slice(start: number, end: number): string } {
    return { slice: (start, end) => passage.text.slice(start - passage.start, end - passage.start) };
  }

  private sentences(): SentenceEntry[] {
    if (this.sentenceCache) return this.sentenceCache;
    const entries: SentenceEntry[] = [];
    for (const passage of this.index.passages) {
      for (const span of splitSentences(passage.text)) {
        const text = passage.text.slice(span.start, span.end);
        const before = passage.text.slice(0, span.start);
        entries.push({
          passage,
          start: passage.start + span.start,
          end: passage.start + span.end,
          line: passage.lineStart + (before.match(/\n/g)?.length ?? 0),
          terms: new Set(analyzeText(text)),
        });
      }
    }
    this.sentenceCache = entries;
    return entries;
  }
}

/** A count of sources in 1..10; anything not a finite number gives the default. */
function clampCount(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value)
    ? Math.min(10, Math.max(1, Math.floor(value)))
    : fallback;
}

/** A passage as a ranked entry with no retrieval signals, for navigation views. */
function plain(passage: Passage): RankedPassage {
  return { passage, score: 0, dense: null, lexical: 0, chars: 0, coverage: 0 };
}
