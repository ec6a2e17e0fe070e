import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldTerm } from '../../src/language/fold.js';
import { identifierParts, tokenize } from '../../src/language/tokenize.js';

describe('tokenize', () => {
  it('given mixed case, diacritics and apostrophes, folds them alike', () => {
    const terms = tokenize("Kazakhstan’s KAZAKHSTAN'S Café CAFE Ёлка елка").map((t) => t.term);
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

describe('tokenize: code', () => {
  const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.term}`);

  it('given camelCase and snake_case words, gives the whole word and its parts', () => {
    expect(kinds('deferReply')).toEqual(['word:deferreply', 'part:defer', 'part:reply']);
    expect(kinds('snake_case')).toEqual(['word:snake_case', 'part:snake', 'part:case']);
    expect(kinds('XMLHttpRequest')).toEqual(['word:xmlhttprequest', 'part:xml', 'part:http', 'part:request']);
  });

  it('given paths, gives the whole path and its words', () => {
    expect(kinds('std::thread::spawn')).toEqual([
      'code:std::thread::spawn',
      'word:std',
      'word:thread',
      'word:spawn',
    ]);
    expect(kinds('Vec::new')).toEqual(['code:vec::new', 'word:vec', 'word:new']);
    expect(kinds('Client#login()')).toEqual(['code:client#login', 'word:client', 'word:login']);
    expect(kinds('@discordjs/voice')).toEqual(['code:@discordjs/voice', 'word:discordjs', 'word:voice']);
  });

  it('given generic types, gives the whole type and its names, and the parts of each name', () => {
    expect(kinds('Box<T>')).toEqual(['code:box<t>', 'word:box', 'word:t']);
    expect(kinds('HashMap<String, i32>')).toEqual([
      'code:hashmap<string,i32>',
      'word:hashmap',
      'part:hash',
      'part:map',
      'word:string',
      'word:i32',
    ]);
  });

  it('locates parts and wholes in the original text', () => {
    const text = 'Call `interaction.deferReply()` then std::thread::spawn(f).';
    for (const t of tokenize(text)) expect(foldTerm(text.slice(t.start, t.end))).toBe(t.term);
    expect(tokenize(text).map((t) => t.term)).toEqual(
      expect.arrayContaining([
        'interaction.deferreply',
        'interaction',
        'defer',
        'reply',
        'std::thread::spawn',
      ]),
    );
  });

  it('given prose, gives exactly the words of the word segmenter and nothing more', () => {
    const prose =
      'The iPhone and a PhD, e.g. IPv4 at 2.9% in the U.S. and/or Kazakhstan’s McKinsey-style report: a < b > c. ' +
      'Казахстан и Китай — 中国人民 😀; C# and F# (see #12) @everyone.';
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
    const words = [...segmenter.segment(prose)].filter((s) => s.isWordLike).map((s) => foldTerm(s.segment));
    expect(tokenize(prose).map((t) => t.term)).toEqual(words);
    expect(tokenize(prose).every((t) => t.kind === 'word')).toBe(true);
  });

  it('given any text (property), returns tokens in order with non-empty terms inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        let previous = 0;
        for (const t of tokenize(text)) {
          expect(t.term).not.toBe('');
          expect(t.start).toBeGreaterThanOrEqual(previous);
          expect(t.end).toBeLessThanOrEqual(text.length);
          previous = t.start;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('identifierParts', () => {
  it('cuts only identifiers whose pieces have two characters or more', () => {
    expect(identifierParts('node.js').map((p) => p.text)).toEqual(['node', 'js']);
    expect(identifierParts('__init__').map((p) => p.text)).toEqual(['init']);
    expect(identifierParts('_s')).toEqual([]);
    for (const word of ['e.g', '2.9', 'iPhone', 'PhD', 'IPv4', 'HTTP', 'word', 'Казахстан', "it's"]) {
      expect(identifierParts(word), word).toEqual([]);
    }
  });
});
