import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FootnoteError } from '../errors.js';
import { inlinePlainText } from './markdown.js';
import type { CorpusDocument } from './types.js';

/** File extensions read as documents, lowercase. */
export const DOCUMENT_EXTENSIONS: readonly string[] = ['.txt', '.md'];

/** Seams for tests and other sources; the defaults read the local file system. */
export interface LoadCorpusOptions {
  /** Reads one file's bytes; default `fs.promises.readFile`. */
  readonly readFile?: (absolutePath: string) => Promise<Uint8Array>;
}

/**
 * Reads every `.txt` and `.md` file under `dir` (recursively, sorted by path, dotfiles and dot-folders skipped)
 * into {@link CorpusDocument}s. Text is decoded as strict UTF-8 with any BOM kept, so offsets into `text` are
 * the same as in any other reader of the file. Optional YAML front matter sets title, author and url.
 *
 * @throws FootnoteError CORPUS_MISSING when `dir` does not exist, CORPUS_EMPTY when it holds no document,
 *   CORPUS_FILE_NOT_UTF8, CORPUS_FILE_EMPTY or CORPUS_FILE_UNREADABLE naming the file at fault.
 */
export async function loadCorpus(dir: string, options: LoadCorpusOptions = {}): Promise<CorpusDocument[]> {
  const read = options.readFile ?? readFile;
  const root = path.resolve(dir);
  let rootStat;
  try {
    rootStat = await stat(root);
  } catch (err) {
    throw new FootnoteError(
      'CORPUS_MISSING',
      `Corpus folder ${root} does not exist. Put .txt or .md documents there, or set CORPUS_DIR to the folder that holds them.`,
      { cause: err },
    );
  }
  if (!rootStat.isDirectory()) {
    throw new FootnoteError('CORPUS_MISSING', `Corpus folder ${root} is not a folder. Set CORPUS_DIR to a folder of .txt or .md documents.`);
  }
  const files = await listDocumentFiles(root);
  if (files.length === 0) {
    throw new FootnoteError('CORPUS_EMPTY', `Corpus folder ${root} holds no .txt or .md documents. Add some, or set CORPUS_DIR to the folder that holds them.`);
  }
  const docs: CorpusDocument[] = [];
  for (const rel of files) {
    const abs = path.join(root, ...rel.split('/'));
    let bytes: Uint8Array;
    try {
      bytes = await read(abs);
    } catch (err) {
      throw new FootnoteError('CORPUS_FILE_UNREADABLE', `Cannot read corpus file ${rel}: ${describe(err)}. Check that it exists and is readable.`, {
        cause: err,
      });
    }
    docs.push(parseDocument(rel, bytes, path.join(dir, ...rel.split('/'))));
  }
  return docs;
}

/**
 * Turns one file's bytes into a document. Exported for tests and for callers that hold bytes already.
 *
 * @param relPath path relative to the corpus folder with `/` separators; decides `.md` versus `.txt` rules.
 * @param location the path to show in messages (the file as the user would type it); defaults to `relPath`.
 */
export function parseDocument(relPath: string, bytes: Uint8Array, location = relPath): CorpusDocument {
  const text = decodeUtf8(relPath, bytes, location);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const front = readFrontMatter(relPath, text);
  const bodyStart = front?.end ?? 0;
  if (text.slice(bodyStart).trim() === '') {
    throw new FootnoteError(
      'CORPUS_FILE_EMPTY',
      `Corpus file ${relPath} is empty${bodyStart > 0 ? ' after its front matter' : ''}. Add text to it or remove it from the corpus folder.`,
    );
  }
  const isMarkdown = relPath.toLowerCase().endsWith('.md');
  const title =
    front?.title ?? (isMarkdown ? firstMarkdownHeading(text, bodyStart) : undefined) ?? readableFileName(relPath, text);
  const author = front?.author ?? authorLine(text, bodyStart);
  const url = front?.url;
  return {
    path: relPath,
    title,
    ...(author !== undefined ? { author } : {}),
    ...(url !== undefined ? { url } : {}),
    text,
    bodyStart,
    sha256,
  };
}

/**
 * A checksum of the whole corpus: SHA-256 over each document's path and file hash, in path order. Changes when
 * any document is added, removed, renamed or edited.
 */
export function corpusChecksum(docs: readonly Pick<CorpusDocument, 'path' | 'sha256'>[]): string {
  const hash = createHash('sha256');
  for (const doc of [...docs].sort((a, b) => compareStrings(a.path, b.path))) {
    hash.update(`${doc.path}\0${doc.sha256}\n`);
  }
  return hash.digest('hex');
}

async function listDocumentFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(absDir: string, relDir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(absDir, { withFileTypes: true });
    } catch (err) {
      throw new FootnoteError('CORPUS_FILE_UNREADABLE', `Cannot list corpus folder ${absDir}: ${describe(err)}.`, { cause: err });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(absDir, entry.name);
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(abs).catch(() => undefined);
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDir) await walk(abs, rel);
      else if (isFile && DOCUMENT_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) out.push(rel);
    }
  }
  await walk(root, '');
  return out.sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function decodeUtf8(relPath: string, bytes: Uint8Array, location: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (err) {
    const offset = firstInvalidUtf8Byte(bytes);
    throw new FootnoteError(
      'CORPUS_FILE_NOT_UTF8',
      `Corpus file ${relPath} is not valid UTF-8 (first bad byte at offset ${offset}). ` +
        `Re-save it as UTF-8, for example: iconv -f cp1251 -t utf-8 "${location}" > fixed && mv fixed "${location}".`,
      { cause: err },
    );
  }
}

/** Byte offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF), or -1. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}

interface FrontMatter {
  /** Offset just after the closing `---` line. */
  readonly end: number;
  readonly title?: string;
  readonly author?: string;
  readonly url?: string;
}

const FRONT_MATTER = /^(\uFEFF?)---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/u;

function readFrontMatter(relPath: string, text: string): FrontMatter | undefined {
  const m = FRONT_MATTER.exec(text);
  if (!m) return undefined;
  let data: unknown;
  try {
    data = parseYaml(m[2] ?? '');
  } catch (err) {
    throw new FootnoteError(
      'CORPUS_FILE_UNREADABLE',
      `Corpus file ${relPath} has front matter that is not valid YAML: ${describe(err)}. Fix the block between the --- lines or remove it.`,
      { cause: err },
    );
  }
  if (data === null || data === undefined) return { end: m[0].length };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new FootnoteError(
      'CORPUS_FILE_UNREADABLE',
      `Corpus file ${relPath} has front matter that is not a set of "key: value" lines. Fix the block between the --- lines or remove it.`,
    );
  }
  const record = data as Record<string, unknown>;
  const title = stringField(relPath, record, 'title');
  const author = stringField(relPath, record, 'author');
  const url = stringField(relPath, record, 'url');
  return {
    end: m[0].length,
    ...(title !== undefined ? { title } : {}),
    ...(author !== undefined ? { author } : {}),
    ...(url !== undefined ? { url } : {}),
  };
}

function stringField(relPath: string, record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') {
    const s = String(value).trim();
    return s === '' ? undefined : s;
  }
  throw new FootnoteError(
    'CORPUS_FILE_UNREADABLE',
    `Corpus file ${relPath} has a front matter "${key}" that is not text. Write it as ${key}: "...".`,
  );
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?$/u;

/** The text of the first ATX markdown heading (`# ...`) in the body, cleaned of markdown; outside code fences. */
function firstMarkdownHeading(text: string, bodyStart: number): string | undefined {
  let inFence = false;
  for (const line of text.slice(bodyStart).split('\n')) {
    if (/^ {0,3}(?:```|~~~)/u.test(line)) inFence = !inFence;
    if (inFence) continue;
    const m = ATX_HEADING.exec(line);
    const heading = m ? inlinePlainText(m[2] ?? '') : '';
    if (heading !== '') return heading;
  }
  return undefined;
}

/**
 * A title from the file name: extension dropped, `-`/`_` as spaces, first letter capitalised, and each other
 * word in the casing the document itself uses most ("kazakh-chinese-relations.txt" → "Kazakh Chinese relations").
 */
export function readableFileName(relPath: string, text = ''): string {
  const base = path.posix.basename(relPath).replace(/\.[^.]+$/u, '');
  const words = base.split(/[-_\s]+/u).filter((w) => w !== '');
  if (words.length === 0) return base;
  const casings = new Map<string, Map<string, number>>();
  const wanted = new Set(words.map((w) => w.toLowerCase()));
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const lower = m[0].toLowerCase();
    if (!wanted.has(lower)) continue;
    const counts = casings.get(lower) ?? new Map<string, number>();
    counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    casings.set(lower, counts);
  }
  const cased = words.map((w) => {
    const counts = casings.get(w.toLowerCase());
    if (!counts || w !== w.toLowerCase()) return w;
    let best = w;
    let bestCount = 0;
    for (const [form, n] of counts) {
      if (n > bestCount || (n === bestCount && form === w)) {
        best = form;
        bestCount = n;
      }
    }
    return best;
  });
  const title = cased.join(' ');
  return title.charAt(0).toLocaleUpperCase() + title.slice(1);
}

/** `Author: Name` (or `Автор: Имя`) on the first non-blank line of the body. */
function authorLine(text: string, bodyStart: number): string | undefined {
  const firstLine = text.slice(bodyStart).replace(/^\uFEFF/u, '').trimStart().split('\n', 1)[0] ?? '';
  const m = /^(?:author|by|автор)\s*:\s*(.+?)\s*$/iu.exec(firstLine);
  if (!m?.[1]) return undefined;
  return inlinePlainText(m[1]).replace(/(\p{L})\(/gu, '$1 (');
}
