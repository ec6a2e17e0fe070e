import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCorpus, parseDocument } from '../../src/corpus/load-corpus.js';
import { plainText } from '../../src/corpus/markdown.js';
import {
  DEFAULT_PASSAGE_SETTINGS,
  embeddingText,
  findHeadings,
  maskedText,
  splitPassages,
} from '../../src/corpus/split-passages.js';
import { splitSentences } from '../../src/corpus/text.js';
import type { CorpusDocument, Passage, PassageSettings } from '../../src/corpus/types.js';

const BUNDLED = path.resolve(import.meta.dirname, '../../corpus');

function doc(relPath: string, text: string): CorpusDocument {
  return parseDocument(relPath, new TextEncoder().encode(text));
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text[i] === '\n') n++;
  return n;
}

/** Every invariant a passage list must keep, whatever the document. */
function expectWellFormed(d: CorpusDocument, passages: readonly Passage[], settings: PassageSettings): void {
  let prevEnd = d.bodyStart;
  const ids = new Set<string>();
  passages.forEach((p, i) => {
    expect(p.text).toBe(d.text.slice(p.start, p.end));
    expect(p.text.length).toBeGreaterThan(0);
    expect(p.text.trim()).toBe(p.text);
    expect(p.start).toBeGreaterThanOrEqual(prevEnd);
    expect(p.end).toBeGreaterThan(p.start);
    expect(p.ordinal).toBe(i);
    expect(p.lineStart).toBe(lineOf(d.text, p.start));
    expect(p.lineEnd).toBe(lineOf(d.text, p.end - 1));
    expect(p.doc).toBe(d.path);
    expect(p.title).toBe(d.title);
    expect(p.id.startsWith(`${d.path}#${i}-`)).toBe(true);
    expect(p.id).toMatch(/#\d+-[0-9a-f]{8}$/u);
    ids.add(p.id);
    prevEnd = p.end;
    // Longer only when a single grapheme is longer than the limit (tiny limits on hostile text).
    if (settings.maxChars >= 20) expect(p.text.length).toBeLessThanOrEqual(Math.max(settings.targetChars, settings.maxChars));
  });
  expect(ids.size).toBe(passages.length);
  // No passage starts or ends with markup, or is only markup.
  for (const p of passages) {
    expect(p.text).not.toMatch(STARTS_WITH_MARKUP);
    expect(p.text).not.toMatch(ENDS_WITH_MARKUP);
    // (Under tiny limits a long code block is cut anywhere, a bare fence line included.)
    if (d.path.endsWith('.md') && settings.maxChars >= 100) expect(plainText(p.text).trim()).not.toBe('');
  }
  // Nothing is lost: every letter or digit of the body outside markup is in a passage or a heading.
  const content = maskedText(d);
  const kept = new Array<boolean>(d.text.length).fill(false);
  for (const s of [...passages, ...findHeadings(d)]) for (let i = s.start; i < s.end; i++) kept[i] = true;
  for (let i = d.bodyStart; i < d.text.length; i++) {
    if (!kept[i] && /[\p{L}\p{N}]/u.test(content[i] ?? '')) {
      throw new Error(`character ${JSON.stringify(d.text[i])} at ${i} is in no passage: ${JSON.stringify(d.text.slice(i - 20, i + 20))}`);
    }
  }
}

const STARTS_WITH_MARKUP = /^(?:<[A-Za-z!/]|:::|\{\{#|\|[-:| ]*\|\s*$)/u;
const ENDS_WITH_MARKUP = /(?:<\/?[A-Za-z][^<>]*>|:::[^\n]*|\}\}|\n\|[-:| ]*\|)$/u;

describe('splitPassages on the bundled corpus', () => {
  it('gives back every passage exactly, in order, with stable unique ids and correct lines', async () => {
    const docs = await loadCorpus(BUNDLED);
    for (const d of docs) {
      const first = splitPassages(d, DEFAULT_PASSAGE_SETTINGS);
      const second = splitPassages(d, DEFAULT_PASSAGE_SETTINGS);
      expect(first.length).toBeGreaterThan(20);
      expectWellFormed(d, first, DEFAULT_PASSAGE_SETTINGS);
      expect(second.map((p) => p.id)).toEqual(first.map((p) => p.id));
      for (const p of first) expect(p.text.length).toBeLessThanOrEqual(DEFAULT_PASSAGE_SETTINGS.maxChars);
    }
  });

  it('sets sections from plain-text headings and leaves them out of passages', async () => {
    const [txt] = await loadCorpus(BUNDLED);
    if (!txt) throw new Error('bundled .txt missing');
    const headings = findHeadings(txt).map((h) => h.text);
    expect(headings).toContain('Trade');
    expect(headings).toContain('Energy Cooperation');
    expect(headings).not.toContain('(The article has been edited.)');
    const passages = splitPassages(txt);
    expect(passages.some((p) => p.text === 'Trade')).toBe(false);
    const trade = passages.find((p) => p.text.includes('$13.16 billion'));
    expect(trade?.section).toBe('Trade');
    expect(passages[0]?.text).toBe('Author: Anton Bugayenko(Republic of Kazakhstan)');
  });

  it('sets sections from markdown headings, cleaned, and keeps amounts inside one passage', async () => {
    const [, md] = await loadCorpus(BUNDLED);
    if (!md) throw new Error('bundled .md missing');
    const passages = splitPassages(md);
    const rail = passages.find((p) => p.text.includes('14 rail and road projects'));
    expect(rail?.text).toContain('\\$ 14,539.3 million');
    expect(rail?.section).toBe("China's investment projects in Kazakhstan and its motives");
    const russian = passages.find((p) => p.text.includes('быстрорастущих экономик'));
    expect(russian?.section).toBe('Аннотация');
    expect(passages.some((p) => p.text.startsWith('#'))).toBe(false);
  });

  it('given a smaller target, makes more and shorter passages', async () => {
    const [, md] = await loadCorpus(BUNDLED);
    if (!md) throw new Error('bundled .md missing');
    const small = { targetChars: 250, maxChars: 600 };
    const passages = splitPassages(md, small);
    expectWellFormed(md, passages, small);
    expect(passages.length).toBeGreaterThan(splitPassages(md).length);
  });
});

describe('splitPassages on small documents', () => {
  it('given markdown, gives the heading path without the title, and joins hard-wrapped paragraphs', () => {
    const text = '# Book\n\nIntro.\n\n## Ownership\n\n### References and *Borrowing*\n\nA reference is like\na pointer. It is\nchecked.\n\n## Other\n\nMore.\n';
    const d = doc('b.md', text);
    const passages = splitPassages(d);
    expectWellFormed(d, passages, DEFAULT_PASSAGE_SETTINGS);
    expect(passages.map((p) => [p.text, p.section, p.headings])).toEqual([
      ['Intro.', 'Book', []],
      ['A reference is like\na pointer. It is\nchecked.', 'References and Borrowing', ['Ownership', 'References and Borrowing']],
      ['More.', 'Other', ['Other']],
    ]);
    expect(embeddingText(passages[1]!)).toBe('Book › Ownership › References and Borrowing\nA reference is like a pointer. It is checked.');
  });

  it('given a lead-in and a code block wrapped in markup, keeps them in one passage without markup at the ends', () => {
    const text = [
      'A first paragraph that says something long enough to stand alone as a passage of its own, really. '.repeat(3),
      '',
      'Here is the error:',
      '',
      '<Listing number="4-6" file-name="src/main.rs" caption="Borrowing">',
      '',
      '```console',
      '$ cargo run',
      'error[E0596]: cannot borrow `*some_string` as mutable',
      '```',
      '',
      '</Listing>',
      '',
      '<span class="filename">Filename: src/lib.rs</span>',
      '',
      '```rust',
      'fn main() {}',
      '```',
      '',
      '::: warning',
      'References are immutable by default.',
      ':::',
      '',
      '{{#include ../listings/output.txt}}',
      '',
      '<!-- comment -->',
    ].join('\n');
    const d = doc('c.md', text);
    const passages = splitPassages(d);
    expectWellFormed(d, passages, DEFAULT_PASSAGE_SETTINGS);
    const error = passages.find((p) => p.text.includes('E0596'));
    expect(error?.text.startsWith('Here is the error:')).toBe(true);
    expect(error?.text.endsWith('```')).toBe(true);
    const lib = passages.find((p) => p.text.includes('fn main'));
    expect(lib?.text.startsWith('Filename: src/lib.rs</span>')).toBe(true);
    expect(passages.at(-1)?.text).toBe('References are immutable by default.');
  });

  it('given a hard-wrapped plain-text paragraph, keeps it one paragraph', () => {
    const text = 'Trade\n\nTrade between the two countries grew\nquickly after 1992 and\nReached a record in 2022.\n\nSecond paragraph here.\n';
    const d = doc('w.txt', text);
    const passages = splitPassages(d, { targetChars: 40, maxChars: 200 });
    expect(passages[0]?.text).toBe('Trade between the two countries grew\nquickly after 1992 and\nReached a record in 2022.');
    expect(passages[0]?.section).toBe('Trade');
    expect(splitSentences(passages[0]?.text ?? '')).toHaveLength(1);
  });

  it('given a 2 MB single paragraph, completes', () => {
    const text = 'The borrow checker compares scopes to determine whether all borrows are\nvalid. '.repeat(25_000);
    for (const path of ['big.md', 'big.txt']) {
      const d = doc(path, text);
      const started = performance.now();
      const passages = splitPassages(d);
      console.log(`splitPassages: ${(text.length / 1e6).toFixed(1)} MB paragraph (${path}) in ${(performance.now() - started).toFixed(0)} ms`);
      expect(passages.length).toBeGreaterThan(3000);
    }
  }, 60_000);

  it('given a markdown table, groups its rows and never emits the separator row alone', () => {
    const text = '# T\n\n| Year | Trade |\n|---|---|\n| 2019 | 8 |\n| 2020 | 15.4 |\n';
    const passages = splitPassages(doc('t.md', text));
    expect(passages).toHaveLength(1);
    expect(passages[0]?.text).toBe('| Year | Trade |\n|---|---|\n| 2019 | 8 |\n| 2020 | 15.4 |');
    expect(passages[0]?.section).toBe('T');
  });

  it('given a lead-in line and a list, keeps them together', () => {
    const text = 'A long first paragraph that says something. '.repeat(6) + '\n\nThe questions are:\n\n1) What?\n\n2) Why?\n';
    const passages = splitPassages(doc('l.md', text));
    expect(passages.at(-1)?.text).toBe('The questions are:\n\n1) What?\n\n2) Why?');
  });

  it('given a sentence longer than maxChars, cuts it at word boundaries', () => {
    const text = `${'word '.repeat(300).trim()}.`;
    const settings = { targetChars: 100, maxChars: 200 };
    const d = doc('long.txt', text);
    const passages = splitPassages(d, settings);
    expect(passages.length).toBeGreaterThan(5);
    for (const p of passages) {
      expect(p.text.length).toBeLessThanOrEqual(200);
      expect(p.text.startsWith('word')).toBe(true);
    }
    expectWellFormed(d, passages, settings);
  });

  it('given front matter, starts passages after it', () => {
    const d = doc('f.md', '---\ntitle: Front\n---\nBody sentence here.\n');
    const passages = splitPassages(d);
    expect(passages.map((p) => p.text)).toEqual(['Body sentence here.']);
    expect(passages[0]?.lineStart).toBe(4);
    expect(passages[0]?.title).toBe('Front');
  });

  it('given CRLF line endings, keeps "\\r" out of passages and counts lines by "\\n"', () => {
    const d = doc('c.txt', 'Heading\r\nFirst paragraph ends here.\r\nSecond paragraph ends here.\r\n');
    const passages = splitPassages(d);
    expect(passages.map((p) => p.text)).toEqual(['First paragraph ends here.\r\nSecond paragraph ends here.']);
    expect(passages[0]?.section).toBe('Heading');
    expect(passages[0]).toMatchObject({ lineStart: 2, lineEnd: 3 });
  });
});

const WORDS = [
  'Kazakhstan', 'China', 'trade', 'grew', 'by', '4%', '\\$ 14,539.3', 'million', 'D. A.', 'e.g.', 'No. 4',
  'Казахстан', 'Китаем', 'т. е.', 'г.', 'сотрудничество', 'ёлка', '中国', '哈萨克斯坦', '合作', '😀', '👩‍👩‍👧', '𝔸𝔹',
  'café', 'naïve', "China's", 'Kazakhstan’s', '«Пояс и путь»', '(1992-1993)', '[7]', '**bold**', '`code`', '—', '–',
];
const END = ['.', '!', '?', '。', '', ':', '…'];

const sentenceArb = fc
  .tuple(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 25 }), fc.constantFrom(...END))
  .map(([words, end]) => words.join(' ') + end);
const paragraphArb = fc.array(sentenceArb, { minLength: 1, maxLength: 8 }).map((s) => s.join(' '));
const headingArb = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
const MARKUP_BLOCKS = [
  '<Listing number="1-1" file-name="src/main.rs">',
  '</Listing>',
  '<span class="filename">Filename: src/main.rs</span>',
  '::: warning',
  ':::',
  '{{#include ../listings/output.txt}}',
  '```rust\n{{#rustdoc_include ../listings/main.rs:here}}\n```',
  '<!-- Old headings. Do not remove. -->',
  '<img alt="A diagram\nof tables" src="x.svg" />',
];
/** A paragraph hard-wrapped at about 40 characters. */
const wrappedArb = paragraphArb.map((p) => p.replace(/(.{30,40}?) /gu, '$1\n'));
const blockArb = fc.oneof(
  { weight: 6, arbitrary: paragraphArb },
  { weight: 3, arbitrary: wrappedArb.map((wrapped) => ({ wrapped })) },
  { weight: 2, arbitrary: fc.constantFrom(...MARKUP_BLOCKS).map((markup) => ({ markup })) },
  { weight: 1, arbitrary: fc.tuple(paragraphArb, headingArb).map(([lead, code]) => ({ lead: `${lead.replace(/[.!?。…:]*$/u, '')}:`, code })) },
  { weight: 2, arbitrary: headingArb.map((h) => ({ heading: h })) },
  { weight: 1, arbitrary: fc.array(headingArb, { minLength: 1, maxLength: 4 }).map((items) => ({ items })) },
  { weight: 1, arbitrary: fc.array(headingArb, { minLength: 1, maxLength: 4 }).map((rows) => ({ rows })) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
);
const docArb = fc.record({
  markdown: fc.boolean(),
  crlf: fc.boolean(),
  blankLines: fc.boolean(),
  frontMatter: fc.boolean(),
  blocks: fc.array(blockArb, { minLength: 1, maxLength: 14 }),
  settings: fc.record({ targetChars: fc.integer({ min: 20, max: 800 }), maxChars: fc.integer({ min: 20, max: 1200 }) }),
});

type DocSpec = typeof docArb extends fc.Arbitrary<infer T> ? T : never;

function render(spec: DocSpec): { relPath: string; text: string } {
  const parts = spec.blocks.map((b) => {
    if (typeof b === 'string') return b;
    if ('heading' in b) return spec.markdown ? `## ${b.heading}` : b.heading;
    if ('wrapped' in b) return b.wrapped;
    // Markup blocks stand apart, as in real documents (an unclosed tag line inside a table would be a row).
    if ('markup' in b) return spec.markdown ? `\n${b.markup}\n` : 'x';
    if ('lead' in b) return spec.markdown ? `${b.lead}\n\n\`\`\`\n${b.code}\n\`\`\`` : b.lead;
    if ('items' in b) return b.items.map((item, i) => `${i + 1}. ${item}`).join('\n');
    return ['| a | b |', '|---|---|', ...b.rows.map((r) => `| ${r} | x |`)].join('\n');
  });
  const nl = spec.crlf ? '\r\n' : '\n';
  let text = parts.join(spec.blankLines ? '\n\n' : '\n').replace(/\n/gu, nl);
  if (spec.frontMatter) text = `---${nl}title: Generated${nl}---${nl}${text}`;
  return { relPath: spec.markdown ? 'gen/doc.md' : 'gen/doc.txt', text: text.trim() === '' ? 'x' : text };
}

describe('splitPassages on generated documents', () => {
  it('keeps every invariant for mixed scripts, emoji, CRLF, headings, lists, tables and blank lines', () => {
    fc.assert(
      fc.property(docArb, (spec) => {
        const { relPath, text } = render(spec);
        if (text.slice(text.startsWith('---') ? text.indexOf('---', 3) + 3 : 0).trim() === '') return;
        const d = doc(relPath, text);
        const first = splitPassages(d, spec.settings);
        expectWellFormed(d, first, spec.settings);
        expect(splitPassages(d, spec.settings).map((p) => p.id)).toEqual(first.map((p) => p.id));
      }),
      { numRuns: 250 },
    );
  });

  it('never ends a passage or a sentence at a line break inside a hard-wrapped paragraph', () => {
    fc.assert(
      // Two paragraphs at least: a .txt file without blank lines is read as one paragraph per line.
      fc.property(fc.array(wrappedArb, { minLength: 2, maxLength: 8 }), fc.boolean(), (paragraphs, markdown) => {
        const text = paragraphs.join('\n\n');
        const d = doc(markdown ? 'w.md' : 'w.txt', text);
        const passages = splitPassages(d);
        expectWellFormed(d, passages, DEFAULT_PASSAGE_SETTINGS);
        const ends = passages.flatMap((p) => splitSentences(d.text, p.start, p.end).map((s) => s.end));
        for (const end of ends) {
          const after = d.text.slice(end, end + 2);
          if (after.startsWith('\n') && after !== '\n\n') expect(d.text.slice(end - 1, end)).toMatch(/[.!?。…]/u);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never breaks on arbitrary text, lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 300 }),
        (text, markdown, target) => {
          const d: CorpusDocument = { path: markdown ? 'r.md' : 'r.txt', title: 'R', text, bodyStart: 0, sha256: '' };
          const settings = { targetChars: target, maxChars: target * 2 };
          expectWellFormed(d, splitPassages(d, settings), settings);
        },
      ),
      { numRuns: 300 },
    );
  });
});
