import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FootnoteError } from '../errors.js';
import { fsyncDir, writeFileAtomic } from '../embeddings/write-file-atomic.js';

/** Name of the pointer file inside an index folder. */
export const CURRENT_FILE = 'current';

const VERSION_NAME = /^v-[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$/;
const TMP_NAME = /^\.tmp-([0-9]+)-[0-9a-f]{8}$/;

/**
 * Index folder layout (the folder users configure, e.g. `data/index`):
 *
 * ```
 * data/index/
 *   current                          text file naming the live version, replaced by atomic rename
 *   v-20250101T120000123Z-1a2b3c4d/  one complete, immutable index (manifest.json, hnsw.bin, ...)
 *   v-20250101T110000456Z-5e6f7a8b/  the previous version, kept for readers still loading it
 *   .tmp-<pid>-<rand>/               a build in progress (removed on failure)
 * ```
 *
 * Why a pointer and not `rename(tmp, dir)`: swapping a whole folder takes two renames (old → aside,
 * tmp → dir) with a moment where `dir` does not exist, and a reader opening files one by one can still
 * mix files from two builds. Here a version folder never changes once published, so a reader that
 * resolved `current` once reads one consistent build; the only race left is a version being pruned while
 * it is read, which {@link readAtomicDir} detects (the pointer moved) and retries.
 */
export interface AtomicDirOptions {
  /** Versions kept besides the live one, for readers mid-load. Default 1. */
  keepPrevious?: number;
}

export interface PublishedVersion {
  /** Version folder name, e.g. `v-20250101T120000123Z-1a2b3c4d`. */
  version: string;
  /** Absolute or relative path of the version folder (`join(dir, version)`). */
  path: string;
}

function newVersionName(): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, ''); // 20250101T120000123Z
  return `v-${stamp}-${randomBytes(4).toString('hex')}`;
}

/** fsyncs every regular file below `dir`, then the folders themselves. */
async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      await fsyncTree(p);
    } else if (entry.isFile()) {
      const fh = await open(p, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  }
  await fsyncDir(dir);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes a new index version atomically. `write(tmpDir)` fills a fresh temporary folder inside `dir`;
 * then every file is fsynced, the folder is renamed to a new version name, and the `current` pointer is
 * replaced by an atomic rename. If `write` (or anything before the pointer swap) throws, the temporary
 * folder is removed, the live index is untouched, and the error is rethrown.
 * Afterwards, versions older than the live one and `keepPrevious` predecessors are removed, as are
 * temporary folders left by processes that no longer run.
 */
export async function writeAtomicDir(
  dir: string,
  write: (tmpDir: string) => Promise<void>,
  options: AtomicDirOptions = {},
): Promise<PublishedVersion> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  const version = newVersionName();
  const path = join(dir, version);
  try {
    await write(tmp);
    await fsyncTree(tmp);
    await rename(tmp, path);
    await fsyncDir(dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  try {
    await writeFileAtomic(join(dir, CURRENT_FILE), `${version}\n`);
  } catch (err) {
    await rm(path, { recursive: true, force: true });
    throw err;
  }
  await pruneVersions(dir, options.keepPrevious ?? 1).catch(() => undefined);
  return { version, path };
}

/** Removes versions beyond the live one and `keepPrevious` older ones, and dead builds' temp folders. */
export async function pruneVersions(dir: string, keepPrevious = 1): Promise<void> {
  const live = await readCurrent(dir);
  const entries = await readdir(dir, { withFileTypes: true });
  const versions = entries
    .filter((e) => e.isDirectory() && VERSION_NAME.test(e.name))
    .map((e) => e.name)
    .sort()
    .reverse();
  const keep = new Set<string>(live ? [live] : []);
  for (const v of versions) {
    if (live !== undefined && v > live) continue; // published by a concurrent writer: not ours to judge
    if (keep.size > keepPrevious) break;
    keep.add(v);
  }
  for (const v of versions) {
    if (live !== undefined && v < live && !keep.has(v))
      await rm(join(dir, v), { recursive: true, force: true });
  }
  for (const e of entries) {
    const m = TMP_NAME.exec(e.name);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) {
      await rm(join(dir, e.name), { recursive: true, force: true });
    }
  }
}

/** The live version name from `dir/current`, or undefined when there is no pointer. */
export async function readCurrent(dir: string): Promise<string | undefined> {
  let raw: string;
  try {
    raw = await readFile(join(dir, CURRENT_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const name = raw.trim();
  if (!VERSION_NAME.test(name)) {
    throw new FootnoteError(
      'INDEX_CORRUPT',
      `The index pointer ${join(dir, CURRENT_FILE)} is corrupt. Run \`npm run ingest\` to rebuild.`,
    );
  }
  return name;
}

/**
 * The folder holding the live index files: `dir/<current>`; or `dir` itself when it has no `current`
 * pointer but a `manifest.json` (a plain folder, e.g. copied by hand or written by `HnswStore.save`).
 * Throws FootnoteError INDEX_MISSING when there is neither, and INDEX_CORRUPT when `current` names a
 * version folder that is not there (deleted by hand: the index is damaged, not missing, and is not
 * rebuilt behind the operator's back).
 */
export async function resolveIndexDir(dir: string): Promise<string> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new FootnoteError('INDEX_MISSING', `No index found at ${dir}. Run \`npm run ingest\` to build it.`);
  }
  for (let attempt = 1; ; attempt++) {
    const live = await readCurrent(dir);
    if (live === undefined) break;
    const path = join(dir, live);
    if ((await stat(path).catch(() => undefined))?.isDirectory()) return path;
    // Pruned by a rebuild that moved the pointer meanwhile: follow the pointer.
    if (attempt < 3 && (await readCurrent(dir)) !== live) continue;
    throw new FootnoteError(
      'INDEX_CORRUPT',
      `The live index version ${path}, named by ${join(dir, CURRENT_FILE)}, is missing. Run \`npm run ingest\` to rebuild the index.`,
    );
  }
  if (await stat(join(dir, 'manifest.json')).catch(() => undefined)) return dir;
  throw new FootnoteError('INDEX_MISSING', `No index found at ${dir}. Run \`npm run ingest\` to build it.`);
}

/**
 * Loads one consistent index version: resolves `current`, runs `read(versionDir)`, and if that fails
 * while the pointer moved meanwhile (a rebuild published and pruned the version being read), retries
 * with the new version, up to `attempts` times. Errors from a version that is still live are rethrown.
 */
export async function readAtomicDir<T>(
  dir: string,
  read: (versionDir: string) => Promise<T>,
  attempts = 3,
): Promise<{ value: T; path: string }> {
  for (let attempt = 1; ; attempt++) {
    const path = await resolveIndexDir(dir);
    try {
      return { value: await read(path), path };
    } catch (err) {
      const now = await resolveIndexDir(dir).catch(() => undefined);
      if (attempt >= attempts || now === undefined || now === path) throw err;
    }
  }
}
