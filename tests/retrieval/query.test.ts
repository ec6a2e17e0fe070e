import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanQuestion, MAX_QUESTION_CHARS } from '../../src/answer/sanitize.js';
import { stemTerm } from '../../src/language/stem.js';
import { analyzeText } from '../../src/index/lexical.js';
import { analyzeQuery } from '../../src/retrieval/query.js';

const BRI = new Map([['bri', ['belt', 'road', 'initi']]]);

describe('analyzeQuery: Russian words', () => {
  const query = analyzeQuery('нефтепровод');
  const [word] = query.words;

  it('given "нефтепровод", keeps the Russian stem as the first form', () => {
    expect(word?.surface).toBe('нефтепровод');
    expect(word?.forms[0]).toBe(stemTerm('нефтепровод'));
  });

  it('given "нефтепровод", adds its English translations "oil" and "pipeline" as analysed forms', () => {
    expect(word?.forms).toEqual(expect.arrayContaining([...analyzeText('oil pipeline')]));
  });

  it('given "нефтепровод", adds its transliteration "nefteprovod"', () => {
    expect(word?.forms).toContain(stemTerm('nefteprovod'));
  });

  it('given a question that is all Russian, embeds its English rendering and gives the character channel both', () => {
    expect(query.denseText).toMatch(/pipeline/);
    expect(query.denseText).not.toMatch(/\p{Script=Cyrillic}/u);
    expect(query.charText).toContain('нефтепровод');
    expect(query.charText).toContain('nefteprovod');
  });

  it('given the name "Хоргос" (not a dictionary word), transliterates it to "khorgos"', () => {
    const [name] = analyzeQuery('Хоргос').words;
    expect(name?.forms).toContain(stemTerm('khorgos'));
  });

  it('given an inflected form "нефтепроводом", still finds the translations through the stem', () => {
    const [inflected] = analyzeQuery('нефтепроводом').words;
    expect(inflected?.forms).toEqual(expect.arrayContaining(analyzeText('pipeline')));
  });

  it('weighs the user’s own word 1 and every alternative less', () => {
    const weights = new Map(query.terms.map((t) => [t.term, t.weight]));
    expect(weights.get(stemTerm('нефтепровод'))).toBe(1);
    for (const [term, weight] of weights)
      if (term !== stemTerm('нефтепровод')) expect(weight).toBeLessThan(1);
  });

  it('given an English question, embeds the question itself and adds no translations', () => {
    const english = analyzeQuery('Where was the oil pipeline built?');
    expect(english.denseText).toBe('Where was the oil pipeline built?');
    expect(english.charText).toBe('Where was the oil pipeline built?');
    expect(english.words.map((w) => w.forms)).toEqual([['oil'], ['pipelin'], ['built']]);
  });
});

describe('analyzeQuery: acronyms', () => {
  it('given "Belt and Road Initiative" and the map bri → belt road initi, gives every expansion word the form "bri"', () => {
    const { words, terms } = analyzeQuery('Belt and Road Initiative', BRI);
    expect(words.map((w) => w.surface)).toEqual(['Belt', 'Road', 'Initiative']);
    for (const word of words) expect(word.forms).toContain('bri');
    // The acronym stands for all three words together, so it weighs as much as they do.
    expect(terms.find((t) => t.term === 'bri')?.weight).toBeCloseTo(3 * 0.7, 9);
  });

  it('given "BRI projects", expands "BRI" to the phrase belt + road + initi (all of it, not any word)', () => {
    const { words, terms } = analyzeQuery('BRI projects', BRI);
    const [bri] = words;
    expect(bri?.forms).toEqual(['bri']);
    expect(bri?.phrases).toEqual([['belt', 'road', 'initi']]);
    expect(terms.map((t) => t.term)).toEqual(expect.arrayContaining(['bri', 'belt', 'road', 'initi']));
  });

  it('given "Belt projects" (only part of the expansion), does not add "bri"', () => {
    const { words } = analyzeQuery('Belt projects', BRI);
    expect(words.flatMap((w) => w.forms)).not.toContain('bri');
  });

  it('given no acronym map, adds no acronym forms', () => {
    expect(analyzeQuery('Belt and Road Initiative').words.flatMap((w) => w.forms)).not.toContain('bri');
  });
});

describe('analyzeQuery: input without content words', () => {
  for (const question of ['', '   ', 'what is it?', '?!…', 'что это?']) {
    it(`given ${JSON.stringify(question)}, returns no words and no terms`, () => {
      const query = analyzeQuery(question);
      expect(query.words).toEqual([]);
      expect(query.terms).toEqual([]);
    });
  }

  it('given arbitrary Unicode (property), never throws; every word has forms and every term a positive weight', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200, size: 'medium' }), (question) => {
        const query = analyzeQuery(question, BRI);
        for (const word of query.words) expect(word.forms.length).toBeGreaterThan(0);
        for (const term of query.terms) expect(term.weight).toBeGreaterThan(0);
        expect(query.text).toBe(question);
      }),
      { numRuns: 300 },
    );
  });

  it('given arbitrary mixes of Russian, English and symbols (property), never throws', () => {
    const piece = fc.constantFrom(
      'Казахстаном',
      'нефтепровод',
      'Хоргос',
      'BRI',
      'Belt',
      'and',
      '2023',
      '$13.16',
      '«',
      '—',
      ' ',
      '\u0301',
      'ё',
      '中国',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const query = analyzeQuery(pieces.join(''), BRI);
        expect(query.words.length).toBeLessThanOrEqual(pieces.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('cleanQuestion', () => {
  // C0 and C1 controls and the bidi overrides and isolates.
  const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

  it('given arbitrary Unicode up to 6,000 code points (property), never throws and returns at most 2,000 characters without control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 6000, size: 'max' }), (raw) => {
        const { text, notes } = cleanQuestion(raw);
        expect(text.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
        expect(CONTROL.test(text)).toBe(false);
        expect(text).toBe(text.trim());
        expect(notes.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it('given text made only of ASCII controls and escapes (property), returns clean text', () => {
    const hostile = fc.constantFrom(
      '\u0000',
      '\u0007',
      '\u001b[31m',
      '\u001b[0m',
      '\u001b',
      '\u202e',
      '\u2066',
      '\u200b',
      '\ufeff',
      '\u0085',
      '\r\n',
      'a',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 50 }), (parts) => {
        const { text } = cleanQuestion(parts.join(''));
        expect(text).toMatch(/^[a ]*$/);
      }),
    );
  });

  it('given 1,999 letters and an emoji, cuts before the emoji rather than through it', () => {
    const { text, notes } = cleanQuestion(`${'a'.repeat(1999)}😀 and more`);
    expect(text).toBe('a'.repeat(1999));
    expect(notes).toHaveLength(1);
  });

  it('given exactly 2,000 characters, keeps them all without a note', () => {
    const { text, notes } = cleanQuestion('b'.repeat(2000));
    expect(text).toHaveLength(2000);
    expect(notes).toEqual([]);
  });

  it('given ANSI colour codes between words, keeps the words apart', () => {
    expect(cleanQuestion('red\u001b[31mtext').text).toBe('red text');
  });

  it('given a decomposed "й" (и + breve), returns it composed (NFC)', () => {
    expect(cleanQuestion('Казахстан и\u0306').text).toBe('Казахстан й');
  });
});
