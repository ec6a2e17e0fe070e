import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinLine } from '../../src/corpus/formats/pdf.js';
import { readCorpus, readDocument } from '../../src/corpus/load-corpus.js';
import { splitPassages } from '../../src/corpus/split-passages.js';
import type { CorpusDocument, Passage } from '../../src/corpus/types.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/formats');

async function fixture(name: string): Promise<{ doc: CorpusDocument; passages: Passage[] }> {
  const doc = await readDocument(name, await readFile(path.join(FIXTURES, name)));
  return { doc, passages: splitPassages(doc) };
}

/** The passage quoting `sentence`, checked to be an exact slice of the document's text. */
function passageWith(doc: CorpusDocument, passages: readonly Passage[], sentence: string): Passage {
  const p = passages.find((x) => x.text.includes(sentence));
  expect(p, `no passage holds "${sentence}"`).toBeDefined();
  expect(doc.text.slice(p!.start, p!.end)).toBe(p!.text);
  return p!;
}

describe('PDF (pdf.js)', () => {
  it('given a three-page report, finds a known sentence, quotes it exactly and cites its page and section', async () => {
    const { doc, passages } = await fixture('report.pdf');
    expect(doc.format).toBe('pdf');
    expect(doc.title).toBe('Quarterly Water Report');
    const p = passageWith(doc, passages, 'Crews replaced 12 kilometres of cast iron pipe in the old town district.');
    expect(p.page).toBe(2);
    expect(p.section).toBe('Pipeline maintenance');
    const outlook = passageWith(doc, passages, 'Rainfall forecasts suggest the reservoir will stay above 35 million');
    expect(outlook.page).toBe(3);
    expect(outlook.headings).toEqual(['Outlook']);
  });

  it('joins a word hyphenated at a line end and drops the running header and page numbers', async () => {
    const { doc } = await fixture('report.pdf');
    expect(doc.text).toContain('a new filtration system that removes microplastics');
    expect(doc.text).not.toContain('fil-');
    expect(doc.text).not.toContain('Northfield Water Board');
    expect(doc.text).not.toMatch(/Page \d of 3/u);
  });

  it('joins hyphenated words only before a lower-case letter', () => {
    expect(joinLine('a well-', 'known fact')).toBe('a wellknown fact');
    expect(joinLine('Kazakh-', 'Chinese trade')).toBe('Kazakh- Chinese trade');
    expect(joinLine('pages 3 -', 'five')).toBe('pages 3 - five');
  });

  it.each([
    ['scanned.pdf', 'has no text layer; OCR it first'],
    ['encrypted.pdf', 'is encrypted (password protected)'],
    ['corrupt.pdf', 'is not a readable PDF'],
    ['zero-pages.pdf', 'has no pages'],
  ])('given %s, refuses it naming the file and why', async (name, why) => {
    const err = await fixture(name).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`Corpus file ${name} ${why}`);
  });
});

describe('HTML (parse5)', () => {
  it('keeps the main content with its headings as sections, and drops navigation, scripts, styles and chrome', async () => {
    const { doc, passages } = await fixture('guide.html');
    expect(doc.title).toBe('Composting at Home');
    const p = passageWith(doc, passages, 'Turn the heap every two weeks so that air reaches the middle.');
    expect(p.section).toBe('Turning the heap');
    expect(p.page).toBeUndefined();
    expect(passageWith(doc, passages, 'Meat | It attracts rats.').section).toBe('What not to add');
    for (const gone of ['tracking', 'font-family', 'Recipes for the garden shop', 'Sign in', 'Buy our compost', 'Copyright']) {
      expect(doc.text).not.toContain(gone);
    }
  });
});

describe('DOCX (mammoth)', () => {
  it('reads Word headings as sections and tables as rows', async () => {
    const { doc, passages } = await fixture('handbook.docx');
    expect(doc.title).toBe('Volunteer Handbook');
    const p = passageWith(doc, passages, 'Tools can be borrowed for up to fourteen days with a library card.');
    expect(p.headings).toEqual(['Getting started', 'Tool library']);
    expect(doc.text).toContain('Ladder | 3 days');
  });

  it.each([
    ['corrupt.docx', 'is not a readable DOCX file'],
    ['encrypted.docx', 'is encrypted (password protected) or an old .doc file'],
  ])('given %s, refuses it naming the file and why', async (name, why) => {
    const err = await fixture(name).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`Corpus file ${name} ${why}`);
  });
});

describe('a corpus of every format with bad files among them', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'footnote-formats-'));
    await cp(FIXTURES, dir, { recursive: true });
    await writeFile(path.join(dir, 'notes.md'), '# Notes\n\nPlain markdown still reads.\n');
    await writeFile(path.join(dir, 'empty.html'), '<html><body><nav>Menu</nav><h1>Only a heading</h1></body></html>');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the good files and names each bad one with its reason', async () => {
    const { documents, skipped } = await readCorpus(dir);
    expect(documents.map((d) => d.path)).toEqual(['guide.html', 'handbook.docx', 'notes.md', 'report.pdf']);
    expect(skipped.map((s) => s.path)).toEqual([
      'corrupt.docx',
      'corrupt.pdf',
      'empty.html',
      'encrypted.docx',
      'encrypted.pdf',
      'scanned.pdf',
      'zero-pages.pdf',
    ]);
    expect(skipped.find((s) => s.path === 'empty.html')?.reason).toContain('has only headings');
  });
});
