import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Passage } from '../corpus/types.js';
import { CharIndex } from './char-index.js';
import { LexicalIndex } from './lexical.js';
import type { Manifest } from './manifest.js';

/** The analysed terms of every passage and the MiniSearch BM25+ index (see {@link LexicalIndex.toJSON}). */
export const LEXICAL_FILE = 'lexical.json';
/** The character n-gram model and the passages' sparse vectors (see {@link CharIndex.toBuffer}). */
export const CHARS_FILE = 'chars.bin';
/**
 * Version of the saved search indexes, recorded in the manifest as `searchIndexes`. An index without them, or
 * with another version, is `stale` (see `indexStatus`): the command line rebuilds it, and until then the
 * indexes are built in memory at load, as before they were saved. 2: the lexical file holds MiniSearch's
 * serialised index beside the analysed terms.
 */
export const SEARCH_INDEX_VERSION = 2;

/** True when the manifest lists the saved search indexes of this version. */
export function hasSearchIndexes(manifest: Manifest): boolean {
  return (
    manifest['searchIndexes'] === SEARCH_INDEX_VERSION &&
    LEXICAL_FILE in manifest.files &&
    CHARS_FILE in manifest.files
  );
}

/** Builds the lexical and character indexes of `passages` and writes them into the index folder `dir`. */
export async function writeSearchIndexes(dir: string, passages: readonly Passage[]): Promise<void> {
  await writeFile(join(dir, LEXICAL_FILE), JSON.stringify(new LexicalIndex(passages).toJSON()));
  await writeFile(join(dir, CHARS_FILE), new CharIndex(passages).toBuffer());
}

/** What {@link readSearchIndexes} found. */
export interface SearchIndexes {
  readonly lexical: LexicalIndex;
  readonly chars: CharIndex;
  /** Which of them had to be built from the passages (missing, old or not matching today's analysis). */
  readonly rebuilt: readonly ('lexical' | 'chars')[];
}

/**
 * Reads the saved search indexes of the index folder `dir` (already verified against its manifest), or builds
 * those that are missing, of another version, or do not match the passages or today's text analysis.
 */
export async function readSearchIndexes(
  dir: string,
  manifest: Manifest,
  passages: readonly Passage[],
): Promise<SearchIndexes> {
  const saved = hasSearchIndexes(manifest);
  const rebuilt: ('lexical' | 'chars')[] = [];
  let lexical: LexicalIndex | undefined;
  if (saved) {
    const json: unknown = await readFile(join(dir, LEXICAL_FILE), 'utf8')
      .then((text) => JSON.parse(text) as unknown)
      .catch(() => undefined);
    const restored = LexicalIndex.fromJSON(passages, json);
    lexical = restored.index;
    if (restored.rebuilt) rebuilt.push('lexical');
  } else {
    lexical = new LexicalIndex(passages);
    rebuilt.push('lexical');
  }
  let chars = saved
    ? await readFile(join(dir, CHARS_FILE))
        .then((buffer) => CharIndex.fromBuffer(passages, buffer))
        .catch(() => undefined)
    : undefined;
  if (!chars) {
    chars = new CharIndex(passages);
    rebuilt.push('chars');
  }
  return { lexical, chars, rebuilt };
}
