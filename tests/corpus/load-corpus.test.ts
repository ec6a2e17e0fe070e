import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFootnoteError } from '../../src/errors.js';
import { corpusChecksum, firstInvalidUtf8Byte, loadCorpus, readableFileName } from '../../src/corpus/load-corpus.js';

const BUNDLED = path.resolve(import.meta.dirname, '../../corpus');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'footnote-corpus-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(folder: string): Promise<unknown> {
  return loadCorpus(folder).then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('loadCorpus', () => {
  it('given the bundled corpus, returns both documents with their text byte for byte', async () => {
    const docs = await loadCorpus(BUNDLED);
    expect(docs.map((d) => d.path)).toEqual(['kazakh-chinese-relations.txt', 'sino-kazakh-strategic-partnership.md']);
    for (const doc of docs) {
      const bytes = await readFile(path.join(BUNDLED, doc.path));
      expect(Buffer.from(doc.text, 'utf8').equals(bytes)).toBe(true);
      expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/u);
    }
    const [txt, md] = docs;
    expect(txt?.title).toBe('Kazakh Chinese relations');
    expect(txt?.author).toBe('Anton Bugayenko (Republic of Kazakhstan)');
    expect(md?.title).toBe('КИТАЙСКО-КАЗАХСТАНСКОЕ СТРАТЕГИЧЕСКОЕ ПАРТНЕРСТВО И ДВУСТОРОННЕЕ ЭКОНОМИЧЕСКОЕ СОТРУДНИЧЕСТВО');
  });

  it('given YAML front matter, honours title, author and url and starts the body after it', async () => {
    const text = '---\ntitle: "Trade: a study"\nauthor: A. Author\nurl: https://example.org/a\n---\n# Ignored heading\n\nBody text.\n';
    await writeFile(path.join(dir, 'a.md'), text);
    const [doc] = await loadCorpus(dir);
    expect(doc).toMatchObject({ title: 'Trade: a study', author: 'A. Author', url: 'https://example.org/a' });
    expect(doc?.text).toBe(text);
    expect(doc?.text.slice(doc.bodyStart)).toBe('# Ignored heading\n\nBody text.\n');
  });

  it('given no front matter, takes the title from the first markdown heading, cleaned of markdown', async () => {
    await writeFile(path.join(dir, 'b.md'), 'Intro line.\n\n## The **Belt** and `Road` [Initiative](https://x.org)\n\nText.\n');
    const [doc] = await loadCorpus(dir);
    expect(doc?.title).toBe('The Belt and Road Initiative');
    expect(doc?.bodyStart).toBe(0);
  });

  it('given no heading, makes the file name readable in the casing the text uses', async () => {
    await writeFile(path.join(dir, 'kazakh-chinese_relations.txt'), 'Kazakh and Chinese relations are old. Chinese trade grows.\n');
    const [doc] = await loadCorpus(dir);
    expect(doc?.title).toBe('Kazakh Chinese relations');
    expect(readableFileName('notes/my-file.md')).toBe('My file');
  });

  it('reads .txt and .md files recursively in path order, skipping dotfiles, dot-folders and other files', async () => {
    await mkdir(path.join(dir, 'sub', 'deeper'), { recursive: true });
    await mkdir(path.join(dir, '.hidden'));
    await writeFile(path.join(dir, 'b.txt'), 'B.');
    await writeFile(path.join(dir, 'a.md'), 'A.');
    await writeFile(path.join(dir, 'sub', 'deeper', 'c.MD'), 'C.');
    await writeFile(path.join(dir, '.secret.md'), 'no');
    await writeFile(path.join(dir, '.hidden', 'd.md'), 'no');
    await writeFile(path.join(dir, 'image.png'), 'no');
    const docs = await loadCorpus(dir);
    expect(docs.map((d) => d.path)).toEqual(['a.md', 'b.txt', 'sub/deeper/c.MD']);
  });

  it('keeps a byte order mark so offsets match the decoded file', async () => {
    await writeFile(path.join(dir, 'bom.txt'), '\uFEFFHello world.');
    const [doc] = await loadCorpus(dir);
    expect(doc?.text).toBe('\uFEFFHello world.');
  });

  it('given a cp1251 file, refuses it naming the file, the byte offset and how to convert it', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    await writeFile(path.join(dir, 'russian.txt'), Buffer.from([0x4f, 0x4b, 0x20, 0xca, 0xe8, 0xf2, 0xe0, 0xe9]));
    const err = await loadError(dir);
    expect(isFootnoteError(err, 'CORPUS_FILE_NOT_UTF8')).toBe(true);
    expect((err as Error).message).toContain('russian.txt');
    expect((err as Error).message).toContain('offset 3');
    expect((err as Error).message).toContain('iconv -f cp1251 -t utf-8');
  });

  it('given an empty or blank file, refuses it naming the file', async () => {
    await writeFile(path.join(dir, 'empty.md'), '');
    const err = await loadError(dir);
    expect(isFootnoteError(err, 'CORPUS_FILE_EMPTY')).toBe(true);
    expect((err as Error).message).toContain('empty.md');
    await writeFile(path.join(dir, 'empty.md'), '---\ntitle: x\n---\n \n\n');
    expect(isFootnoteError(await loadError(dir), 'CORPUS_FILE_EMPTY')).toBe(true);
  });

  it('given malformed front matter, refuses the file naming it', async () => {
    await writeFile(path.join(dir, 'bad.md'), '---\ntitle: [unclosed\n---\nBody.\n');
    const err = await loadError(dir);
    expect(isFootnoteError(err, 'CORPUS_FILE_UNREADABLE')).toBe(true);
    expect((err as Error).message).toContain('bad.md');
  });

  it('given a missing folder, says which folder and that CORPUS_DIR sets it', async () => {
    const missing = path.join(dir, 'nope');
    const err = await loadError(missing);
    expect(isFootnoteError(err, 'CORPUS_MISSING')).toBe(true);
    expect((err as Error).message).toContain(missing);
    expect((err as Error).message).toContain('CORPUS_DIR');
  });

  it('given a folder without documents, reports an empty corpus', async () => {
    await writeFile(path.join(dir, 'readme.rst'), 'x');
    expect(isFootnoteError(await loadError(dir), 'CORPUS_EMPTY')).toBe(true);
  });

  it('given a file that cannot be read, names it and keeps the cause', async () => {
    await writeFile(path.join(dir, 'locked.md'), 'Fine.');
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const err = await loadCorpus(dir, { readFile: () => Promise.reject(denied) }).catch((e: unknown) => e);
    expect(isFootnoteError(err, 'CORPUS_FILE_UNREADABLE')).toBe(true);
    expect((err as Error).message).toContain('locked.md');
    expect((err as Error).cause).toBe(denied);
  });

  it('given a folder named like a document, treats it as a folder', async () => {
    await mkdir(path.join(dir, 'trap.md'));
    await writeFile(path.join(dir, 'trap.md', 'inside.txt'), 'Inside.');
    expect((await loadCorpus(dir)).map((d) => d.path)).toEqual(['trap.md/inside.txt']);
  });
});

describe('corpusChecksum', () => {
  it('changes when a document changes and ignores order', () => {
    const a = { path: 'a.md', sha256: '1' };
    const b = { path: 'b.md', sha256: '2' };
    expect(corpusChecksum([a, b])).toBe(corpusChecksum([b, a]));
    expect(corpusChecksum([a, b])).not.toBe(corpusChecksum([a, { ...b, sha256: '3' }]));
    expect(corpusChecksum([a, b])).not.toBe(corpusChecksum([a]));
  });
});

describe('firstInvalidUtf8Byte', () => {
  it('finds overlong forms, surrogates and truncated sequences', () => {
    expect(firstInvalidUtf8Byte(new TextEncoder().encode('ok Казахстан 中国 😀'))).toBe(-1);
    expect(firstInvalidUtf8Byte(Uint8Array.from([0x41, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Byte(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8Byte(Uint8Array.from([0x41, 0x42, 0xe4, 0xb8]))).toBe(2);
  });
});
