import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldTerm, isStopword, splitSentences, stemTerm, tokenize } from '../../src/corpus/text.js';

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

  it('given headings and list items on their own lines, never joins across the line break', () => {
    const text = 'Trade\nOver the past years trade grew\n1. First item\n2. Second item\n## Heading\nnext line.';
    expect(sentences(text)).toEqual([
      'Trade',
      'Over the past years trade grew',
      '1. First item',
      '2. Second item',
      '## Heading',
      'next line.',
    ]);
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

  it('given any text, returns trimmed, ordered spans covering every non-space character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
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
          if (!covered[i]) expect(text[i]?.trim()).toBe('');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('tokenize', () => {
  it('given mixed case, diacritics and apostrophes, folds them alike', () => {
    const terms = tokenize('Kazakhstan’s KAZAKHSTAN\'S Café CAFE Ёлка елка').map((t) => t.term);
    expect(terms).toEqual(["kazakhstan's", "kazakhstan's", 'cafe', 'cafe', 'елка', 'елка']);
  });

  it('given numbers, keeps them whole as terms', () => {
    const terms = tokenize('In 1992 it was \\$ 14,539.3 million, or 2.9%.').map((t) => t.term);
    expect(terms).toEqual(['in', '1992', 'it', 'was', '14,539.3', 'million', 'or', '2.9']);
  });

  it('given Chinese and Russian, returns words with offsets into the original', () => {
    const text = 'Китай и 中国人民 😀 Казахстан';
    const tokens = tokenize(text);
    for (const t of tokens) expect(foldTerm(text.slice(t.start, t.end))).toBe(t.term);
    expect(tokens.map((t) => t.term)).toContain('казахстан');
    expect(tokens.map((t) => t.term).join('')).toContain('中国');
  });
});

describe('foldTerm and stemTerm', () => {
  it('keeps й distinct from и, and folds ё to е', () => {
    expect(foldTerm('Китай')).toBe('китай');
    expect(foldTerm('ЗАВЕРШЁН')).toBe('завершен');
  });

  it('given Russian word forms, stems them to the same stem', () => {
    const stem = (w: string): string => stemTerm(foldTerm(w));
    expect(stem('Казахстаном')).toBe(stem('Казахстан'));
    expect(stem('Казахстана')).toBe(stem('Казахстан'));
    expect(stem('Китаем')).toBe(stem('Китай'));
    expect(stem('завершён')).toBe(stem('завершен'));
    expect(stem('кормов')).toBe(stem('корма'));
  });

  it('given English word forms, stems them with the English stemmer', () => {
    expect(stemTerm(foldTerm('Investments'))).toBe(stemTerm('investment'));
    expect(stemTerm(foldTerm('Kazakhstan’s'))).toBe(stemTerm('kazakhstan'));
  });

  it('leaves numbers and other scripts unchanged', () => {
    expect(stemTerm('14,539.3')).toBe('14,539.3');
    expect(stemTerm('中国')).toBe('中国');
  });

  it('knows English and Russian function words, not content words', () => {
    expect(isStopword('the')).toBe(true);
    expect(isStopword('и')).toBe(true);
    expect(isStopword('kazakhstan')).toBe(false);
    expect(isStopword('китай')).toBe(false);
  });
});
