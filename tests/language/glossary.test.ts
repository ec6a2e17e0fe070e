import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { RU_EN_GLOSSARY, translateWord } from '../../src/language/glossary.js';

/** Lower-case Cyrillic without `ё`, words optionally joined by hyphens. */
const LEMMA = /^[а-я]+(?:-[а-я]+)*$/u;
/** One alternative: lower-case ASCII words separated by single spaces. */
const ALTERNATIVE = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

describe('RU_EN_GLOSSARY', () => {
  it('has at least 600 entries', () => {
    expect(RU_EN_GLOSSARY.length).toBeGreaterThanOrEqual(600);
  });

  it('is unique by lemma', () => {
    const seen = new Set<string>();
    const duplicates = RU_EN_GLOSSARY.map(([ru]) => ru).filter((ru) => {
      const dup = seen.has(ru);
      seen.add(ru);
      return dup;
    });
    expect(duplicates).toEqual([]);
  });

  it('gives every lemma in lower-case Cyrillic (hyphen allowed, ё written as е)', () => {
    const bad = RU_EN_GLOSSARY.filter(([ru]) => !LEMMA.test(ru)).map(([ru]) => ru);
    expect(bad).toEqual([]);
  });

  it('gives every English side as non-empty ASCII words with non-repeating | alternatives', () => {
    const bad = RU_EN_GLOSSARY.filter(([, en]) => {
      const alternatives = en.split('|');
      return (
        en.length === 0 ||
        !alternatives.every((alt) => ALTERNATIVE.test(alt)) ||
        new Set(alternatives).size !== alternatives.length
      );
    }).map(([ru, en]) => `${ru}: ${en}`);
    expect(bad).toEqual([]);
  });

  it('covers the vocabulary named in its brief', () => {
    const lemmas = new Map(RU_EN_GLOSSARY);
    expect(lemmas.get('нефтепровод')).toBe('oil pipeline|pipeline');
    for (const ru of ['когда', 'сколько', 'подписать', 'шос', 'зерно', 'уран', 'транзит', 'студент']) {
      expect(lemmas.has(ru), ru).toBe(true);
    }
  });
});

describe('glossary data file', () => {
  it('is read from glossary-ru-en.tsv: one entry per non-comment line', () => {
    const lines = readFileSync(new URL('../../src/language/glossary-ru-en.tsv', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(RU_EN_GLOSSARY).toHaveLength(lines.length);
    expect(RU_EN_GLOSSARY[0]).toEqual(['отношение', 'relation|relations|attitude']);
  });
});

describe('translateWord', () => {
  it('given a lemma or an inflected form, returns its English words', () => {
    expect(translateWord('нефтепровод')).toEqual(['oil', 'pipeline', 'pipeline']);
    expect(translateWord('нефтепроводом')).toContain('pipeline');
  });

  it('given a word not in the glossary, returns []', () => {
    expect(translateWord('бзюзя')).toEqual([]);
  });
});
