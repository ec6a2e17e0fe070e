import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { FootnoteError } from '../errors.js';
import { writeFileAtomic } from '../embeddings/write-file-atomic.js';

/** The index format this version of Footnote writes and reads. Bump on any incompatible change. */
export const INDEX_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

const REBUILD = 'Run `npm run ingest` to rebuild it.';
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256');
/** Plain file names only: no folders, no `..`, so a manifest cannot point outside its folder. */
const fileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain file name');

/**
 * `manifest.json`: what an index folder holds and how it was built. Unknown top-level keys and
 * passage settings are kept (loose objects), so builders can record more without a format bump.
 */
export const manifestSchema = z.looseObject({
  formatVersion: z.literal(INDEX_FORMAT_VERSION),
  /** Random id of this build, distinct for every build. */
  buildId: z.string().min(1),
  embedding: z.object({ model: z.string().min(1), dimension: z.number().int().positive() }),
  passageSettings: z.looseObject({
    targetChars: z.number().int().positive(),
    maxChars: z.number().int().positive(),
  }),
  /** `corpusChecksum` (src/corpus/load-corpus.ts) of the documents below. */
  corpusChecksum: sha256Hex,
  passageCount: z.number().int().nonnegative(),
  documents: z.array(
    z.object({ path: z.string().min(1), sha256: sha256Hex, passages: z.number().int().nonnegative() }),
  ),
  builtAt: z.iso.datetime(),
  /** Every other file of the index folder with its SHA-256 and size in bytes. */
  files: z.record(fileName, z.object({ sha256: sha256Hex, size: z.number().int().nonnegative() })),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** What the builder supplies; `formatVersion`, `buildId`, `builtAt` and `files` are filled in. */
export type ManifestInput = Omit<Manifest, 'formatVersion' | 'buildId' | 'builtAt' | 'files'> & {
  builtAt?: string;
};

/** SHA-256 (hex) and size of one file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const b = chunk as Buffer;
    size += b.length;
    h.update(b);
  }
  return { sha256: h.digest('hex'), size };
}

/**
 * Writes `dir/manifest.json` for the files already written to `dir` (every regular file but the manifest
 * is listed with its checksum). Call it last, inside `writeAtomicDir`'s callback. Returns the manifest.
 */
export async function writeManifest(dir: string, input: ManifestInput): Promise<Manifest> {
  const files: Manifest['files'] = {};
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name !== MANIFEST_FILE && !e.name.includes('.tmp-'))
    .map((e) => e.name)
    .sort();
  for (const name of names) files[name] = await hashFile(join(dir, name));
  const manifest = manifestSchema.parse({
    ...input,
    formatVersion: INDEX_FORMAT_VERSION,
    buildId: randomBytes(8).toString('hex'),
    builtAt: input.builtAt ?? new Date().toISOString(),
    files,
  });
  await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface ReadManifestOptions {
  /** `checksum` (default) hashes every file; `size` only compares sizes (catches truncation, cheaper). */
  verify?: 'checksum' | 'size' | 'none';
}

/**
 * Reads and validates `dir/manifest.json` (`dir` is one index version folder, see `resolveIndexDir`),
 * then checks every listed file. Throws FootnoteError:
 * - INDEX_MISSING: no folder or no manifest;
 * - INDEX_FORMAT_MISMATCH: written by another index format;
 * - INDEX_CORRUPT: bad JSON, schema failure, or a listed file missing, of the wrong size or checksum
 *   (the message names the file).
 */
export async function readManifest(dir: string, options: ReadManifestOptions = {}): Promise<Manifest> {
  const path = join(dir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new FootnoteError(
        'INDEX_MISSING',
        `No index found at ${dir}. Run \`npm run ingest\` to build it.`,
        { cause: err },
      );
    }
    throw new FootnoteError(
      'INDEX_CORRUPT',
      `Index file ${MANIFEST_FILE} in ${dir} cannot be read. ${REBUILD}`,
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new FootnoteError(
      'INDEX_CORRUPT',
      `Index file ${MANIFEST_FILE} in ${dir} is not valid JSON. ${REBUILD}`,
      { cause: err },
    );
  }
  const version =
    typeof json === 'object' && json !== null
      ? (json as { formatVersion?: unknown }).formatVersion
      : undefined;
  if (typeof version === 'number' && version !== INDEX_FORMAT_VERSION) {
    const who = version < INDEX_FORMAT_VERSION ? 'an older' : 'a newer';
    throw new FootnoteError(
      'INDEX_FORMAT_MISMATCH',
      `The index at ${dir} was built by ${who} Footnote (format ${version}); this version reads format ${INDEX_FORMAT_VERSION}. ${REBUILD}`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new FootnoteError(
      'INDEX_CORRUPT',
      `Index file ${MANIFEST_FILE} in ${dir} is invalid (${issues}). ${REBUILD}`,
    );
  }
  const level = options.verify ?? 'checksum';
  if (level !== 'none') await verifyFiles(dir, parsed.data, level);
  return parsed.data;
}

async function verifyFiles(dir: string, manifest: Manifest, level: 'checksum' | 'size'): Promise<void> {
  for (const [name, expected] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) {
      throw new FootnoteError('INDEX_CORRUPT', `Index file ${name} is missing from ${dir}. ${REBUILD}`);
    }
    if (st.size !== expected.size) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `Index file ${name} in ${dir} is truncated or damaged (${st.size} bytes, expected ${expected.size}). ${REBUILD}`,
      );
    }
    if (level === 'checksum' && (await hashFile(path)).sha256 !== expected.sha256) {
      throw new FootnoteError(
        'INDEX_CORRUPT',
        `Index file ${name} in ${dir} is corrupt (checksum mismatch). ${REBUILD}`,
      );
    }
  }
}

/** The embedding model a run uses, to compare with the one an index was built with. */
export interface EmbeddingIdentity {
  model: string;
  dimension: number;
  /** The `EMBEDDINGS=` value behind `model`, named in the message (e.g. `use`, `ngram`). */
  setting?: string;
}

/** Throws FootnoteError INDEX_MODEL_MISMATCH when the index was built with another model or dimension. */
export function checkCompatible(manifest: Manifest, current: EmbeddingIdentity): void {
  const built = manifest.embedding;
  if (built.model === current.model && built.dimension === current.dimension) return;
  const setting = current.setting === undefined ? '' : ` (EMBEDDINGS=${current.setting})`;
  const describe = (m: string, d: number): string =>
    built.model === current.model ? `${m} (${d} dimensions)` : m;
  throw new FootnoteError(
    'INDEX_MODEL_MISMATCH',
    `The index was built with model ${describe(built.model, built.dimension)}, this run uses ` +
      `${describe(current.model, current.dimension)}${setting}. Run \`npm run ingest\` to rebuild the index.`,
  );
}
