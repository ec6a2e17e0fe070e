import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/corpus/text.js';

function sentences(text: string): string[] {
  return splitSentences(text).map((s) => text.slice(s.start, s.end));
}

describe('splitSentences', () => {
  it('given Russian text, splits at sentence ends and keeps initials and abbreviations', () => {
    const text = 'Рахимжанова Д. А. изучает Китай, т. е. его экономику. В 2021 г. Казахстан рос! Почему? Потому что.';
    expect(sentences(text)).toEqual([
      'Рахимжанова Д. А. изучает Китай, т. е. его экономику.',
      'В 2021 г. Казахстан рос!',
      'Почему?',
      'Потому что.',
    ]);
  });

  it('given Chinese text without spaces, splits at 。！？', () => {
    expect(sentences('中国和哈萨克斯坦是邻国。两国关系很好！你知道吗？')).toEqual([
      '中国和哈萨克斯坦是邻国。',
      '两国关系很好！',
      '你知道吗？',
    ]);
  });

  it('given initials, amounts and decimals, does not split inside them', () => {
    const text =
      'For citation: Rakhimzhanova D. A. The Sino-Kazakh strategic partnership. ' +
      'Kazakhstan began 14 rail and road projects with a total funding of \\$ 14,539.3 million (Figure 5). ' +
      'The share rose to a record of 2.9%. Projects range (e.g. small plants) to No. 4 pipelines. Figure 1. The border.';
    expect(sentences(text)).toEqual([
      'For citation: Rakhimzhanova D. A. The Sino-Kazakh strategic partnership.',
      'Kazakhstan began 14 rail and road projects with a total funding of \\$ 14,539.3 million (Figure 5).',
      'The share rose to a record of 2.9%.',
      'Projects range (e.g. small plants) to No. 4 pipelines.',
      'Figure 1. The border.',
    ]);
  });

  it('given headings and list items on their own lines, starts a sentence at each, without the heading marker', () => {
    const text = 'Trade\nOver the past years trade grew\n1. First item\n2. Second item\n## Heading\nnext line.';
    expect(sentences(text)).toEqual([
      'Trade\nOver the past years trade grew',
      '1. First item',
      '2. Second item',
      'Heading',
      'next line.',
    ]);
  });

  it('given a hard-wrapped paragraph, never ends a sentence at a single line break', () => {
    const text =
      'This is\na sentence wrapped\nHere and There over lines. The term _macro_ refers to a family\nof features in Rust:\n' +
      'declarative macros\nwith `macro_rules!` and\nthree kinds of procedural macros.\n\nA new paragraph.';
    expect(sentences(text)).toEqual([
      'This is\na sentence wrapped\nHere and There over lines.',
      'The term _macro_ refers to a family\nof features in Rust:\ndeclarative macros\nwith `macro_rules!` and\nthree kinds of procedural macros.',
      'A new paragraph.',
    ]);
  });

  it('given block quotes, tables and list items, separates them and drops quote markers and outer pipes', () => {
    const text = 'Intro line\n> Quoted text that\n> goes on.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n- item one\n  continued\n- item two';
    expect(sentences(text)).toEqual(['Intro line', 'Quoted text that\n> goes on.', 'a | b', '1 | 2', '- item one\n  continued', '- item two']);
  });

  it('keeps a fenced code block whole and drops markup-only lines and include-only code', () => {
    const text = [
      'Here is the error:',
      '',
      '<Listing number="4-6" file-name="src/main.rs">',
      '',
      '```console',
      '$ cargo run',
      'error[E0499]: cannot borrow. Really!',
      '',
      'more output',
      '```',
      '',
      '</Listing>',
      '',
      '```rust',
      '{{#rustdoc_include ../listings/main.rs:here}}',
      '```',
      '',
      '::: warning',
      'Be <span class="x">careful</span>.',
      ':::',
      '{{#include ../output.txt}}',
      '<span class="filename">Filename: src/main.rs</span>',
      '<!-- a comment -->',
      '***',
    ].join('\n');
    expect(sentences(text)).toEqual([
      'Here is the error:',
      '```console\n$ cargo run\nerror[E0499]: cannot borrow. Really!\n\nmore output\n```',
      'Be <span class="x">careful</span>.',
      'Filename: src/main.rs',
    ]);
  });

  it('never ends a sentence inside a code span', () => {
    expect(sentences('Look at `println!` and `x.len()` here. Next one.')).toEqual(['Look at `println!` and `x.len()` here.', 'Next one.']);
  });

  it('given a 2 MB single paragraph, splits it in linear time', () => {
    const sentence = 'The borrow checker compares scopes to determine whether all borrows are valid, e.g. in Chapter 10. ';
    const wrapped = sentence.replace(/, /u, ',\n');
    for (const unit of [sentence, wrapped]) {
      const text = unit.repeat(Math.ceil(2_000_000 / unit.length));
      const started = performance.now();
      const spans = splitSentences(text);
      const ms = performance.now() - started;
      console.log(`splitSentences: ${(text.length / 1e6).toFixed(1)} MB paragraph${unit === wrapped ? ' (hard-wrapped)' : ''} in ${ms.toFixed(0)} ms`);
      expect(spans).toHaveLength(Math.ceil(2_000_000 / unit.length));
      expect(text.slice(spans[1]?.start, spans[1]?.end)).toBe(unit.trim());
    }
  });

  it('given a sentence wrapped onto a line that continues in lowercase, keeps it whole', () => {
    const text = 'The pipeline was completed\nin 2005 by CNPC. It works.\r\nNext paragraph.';
    expect(sentences(text)).toEqual(['The pipeline was completed\nin 2005 by CNPC.', 'It works.', 'Next paragraph.']);
  });

  it('given a range, returns absolute offsets inside it', () => {
    const text = 'Skip this. Take this one. And this. Not this.';
    const start = text.indexOf('Take');
    const end = text.indexOf('Not');
    expect(splitSentences(text, start, end).map((s) => text.slice(s.start, s.end))).toEqual(['Take this one.', 'And this.']);
  });

  it('given any text without markup, returns trimmed, ordered spans covering every letter and digit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        if (/[<`~[]|\{\{|:::/u.test(text)) return;
        const spans = splitSentences(text);
        let prevEnd = 0;
        const covered = new Array<boolean>(text.length).fill(false);
        for (const s of spans) {
          const piece = text.slice(s.start, s.end);
          expect(piece.length).toBeGreaterThan(0);
          expect(piece.trim()).toBe(piece);
          expect(s.start).toBeGreaterThanOrEqual(prevEnd);
          prevEnd = s.end;
          for (let i = s.start; i < s.end; i++) covered[i] = true;
        }
        for (let i = 0; i < text.length; i++) {
          if (!covered[i]) expect(text[i]).not.toMatch(/[\p{L}\p{N}]/u);
        }
      }),
      { numRuns: 300 },
    );
  });
});
