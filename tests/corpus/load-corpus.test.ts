import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFootnoteError } from '../../src/errors.js';
import {
  corpusChecksum,
  firstInvalidUtf8Byte,
  loadCorpus,
  parseDocument,
  readCorpus,
} from '../../src/corpus/load-corpus.js';
import { embeddingText, splitPassages } from '../../src/corpus/split-passages.js';
import { readableFileName } from '../../src/corpus/title.js';
import { guessEncoding } from '../../src/corpus/formats/encoding.js';

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
    // Mostly English text: its English title heading, in title case, not the all-capital Russian one above it.
    expect(md?.title).toBe('The Sino-Kazakh Strategic Partnership and the Bilateral Economic Cooperation');
    expect(md?.rawTitle).toBe('КИТАЙСКО-КАЗАХСТАНСКОЕ СТРАТЕГИЧЕСКОЕ ПАРТНЕРСТВО И ДВУСТОРОННЕЕ ЭКОНОМИЧЕСКОЕ СОТРУДНИЧЕСТВО');
  });

  describe('display titles', () => {
    const read = (relPath: string, text: string) => parseDocument(relPath, new TextEncoder().encode(text));
    const english = 'Trade between the two countries grew quickly after the agreement was signed. '.repeat(6);

    it('given an all-capital Russian heading over an English heading in a mostly English document, takes the English one', () => {
      const doc = read(
        'sino.md',
        `# КИТАЙСКО-КАЗАХСТАНСКОЕ СТРАТЕГИЧЕСКОЕ ПАРТНЕРСТВО\n\n## Аннотация\n\nКраткое описание.\n\n## POLITICAL SCIENCE\n\n# THE SINO-KAZAKH STRATEGIC PARTNERSHIP\n\n## Abstract\n\n${english}\n`,
      );
      expect(doc.title).toBe('The Sino-Kazakh Strategic Partnership');
      expect(doc.rawTitle).toBe('КИТАЙСКО-КАЗАХСТАНСКОЕ СТРАТЕГИЧЕСКОЕ ПАРТНЕРСТВО');
    });

    it('gives passages the readable title and keeps the title as written for search', () => {
      const doc = read('sino.md', `# КИТАЙСКО-КАЗАХСТАНСКОЕ ПАРТНЕРСТВО\n\n# THE SINO-KAZAKH STRATEGIC PARTNERSHIP\n\n${english}\n`);
      const [p] = splitPassages(doc);
      expect(p?.title).toBe('The Sino-Kazakh Strategic Partnership');
      expect(p?.searchTitle).toBe('КИТАЙСКО-КАЗАХСТАНСКОЕ ПАРТНЕРСТВО');
      expect(p && embeddingText(p)).toMatch(/^КИТАЙСКО-КАЗАХСТАНСКОЕ ПАРТНЕРСТВО › THE SINO-KAZAKH STRATEGIC PARTNERSHIP\n/u);
      const plain = read('plain.md', `# Plain Title\n\n${english}\n`);
      expect(plain.rawTitle).toBeUndefined();
      expect(splitPassages(plain)[0]?.searchTitle).toBeUndefined();
    });

    it('given a mostly Russian document, takes its Russian heading in sentence case', () => {
      const russian = 'Торговля между странами быстро росла после подписания соглашения. '.repeat(6);
      const doc = read('ru.md', `# КИТАЙСКО-КАЗАХСТАНСКОЕ СТРАТЕГИЧЕСКОЕ ПАРТНЕРСТВО\n\n# THE SINO-KAZAKH STRATEGIC PARTNERSHIP\n\n${russian}\n`);
      expect(doc.title).toBe('Китайско-казахстанское стратегическое партнерство');
    });

    it('given a front matter title, takes it over every heading, all capitals made readable', () => {
      expect(read('a.md', `---\ntitle: Trade Notes\n---\n# THE SINO-KAZAKH STRATEGIC PARTNERSHIP\n\n${english}\n`).title).toBe('Trade Notes');
      expect(read('b.txt', `---\ntitle: TRADE OF THE REGION\n---\n${english}\n`).title).toBe('Trade of the Region');
    });

    it('given no title nor heading, or plain text whose short lines name sections, takes the file name made readable', () => {
      expect(read('notes/trade_after-agreement.md', `${english}\n`).title).toBe('Trade after agreement');
      expect(read('kazakh-notes.txt', `Investments and Projects\n${english}\n`).title).toBe('Kazakh notes');
      expect(readableFileName('notes/my-file.md')).toBe('My file');
    });
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

  /** Reads `dir`, expecting `good.txt` read and exactly one file skipped; returns the skip message. */
  async function skippedReason(): Promise<string> {
    const warnings: string[] = [];
    const docs = await loadCorpus(dir, { warn: (m) => warnings.push(m) });
    expect(docs.map((d) => d.path)).toEqual(['good.txt']);
    expect(warnings).toHaveLength(1);
    return warnings[0] ?? '';
  }

  it('given a cp1251 file, skips it with a warning naming the file, the byte offset, the encoding and how to convert it', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    // "OK Китай страна" in Windows-1251.
    await writeFile(
      path.join(dir, 'russian.txt'),
      Buffer.from([0x4f, 0x4b, 0x20, 0xca, 0xe8, 0xf2, 0xe0, 0xe9, 0x20, 0xf1, 0xf2, 0xf0, 0xe0, 0xed, 0xe0]),
    );
    const warning = await skippedReason();
    expect(warning).toContain('russian.txt');
    expect(warning).toContain('offset 3');
    expect(warning).toContain('Windows-1251');
    expect(warning).toContain('iconv -f cp1251 -t utf-8');
    expect(warning).toMatch(/Skipped russian\.txt/u);
  });

  it('given a Latin-1 file, suggests latin1 rather than cp1251', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    await writeFile(path.join(dir, 'french.txt'), Buffer.from('Le caf\xe9 est tr\xe8s bon, d\xe9j\xe0 vu.', 'latin1'));
    const warning = await skippedReason();
    expect(warning).toContain('iconv -f latin1 -t utf-8');
    expect(warning).not.toContain('cp1251');
  });

  it('guesses Windows-1252 from its curly quotes and KOI8-R from where its lower-case letters sit', () => {
    expect(guessEncoding(Buffer.from('He said \x93hello\x94 to me', 'latin1')).iconv).toBe('cp1252');
    // "привет мир" in KOI8-R: lower case at 0xC0-0xDF.
    expect(guessEncoding(Buffer.from([0xd0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x20, 0xcd, 0xc9, 0xd2])).iconv).toBe('koi8-r');
  });

  it('given UTF-16 LE and BE files with a byte order mark, reads them', async () => {
    const text = '# Заголовок\n\nUTF-16 text is read. Второе предложение.\n';
    await writeFile(path.join(dir, 'le.md'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = Buffer.from(text, 'utf16le');
    be.swap16();
    await writeFile(path.join(dir, 'be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    const docs = await loadCorpus(dir);
    expect(docs.map((d) => d.text.replace(/^\uFEFF/u, ''))).toEqual([text, text]);
    expect(docs.find((d) => d.path === 'le.md')?.title).toBe('Заголовок');
  });

  it('given UTF-16 without a byte order mark, names UTF-16LE and the iconv command', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    await writeFile(path.join(dir, 'nobom.txt'), Buffer.from('Plain English text in UTF-16.', 'utf16le'));
    expect(await skippedReason()).toContain('iconv -f utf-16le');
  });

  it('given a few NUL and control characters, keeps them out of the text as spaces, offsets unchanged', async () => {
    const raw = 'Revenue\u0000 grew\u0007 by 5%.\u001b[0m Costs fell.\r\n\tTabs stay.';
    await writeFile(path.join(dir, 'ctl.txt'), raw);
    const [doc] = await loadCorpus(dir);
    expect(doc?.text).toHaveLength(raw.length);
    expect(doc?.text).toBe('Revenue  grew  by 5%. [0m Costs fell.\r\n\tTabs stay.');
  });

  it('given a file full of control characters, skips it as binary', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    await writeFile(path.join(dir, 'blob.txt'), Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 7) % 32)));
    expect(await skippedReason()).toMatch(/blob\.txt looks binary/u);
  });

  it('given a UTF-8 byte order mark before the first heading, still takes the title from it', async () => {
    await writeFile(path.join(dir, 'bom.md'), '\uFEFF# Real Title\n\nBody text.\n');
    const [doc] = await loadCorpus(dir);
    expect(doc?.title).toBe('Real Title');
  });

  it('given an empty or blank file, skips it naming the file', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    await writeFile(path.join(dir, 'empty.md'), '');
    expect(await skippedReason()).toContain('empty.md is empty');
    await writeFile(path.join(dir, 'empty.md'), '---\ntitle: x\n---\n \n\n');
    expect(await skippedReason()).toContain('empty after its front matter');
  });

  it('given a markdown file of headings only, skips it saying so', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    await writeFile(path.join(dir, 'heads.md'), '\uFEFF# Title\n\n## Part one\n\nPart two\n--------\n');
    expect(await skippedReason()).toContain('heads.md has only headings');
  });

  it('given malformed front matter, skips the file naming it', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    await writeFile(path.join(dir, 'bad.md'), '---\ntitle: [unclosed\n---\nBody.\n');
    expect(await skippedReason()).toMatch(/bad\.md has front matter that is not valid YAML/u);
  });

  it('given front matter without its closing line, skips the file rather than reading it as body', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Fine.');
    await writeFile(path.join(dir, 'open.md'), '---\ntitle: Never closed\nauthor: Someone\n\nBody text.\n');
    expect(await skippedReason()).toMatch(/open\.md has front matter that never ends.*closing ---/u);
  });

  it('given only bad files, reports an empty corpus listing why each was skipped', async () => {
    await writeFile(path.join(dir, 'empty.md'), '');
    const err = await loadError(dir);
    expect(isFootnoteError(err, 'CORPUS_EMPTY')).toBe(true);
    expect((err as Error).message).toContain('empty.md is empty');
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

  it('given a file that cannot be read, skips it naming it and the cause', async () => {
    await writeFile(path.join(dir, 'locked.md'), 'Fine.');
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const { skipped } = await readCorpus(dir, {
      readFile: (p) => (p.endsWith('locked.md') ? Promise.reject(denied) : readFile(p)),
    }).catch(() => ({ skipped: [] }));
    expect(skipped).toEqual([]);
    const err = await loadCorpus(dir, { readFile: () => Promise.reject(denied), warn: () => undefined }).catch((e: unknown) => e);
    expect(isFootnoteError(err, 'CORPUS_EMPTY')).toBe(true);
    expect((err as Error).message).toContain('locked.md');
    expect((err as Error).message).toContain('EACCES');
  });

  it('given a folder named like a document, treats it as a folder', async () => {
    await mkdir(path.join(dir, 'trap.md'));
    await writeFile(path.join(dir, 'trap.md', 'inside.txt'), 'Inside.');
    expect((await loadCorpus(dir)).map((d) => d.path)).toEqual(['trap.md/inside.txt']);
  });
});

describe('loadCorpus and symbolic links', () => {
  it('given `ln -s . a` twice, does not hang and reads each file once, naming the loops', async () => {
    await writeFile(path.join(dir, 'doc.md'), 'Only once.');
    await symlink('.', path.join(dir, 'a'));
    await symlink('.', path.join(dir, 'b'));
    const { documents, skipped } = await readCorpus(dir);
    expect(documents.map((d) => d.path)).toEqual(['doc.md']);
    expect(skipped.map((s) => s.path)).toEqual(['a', 'b']);
    expect(skipped[0]?.reason).toContain('link loop');
  });

  it('given `ln -s .. a`, does not read the folder above the corpus', async () => {
    const corpus = path.join(dir, 'corpus');
    await mkdir(corpus);
    await writeFile(path.join(corpus, 'doc.md'), 'Inside.');
    await writeFile(path.join(dir, 'outside.md'), 'Outside.');
    await symlink('..', path.join(corpus, 'a'));
    const { documents, skipped } = await readCorpus(corpus);
    expect(documents.map((d) => d.path)).toEqual(['doc.md']);
    expect(skipped[0]?.reason).toContain('points outside the corpus folder');
  });

  it('given a link to a file outside the corpus, skips it and never serves its text', async () => {
    const corpus = path.join(dir, 'corpus');
    await mkdir(corpus);
    await writeFile(path.join(corpus, 'doc.md'), 'Inside.');
    await writeFile(path.join(dir, 'secret.txt'), 'Secret text.');
    await symlink(path.join(dir, 'secret.txt'), path.join(corpus, 'secret.txt'));
    const warnings: string[] = [];
    const docs = await loadCorpus(corpus, { warn: (m) => warnings.push(m) });
    expect(docs.map((d) => d.text)).toEqual(['Inside.']);
    expect(warnings.join('\n')).toMatch(/secret\.txt points outside the corpus folder/u);
  });

  it('given links inside the corpus, follows them and reads each real file once, under its own path', async () => {
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'sub', 'real.md'), 'Real.');
    await symlink('sub', path.join(dir, 'alias'));
    await symlink('sub/real.md', path.join(dir, 'a-link.md'));
    await mkdir(path.join(dir, 'other'));
    await writeFile(path.join(dir, 'other', 'x.txt'), 'X.');
    await symlink('../other', path.join(dir, 'sub', 'to-other'));
    await symlink('../sub', path.join(dir, 'other', 'to-sub'));
    await mkdir(path.join(dir, 'linked-only'));
    await symlink('../linked-only', path.join(dir, 'sub', 'inner'));
    await rm(path.join(dir, 'linked-only'), { recursive: true });
    await mkdir(path.join(dir, '.store'));
    await writeFile(path.join(dir, '.store', 'kept.md'), 'Reached through a link only.');
    await symlink('.store', path.join(dir, 'store'));
    const { documents, skipped } = await readCorpus(dir);
    expect(documents.map((d) => d.path)).toEqual(['other/x.txt', 'store/kept.md', 'sub/real.md']);
    expect(skipped).toEqual([]); // a broken link without a document's extension is not a document
  });

  it('given a broken link, names it', async () => {
    await writeFile(path.join(dir, 'doc.md'), 'Fine.');
    await symlink('missing.md', path.join(dir, 'gone.md'));
    const { skipped } = await readCorpus(dir);
    expect(skipped[0]?.reason).toContain('gone.md points to nothing');
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
