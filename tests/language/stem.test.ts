import { describe, expect, it } from 'vitest';
import { foldTerm } from '../../src/language/fold.js';
import { stemTerm } from '../../src/language/stem.js';
import { isStopword, STOPWORDS } from '../../src/language/stopwords.js';

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

describe('STOPWORDS', () => {
  it('are read from the English and Russian lists, folded', () => {
    expect(STOPWORDS.size).toBeGreaterThan(200);
    expect(STOPWORDS.has('ее')).toBe(true);
    expect(STOPWORDS.has("it's")).toBe(true);
  });

  it('never stem code: paths and snake_case stay as they are', () => {
    expect(stemTerm('std::thread::spawn')).toBe('std::thread::spawn');
    expect(stemTerm('snake_case')).toBe('snake_case');
    expect(stemTerm('spawning')).toBe('spawn');
  });
});
