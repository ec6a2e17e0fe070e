import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Passage } from '../corpus/types.js';
import {
  createEmbeddings,
  type EmbeddingsKind,
  type FootnoteEmbeddings,
} from '../embeddings/create-embeddings.js';
import { FootnoteError } from '../errors.js';
import { readAtomicDir } from './atomic-dir.js';
import { DOCUMENTS_FILE, PASSAGES_FILE, type DocumentMeta } from './build-index.js';
import { HnswStore } from './hnsw-store.js';
import type { CharIndex } from './char-index.js';
import type { LexicalIndex } from './lexical.js';
import { checkCompatible, readManifest, type Manifest } from './manifest.js';
import { readSearchIndexes } from './search-files.js';

const passageSchema = z.object({
  id: z.string(),
  doc: z.string(),
  title: z.string(),
  /** The title as written, when it differs from `title` (splitter version 3). */
  searchTitle: z.string().optional(),
  section: z.string(),
  /** Heading path (splitter version 2); an index from before it has none. */
  headings: z.array(z.string()).default([]),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  lineStart: z.number().int().positive(),
  lineEnd: z.number().int().positive(),
  ordinal: z.number().int().nonnegative(),
  text: z.string(),
  /** PDF only: the page on which the passage starts. */
  page: z.number().int().positive().optional(),
});

const documentSchema = z.object({
  path: z.string(),
  title: z.string(),
  author: z.string().optional(),
  url: z.string().optional(),
  chars: z.number().int().nonnegative(),
});

/** Everything a loaded index offers the engine. */
export interface LoadedIndex {
  /** The version folder the files were read from. */
  readonly path: string;
  readonly manifest: Manifest;
  readonly passages: readonly Passage[];
  readonly documents: readonly DocumentMeta[];
  readonly store: HnswStore;
  readonly embeddings: FootnoteEmbeddings;
  readonly lexical: LexicalIndex;
  readonly chars: CharIndex;
  /** Search indexes built at load because the index folder had no usable saved copy (an older index). */
  readonly rebuilt: readonly ('lexical' | 'chars')[];
}

/**
 * Loads the live index version: verifies the manifest and every file's checksum, refuses an index
 * built by another model or format (with the command to run), and reads the saved lexical and character
 * indexes (or, for an index saved without them, builds them from the stored passages). Never returns half an
 * index: one version folder is read as a whole.
 */
export async function loadIndex(indexDir: string, kind: EmbeddingsKind): Promise<LoadedIndex> {
  const { value } = await readAtomicDir(indexDir, async (dir) => {
    const manifest = await readManifest(dir, { verify: 'checksum' });
    const embeddings = createEmbeddings(kind);
    checkCompatible(manifest, { model: embeddings.modelId, dimension: embeddings.dimension, setting: kind });
    const store = await HnswStore.load(dir, embeddings);
    const passages = (await readJson(dir, PASSAGES_FILE, z.array(passageSchema))).map(
      ({ page, searchTitle, ...p }): Passage => ({
        ...p,
        ...(searchTitle !== undefined ? { searchTitle } : {}),
        ...(page !== undefined ? { page } : {}),
      }),
    );
    const documents = (await readJson(dir, DOCUMENTS_FILE, z.array(documentSchema))).map(
      (d): DocumentMeta => ({
        path: d.path,
        title: d.title,
        chars: d.chars,
        ...(d.author !== undefined ? { author: d.author } : {}),
        ...(d.url !== undefined ? { url: d.url } : {}),
      }),
    );
    if (passages.length !== manifest.passageCount) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `The index at ${dir} lists ${manifest.passageCount} passages but holds ${passages.length}. Run \`npm run ingest\` to rebuild it.`,
      );
    }
    const { lexical, chars, rebuilt } = await readSearchIndexes(dir, manifest, passages);
    return { path: dir, manifest, passages, documents, store, embeddings, lexical, chars, rebuilt };
  });
  return value;
}

async function readJson<T>(dir: string, name: string, schema: z.ZodType<T>): Promise<T> {
  try {
    return schema.parse(JSON.parse(await readFile(join(dir, name), 'utf8')));
  } catch (cause) {
    throw new FootnoteError(
      'INDEX_CORRUPT',
      `The index file ${join(dir, name)} is unreadable or malformed. Run \`npm run ingest\` to rebuild it.`,
      { cause },
    );
  }
}
