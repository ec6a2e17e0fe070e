import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import {
  DEFAULT_RETRIEVAL_SETTINGS,
  retrieve,
  type RetrievalDeps,
  type RetrievalSettings,
} from './hybrid.js';

/** Options of {@link HybridRetriever}. */
export interface HybridRetrieverInput extends BaseRetrieverInput {
  readonly deps: RetrievalDeps;
  /** Passages returned per query. Default 5. */
  readonly k?: number;
  readonly settings?: RetrievalSettings;
}

/**
 * Footnote's hybrid retrieval (dense + BM25+ + character n-grams, fused by RRF, re-ranked by coverage)
 * as a LangChain retriever, so it plugs into LangChain chains. Each document's `pageContent` is the
 * passage text; `metadata` carries `id, doc, title, section, start, end, lines, score, coverage`.
 */
export class HybridRetriever extends BaseRetriever {
  static override lc_name(): string {
    return 'FootnoteHybridRetriever';
  }

  lc_namespace = ['footnote', 'retrievers'];

  private readonly deps: RetrievalDeps;
  private readonly k: number;
  private readonly settings: RetrievalSettings;

  constructor(input: HybridRetrieverInput) {
    super(input);
    this.deps = input.deps;
    this.k = input.k ?? 5;
    this.settings = input.settings ?? DEFAULT_RETRIEVAL_SETTINGS;
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const { ranked } = await retrieve(query, this.deps, this.k, this.settings);
    return ranked.map(
      ({ passage, score, coverage }) =>
        new Document({
          id: passage.id,
          pageContent: passage.text,
          metadata: {
            id: passage.id,
            doc: passage.doc,
            title: passage.title,
            section: passage.section,
            start: passage.start,
            end: passage.end,
            lines: [passage.lineStart, passage.lineEnd],
            score,
            coverage,
          },
        }),
    );
  }
}
