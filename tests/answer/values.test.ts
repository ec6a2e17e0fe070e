import { describe, expect, it } from 'vitest';
import { findValues, type ValueKind } from '../../src/answer/values.js';

const values = (text: string) =>
  findValues(text).map((v) => ({ text: text.slice(v.start, v.end), kinds: [...v.kinds] }));
const kindsOf = (text: string, value: string): ValueKind[] =>
  values(text).find((v) => v.text === value)?.kinds ?? [];

describe('findValues', () => {
  it('reads amounts of money with a symbol or a currency word, in English and Russian', () => {
    expect(kindsOf('CNPC spent another $6.2 billion on pipelines', '$6.2 billion')).toContain('money');
    expect(kindsOf('a loan of 20 billion dollars', '20 billion dollars')).toContain('money');
    expect(kindsOf('экспорт 20 млрд долларов', '20 млрд долларов')).toContain('money');
  });

  it('reads percentages, durations and quantities', () => {
    expect(kindsOf('trade grew by 42% that year', '42%')).toContain('percent');
    expect(kindsOf('около 15 процентов', '15 процентов')).toContain('percent');
    expect(kindsOf('each version is supported for six weeks.', 'six weeks')).toContain('duration');
    expect(kindsOf('it takes 3 seconds', '3 seconds')).toContain('duration');
    expect(kindsOf('a line of 1,000 km', '1,000 km')).toContain('quantity');
  });

  it('reads dates and years, and a year is not an amount', () => {
    expect(kindsOf('signed on 1 Jan 2023 in Astana', '1 Jan 2023')).toEqual(['date']);
    expect(kindsOf('signed on January 1, 2023', 'January 1, 2023')).toEqual(['date']);
    expect(kindsOf('in 2019 the talks', '2019')).toEqual(['date', 'number']);
    expect(kindsOf('the 1990s were', '1990s')).toContain('date');
  });

  it('reads numbers written as words', () => {
    expect(kindsOf('three kinds of procedural macros', 'three')).toEqual(['number']);
  });

  it('finds nothing in a sentence without a value', () => {
    expect(values('The term macro refers to a family of features.')).toEqual([]);
  });

  it('returns spans in order that do not overlap', () => {
    const found = findValues('In 2021 exports rose 42% to $13.16 billion over six months, 3 times more.');
    for (let i = 1; i < found.length; i++) expect(found[i]!.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
  });
});
