import type { ClaimCheck } from './claims.js';
import type { AnswerType } from './question.js';

/** A passage cited in a reply, best first. Offsets are JavaScript string indices into the document's text. */
export interface Source {
  readonly passageId: string;
  readonly doc: string;
  readonly title: string;
  readonly section: string;
  readonly start: number;
  readonly end: number;
  /** 1-based first and last line of the passage. */
  readonly lines: readonly [number, number];
  /** The passage text, exactly as it stands in the document. */
  readonly excerpt: string;
  /** Fused relevance, higher is better; comparable only within one result. */
  readonly score: number;
  /** Where the quoted answer sits inside `excerpt` (`excerpt.slice(start, end)`), or null when none does. */
  readonly highlight: { readonly start: number; readonly end: number } | null;
  /** 0-based position of the passage within its document. */
  readonly ordinal: number;
  /** The page the passage starts on, for documents that have pages (PDF). */
  readonly page?: number;
  /**
   * The answering phrase (the figure, the date, the amount asked for) inside the highlighted answer, as offsets in
   * `excerpt`; only on the first source of an answer to a question that asks for a value.
   */
  readonly phrase?: { readonly start: number; readonly end: number } | null;
}

/** What the engine says to a question. Never composed text: `answer` is quoted from `sources[0]`. */
export type AnswerResult =
  | {
      readonly answered: true;
      readonly question: string;
      /** One or two adjacent sentences quoted verbatim from the best passage. */
      readonly answer: string;
      /** Calibrated probability (0–1) that the answer is right, from the learned confidence model. */
      readonly confidence: number;
      /** The kind of answer the question asks for (`count`, `date`, `definition`, …). */
      readonly answerType: AnswerType;
      /** At least one source, best first. */
      readonly sources: readonly Source[];
      /** Notes about the input ("question cut to 2,000 characters"). */
      readonly notes: readonly string[];
    }
  | {
      readonly answered: false;
      readonly question: string;
      /** Always ''; the documents do not answer. */
      readonly answer: '';
      /** `no-match`: nothing relevant enough; `empty`: the question had no searchable words. */
      readonly reason: 'no-match' | 'empty';
      /** Probability that the best candidate would have been right (0 when there was none). */
      readonly confidence: number;
      /** The closest passages, labelled as such by the renderer; at least one unless `reason` is `empty`. */
      readonly sources: readonly Source[];
      readonly notes: readonly string[];
    };

/** One sentence that mentions a looked-up term. */
export interface LookupHit {
  readonly sentence: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly section: string;
  readonly passageId: string;
}

/** Every sentence that mentions a term, grouped by document in corpus order. */
export interface LookupResult {
  readonly term: string;
  readonly total: number;
  readonly groups: readonly {
    readonly doc: string;
    readonly title: string;
    readonly hits: readonly LookupHit[];
  }[];
}

/** Three to five diverse passages on a topic, each with its key sentence. */
export interface Brief {
  readonly topic: string;
  /** Sources, each with `highlight` on its key sentence, grouped by document (documents in order of best score). */
  readonly groups: readonly {
    readonly doc: string;
    readonly title: string;
    readonly items: readonly Source[];
  }[];
  /** False when nothing in the corpus is relevant enough; `groups` then holds the closest passage only. */
  readonly found: boolean;
}

/** A corpus document as listed by `/docs`. */
export interface DocumentInfo {
  readonly doc: string;
  readonly title: string;
  readonly author?: string;
  readonly url?: string;
  readonly passages: number;
  readonly chars: number;
}

/** What the index was built from and when. */
export interface IndexInfo {
  readonly builtAt: string;
  readonly model: string;
  readonly dimension: number;
  readonly passages: number;
  readonly corpusChecksum: string;
}

/** A passage and its neighbours, for "Full passage" and `/source`. */
export interface PassageView {
  readonly source: Source;
  readonly previous: Source | null;
  readonly next: Source | null;
  /** Number of passages in the document, for "passage n of N". */
  readonly count: number;
}

/** Options for one question. */
export interface AskOptions {
  /** Earlier questions in the conversation, most recent last, used to resolve follow-ups ("and in 2023?"). */
  readonly context?: readonly string[];
  /** How many sources to return (default 5). */
  readonly sources?: number;
  /**
   * `fast` skips the dense embedding: for bursts, when answering everyone inside Discord's deadline matters more
   * than the last points of recall. Default `full`. See {@link EngineMode}.
   */
  readonly mode?: EngineMode;
}

/**
 * `full` ranks with every channel; `fast` skips the dense embedding and ranks with the lexical channels only.
 * Measured with USE on 2 cores: a question costs ~10.5 ms in `full` (~10 ms of it the query embedding) and
 * ~0.5 ms in `fast`; on the dev set `fast` scores R@1 86.1 % / R@3 91.7 % against 88.9 % / 97.2 %.
 */
export type EngineMode = 'full' | 'fast';

/** Options for a search or a brief. */
export interface SearchOptions {
  /** Default `full`. */
  readonly mode?: EngineMode;
}

/**
 * The engine the Discord layer and the command line talk to. Everything it returns is plain data;
 * nothing here knows about Discord.
 */
export interface Engine {
  ask(question: string, options?: AskOptions): Promise<AnswerResult>;
  /** Top passages for a query, 1–10, each with its best sentence highlighted. */
  search(query: string, count: number, options?: SearchOptions): Promise<readonly Source[]>;
  lookup(term: string): LookupResult;
  /** Key terms of the corpus (headings, names, organisations, places, figures), best first. */
  topics(): readonly string[];
  brief(topic: string, options?: SearchOptions): Promise<Brief>;
  documents(): readonly DocumentInfo[];
  /** A passage by document and 0-based ordinal, or null when out of range. */
  passage(doc: string, ordinal: number): PassageView | null;
  /** A passage by its id, or null. */
  passageById(id: string): PassageView | null;
  info(): IndexInfo;
  /**
   * Checks the claims of a message against the documents: one verdict (supported, contradicted, not found) per
   * checkable sentence, with its deciding passage; questions, greetings and opinions are listed as skipped.
   */
  checkClaim(text: string): Promise<ClaimCheck>;
}
