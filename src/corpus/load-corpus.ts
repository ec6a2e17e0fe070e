import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FootnoteError, isFootnoteError } from '../errors.js';
import { decodeText } from './formats/encoding.js';
import type { ExtractedText } from './formats/extracted.js';
import { inlinePlainText, markdownOutline } from './markdown.js';
import { documentTitle, readableFileName } from './title.js';
import type { CorpusDocument, DocumentFormat, Heading, SkippedFile } from './types.js';

export { firstInvalidUtf8Byte } from './formats/encoding.js';

/** File extensions read as documents, lowercase, and the format each is read as. */
const FORMATS: ReadonlyMap<string, DocumentFormat> = new Map([
  ['.txt', 'txt'],
  ['.md', 'md'],
  ['.html', 'html'],
  ['.htm', 'html'],
  ['.docx', 'docx'],
  ['.pdf', 'pdf'],
]);

/** File extensions read as documents, lowercase. */
export const DOCUMENT_EXTENSIONS: readonly string[] = [...FORMATS.keys()];

/** What the corpus folder should hold, for messages. */
const WANTED = '.txt, .md, .html, .docx or .pdf documents';

/** Seams for tests and other sources; the defaults read the local file system. */
export interface LoadCorpusOptions {
  /** Reads one file's bytes; default `fs.promises.readFile`. */
  readonly readFile?: (absolutePath: string) => Promise<Uint8Array>;
  /**
   * Told about each file that is skipped (its message names the file and the fix). Default: a line on stderr.
   * {@link readCorpus} returns them instead.
   */
  readonly warn?: (message: string) => void;
  /** Called before each file is read (`done` files read so far of `total`), for progress. */
  readonly onFile?: (done: number, total: number, relPath: string) => void;
}

/** The documents of a corpus folder and the files that could not be read. */
export interface CorpusRead {
  readonly documents: CorpusDocument[];
  readonly skipped: SkippedFile[];
}

/**
 * Reads every document under `dir` (see {@link readCorpus}); each file that cannot be read is skipped with a
 * warning (`options.warn`) naming it and the fix, and the rest of the corpus is read.
 *
 * @throws FootnoteError CORPUS_MISSING when `dir` does not exist, CORPUS_EMPTY when it holds no readable document.
 */
export async function loadCorpus(dir: string, options: LoadCorpusOptions = {}): Promise<CorpusDocument[]> {
  const { documents, skipped } = await readCorpus(dir, options);
  const warn = options.warn ?? ((m: string) => console.warn(m));
  for (const s of skipped) warn(skipWarning(s));
  return documents;
}

/** The warning line for a skipped file. */
export function skipWarning(skipped: SkippedFile): string {
  return `Warning: ${skipped.reason} Skipped ${skipped.path}; the rest of the corpus is read.`;
}

/**
 * Reads every `.txt`, `.md`, `.html`/`.htm`, `.docx` and `.pdf` file under `dir` (recursively, sorted by path,
 * dotfiles and dot-folders skipped) into {@link CorpusDocument}s. `.txt` and `.md` are decoded as strict UTF-8 (or
 * UTF-16 with a byte order mark) with any BOM kept, so offsets into `text` are the same as in any other reader of
 * the file; optional YAML front matter sets title, author and url. HTML, DOCX and PDF are read by their
 * extractors (src/corpus/formats/), whose text becomes the document's text.
 *
 * Symbolic links are followed only to files and folders inside `dir`, each real file is read once (under its own
 * path when the corpus holds it, else under the first link in path order), and links that loop are not followed.
 * A file that cannot be read (not UTF-8, empty, only headings, bad front matter, binary, encrypted, corrupt, no
 * text layer, a link out of the corpus) is returned in `skipped` with a message naming it and the fix.
 *
 * @throws FootnoteError CORPUS_MISSING when `dir` does not exist, CORPUS_EMPTY when it holds no readable document.
 */
export async function readCorpus(dir: string, options: LoadCorpusOptions = {}): Promise<CorpusRead> {
  const read = options.readFile ?? readFile;
  const root = path.resolve(dir);
  let rootStat;
  try {
    rootStat = await stat(root);
  } catch (err) {
    throw new FootnoteError(
      'CORPUS_MISSING',
      `Corpus folder ${root} does not exist. Put ${WANTED} there, or set CORPUS_DIR to the folder that holds them.`,
      { cause: err },
    );
  }
  if (!rootStat.isDirectory()) {
    throw new FootnoteError('CORPUS_MISSING', `Corpus folder ${root} is not a folder. Set CORPUS_DIR to a folder of ${WANTED}.`);
  }
  const { files, skipped } = await listDocumentFiles(root);
  const docs: CorpusDocument[] = [];
  for (const [i, rel] of files.entries()) {
    options.onFile?.(i, files.length, rel);
    const abs = path.join(root, ...rel.split('/'));
    try {
      let bytes: Uint8Array;
      try {
        bytes = await read(abs);
      } catch (err) {
        throw new FootnoteError('CORPUS_FILE_UNREADABLE', `Cannot read corpus file ${rel}: ${describe(err)}. Check that it exists and is readable.`, {
          cause: err,
        });
      }
      docs.push(await readDocument(rel, bytes, path.join(dir, ...rel.split('/'))));
    } catch (err) {
      if (!isFootnoteError(err, 'CORPUS_FILE_UNREADABLE', 'CORPUS_FILE_NOT_UTF8', 'CORPUS_FILE_EMPTY')) throw err;
      skipped.push({ path: rel, reason: err.message });
    }
  }
  options.onFile?.(files.length, files.length, '');
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  if (docs.length === 0) {
    const why = skipped.length > 0 ? ` (${skipped.length} skipped: ${skipped.map((s) => s.reason).join(' ')})` : '';
    throw new FootnoteError(
      'CORPUS_EMPTY',
      `Corpus folder ${root} holds no readable ${WANTED}${why}. Add some, or set CORPUS_DIR to the folder that holds them.`,
    );
  }
  return { documents: docs, skipped };
}

/** The format a corpus file is read as, from its extension; undefined for files the corpus does not read. */
export function documentFormat(relPath: string): DocumentFormat | undefined {
  return FORMATS.get(path.extname(relPath).toLowerCase());
}

/**
 * Turns one file's bytes into a document, whatever its format (see {@link readCorpus}).
 *
 * @throws FootnoteError CORPUS_FILE_NOT_UTF8, CORPUS_FILE_EMPTY or CORPUS_FILE_UNREADABLE naming the file and the fix.
 */
export async function readDocument(relPath: string, bytes: Uint8Array, location = relPath): Promise<CorpusDocument> {
  const format = documentFormat(relPath);
  if (format === 'html' || format === 'docx' || format === 'pdf') {
    return extractedDocument(relPath, bytes, format, location);
  }
  const doc = parseDocument(relPath, bytes, location);
  if (format === 'md' && headingsOnly(doc.text, doc.bodyStart)) {
    throw new FootnoteError(
      'CORPUS_FILE_EMPTY',
      `Corpus file ${relPath} has only headings, no text under them. Add text under its headings or remove it from the corpus folder.`,
    );
  }
  return doc;
}

async function extractedDocument(
  relPath: string,
  bytes: Uint8Array,
  format: 'html' | 'docx' | 'pdf',
  location: string,
): Promise<CorpusDocument> {
  let extracted: ExtractedText;
  if (format === 'html') {
    const decoded = decodeText(bytes, location);
    if (!decoded.ok) {
      throw new FootnoteError('CORPUS_FILE_NOT_UTF8', `Corpus file ${relPath} ${decoded.reason}. ${decoded.fix}`);
    }
    const { extractHtml } = await import('./formats/html.js');
    extracted = extractHtml(decoded.text);
  } else {
    try {
      extracted =
        format === 'pdf'
          ? await (await import('./formats/pdf.js')).extractPdf(bytes)
          : await (await import('./formats/docx.js')).extractDocx(bytes);
    } catch (err) {
      const known = err instanceof Error && 'fix' in err && typeof err.fix === 'string';
      const detail = err instanceof Error ? err.message : String(err);
      const fix = known ? (err as { fix: string }).fix : 'Replace it with a readable copy, or move it out of the corpus folder.';
      throw new FootnoteError('CORPUS_FILE_UNREADABLE', `Corpus file ${relPath} ${known ? detail : `could not be read (${detail})`}. ${fix}`, {
        cause: err,
      });
    }
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (extracted.structure.blocks.length === 0) {
    const only = extracted.structure.headings.length > 0 ? 'has only headings, no text under them' : 'has no text';
    throw new FootnoteError('CORPUS_FILE_EMPTY', `Corpus file ${relPath} ${only}. Add text to it or remove it from the corpus folder.`);
  }
  const { headings } = extracted.structure;
  const title = documentTitle({ path: relPath, text: extracted.text, declared: extracted.title, headings });
  const rawTitle = extracted.title ?? headings[0]?.text ?? readableFileName(relPath, extracted.text);
  return {
    path: relPath,
    title,
    ...(rawTitle !== title ? { rawTitle } : {}),
    text: extracted.text,
    bodyStart: 0,
    sha256,
    format,
    structure: extracted.structure,
  };
}

/**
 * Turns one `.txt` or `.md` file's bytes into a document. Exported for tests and for callers that hold bytes already.
 *
 * @param relPath path relative to the corpus folder with `/` separators; decides `.md` versus `.txt` rules.
 * @param location the path to show in messages (the file as the user would type it); defaults to `relPath`.
 * @throws FootnoteError CORPUS_FILE_NOT_UTF8 (with the likely encoding and the `iconv` command), CORPUS_FILE_EMPTY
 *   (blank), CORPUS_FILE_UNREADABLE (bad or unterminated front matter). A markdown file of headings only is
 *   refused by {@link readDocument}, not here.
 */
export function parseDocument(relPath: string, bytes: Uint8Array, location = relPath): CorpusDocument {
  const decoded = decodeText(bytes, location);
  if (!decoded.ok) {
    throw new FootnoteError('CORPUS_FILE_NOT_UTF8', `Corpus file ${relPath} ${decoded.reason}. ${decoded.fix}`);
  }
  const text = decoded.text;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const front = readFrontMatter(relPath, text);
  const bodyStart = front?.end ?? 0;
  if (text.slice(bodyStart).replace(/^\uFEFF/u, '').trim() === '') {
    throw new FootnoteError(
      'CORPUS_FILE_EMPTY',
      `Corpus file ${relPath} is empty${bodyStart > 0 ? ' after its front matter' : ''}. Add text to it or remove it from the corpus folder.`,
    );
  }
  const isMarkdown = relPath.toLowerCase().endsWith('.md');
  // Plain-text "headings" are guesses (short lines) that name sections, not the document: a .txt file is titled
  // by its front matter or its file name.
  const headings = isMarkdown ? leadingMarkdownHeadings(text, bodyStart) : [];
  const title = documentTitle({ path: relPath, text, bodyStart, declared: front?.title, headings });
  const rawTitle = front?.title ?? headings[0]?.text ?? readableFileName(relPath, text);
  const author = front?.author ?? authorLine(text, bodyStart);
  const url = front?.url;
  return {
    path: relPath,
    title,
    ...(rawTitle !== title ? { rawTitle } : {}),
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

interface Candidate {
  readonly rel: string;
  readonly real: string;
  readonly viaLink: boolean;
}

/**
 * The document files under `root`, relative paths in order, with links resolved safely (see {@link readCorpus}):
 * links out of the corpus, broken links, link loops and unlistable folders are reported in `skipped`.
 */
async function listDocumentFiles(root: string): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const skipped: SkippedFile[] = [];
  const candidates: Candidate[] = [];
  const rootReal = await realpath(root);
  const inside = (real: string): boolean => real === rootReal || real.startsWith(rootReal + path.sep);
  const visited = new Set<string>([rootReal]);
  // Links to folders are followed after the folders themselves have been walked, so that each real folder is
  // walked once, under its own path when the corpus holds it, and a loop ends there.
  const linkedDirs: { rel: string; real: string; from: string }[] = [];
  async function walk(absDir: string, relDir: string, realDir: string, viaLink: boolean): Promise<void> {
    let entries;
    try {
      entries = await readdir(absDir, { withFileTypes: true });
    } catch (err) {
      if (relDir === '') throw new FootnoteError('CORPUS_FILE_UNREADABLE', `Cannot list corpus folder ${absDir}: ${describe(err)}.`, { cause: err });
      skipped.push({ path: relDir, reason: `Cannot list corpus folder ${relDir}: ${describe(err)}. Check its permissions.` });
      return;
    }
    entries.sort((a, b) => compareStrings(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(absDir, entry.name);
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      let real = path.join(realDir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        const target = await realpath(abs).catch(() => undefined);
        const targetStat = target === undefined ? undefined : await stat(target).catch(() => undefined);
        isDir = targetStat?.isDirectory() ?? false;
        isFile = targetStat?.isFile() ?? false;
        const wanted = isDir || documentFormat(entry.name) !== undefined;
        if (target === undefined || targetStat === undefined) {
          if (wanted)
            skipped.push({ path: rel, reason: `Corpus link ${rel} points to nothing (a broken link). Fix or remove the link.` });
          continue;
        }
        if (!inside(target)) {
          if (wanted)
            skipped.push({
              path: rel,
              reason: `Corpus link ${rel} points outside the corpus folder (to ${target}). Copy the file into the corpus folder instead of linking it.`,
            });
          continue;
        }
        real = target;
        if (isDir) {
          linkedDirs.push({ rel, real, from: realDir });
          continue;
        }
      }
      if (isDir) {
        if (visited.has(real)) continue;
        visited.add(real);
        await walk(abs, rel, real, viaLink);
      } else if (isFile && documentFormat(entry.name) !== undefined) {
        candidates.push({ rel, real, viaLink: viaLink || isLink });
      }
    }
  }
  await walk(root, '', rootReal, false);
  for (let i = 0; i < linkedDirs.length; i++) {
    const link = linkedDirs[i];
    if (!link) continue;
    if (link.from === link.real || link.from.startsWith(link.real + path.sep)) {
      skipped.push({ path: link.rel, reason: `Corpus link ${link.rel} leads back to a folder above it (a link loop). Remove the link.` });
      continue;
    }
    if (visited.has(link.real)) continue;
    visited.add(link.real);
    await walk(path.join(root, ...link.rel.split('/')), link.rel, link.real, true);
  }
  // Each real file once: under its own path when the walk met it there, else under its first link.
  const byReal = new Map<string, Candidate>();
  for (const c of candidates) {
    const seen = byReal.get(c.real);
    if (!seen || (seen.viaLink && !c.viaLink)) byReal.set(c.real, c);
  }
  return { files: [...byReal.values()].map((c) => c.rel).sort(compareStrings), skipped };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * True when a markdown body holds nothing but headings (ATX `#` lines, setext headings and their underlines,
 * thematic breaks, HTML comments): such a file would give no passage.
 */
function headingsOnly(text: string, bodyStart: number): boolean {
  const lines = text.slice(bodyStart).replace(/<!--[\s\S]*?-->/gu, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/^\uFEFF/u, '');
    if (/^ {0,3}#{1,6}(?:[ \t]|$)/u.test(line) || /^ {0,3}(?:=+|-+|\*{3,}|_{3,})[ \t]*\r?$/u.test(line)) continue;
    if (/^ {0,3}(?:=+|-+)[ \t]*\r?$/u.test(lines[i + 1] ?? '') && line.trim() !== '') {
      i++;
      continue;
    }
    if (/[\p{L}\p{N}]/u.test(line)) return false;
  }
  return true;
}

interface FrontMatter {
  /** Offset just after the closing `---` line. */
  readonly end: number;
  readonly title?: string;
  readonly author?: string;
  readonly url?: string;
}

const FRONT_MATTER = /^(\uFEFF?)---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/u;

/** An opening front matter line followed by a `key:` line: front matter, terminated or not. */
const FRONT_MATTER_START = /^\uFEFF?---[ \t]*\r?\n[ \t]*[A-Za-z_][\w -]*:/u;

function readFrontMatter(relPath: string, text: string): FrontMatter | undefined {
  const m = FRONT_MATTER.exec(text);
  if (!m) {
    if (FRONT_MATTER_START.test(text)) {
      throw new FootnoteError(
        'CORPUS_FILE_UNREADABLE',
        `Corpus file ${relPath} has front matter that never ends: its opening --- line has no closing --- line. Add a --- line after the "key: value" lines, or remove the opening one.`,
      );
    }
    return undefined;
  }
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

/** Markdown read for the title's headings: the first this many characters of the body, cut at a blank line. */
const TITLE_SCAN_CHARS = 64_000;

/**
 * The headings near the start of a markdown body (ATX and setext, outside code, markdown removed), parsed as the
 * passage splitter parses them (see {@link markdownOutline}) but from the first {@link TITLE_SCAN_CHARS} only.
 */
function leadingMarkdownHeadings(text: string, bodyStart: number): Heading[] {
  let end = text.length;
  if (end - bodyStart > TITLE_SCAN_CHARS) {
    const limit = bodyStart + TITLE_SCAN_CHARS;
    const blank = text.lastIndexOf('\n\n', limit);
    end = blank > bodyStart ? blank : limit;
  }
  return markdownOutline(text.slice(0, end), bodyStart).headings;
}

/** `Author: Name` (or `Автор: Имя`) on the first non-blank line of the body. */
function authorLine(text: string, bodyStart: number): string | undefined {
  const firstLine = text.slice(bodyStart).replace(/^\uFEFF/u, '').trimStart().split('\n', 1)[0] ?? '';
  const m = /^(?:author|by|автор)\s*:\s*(.+?)\s*$/iu.exec(firstLine);
  if (!m?.[1]) return undefined;
  return inlinePlainText(m[1]).replace(/(\p{L})\(/gu, '$1 (');
}
