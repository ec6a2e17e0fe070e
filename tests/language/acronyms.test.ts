import { describe, expect, it } from 'vitest';
import { findAcronyms } from '../../src/language/acronyms.js';

const doc = (text: string) => ({ text });

describe('findAcronyms', () => {
  it('given "Shanghai Cooperation Organization (SCO)", maps SCO to the words before it', () => {
    const found = findAcronyms([
      doc('Kazakhstan is a member of the Shanghai Cooperation Organization (SCO) since 2001.'),
    ]);
    expect(found.get('SCO')).toBe('Shanghai Cooperation Organization');
  });

  it('given "(hereafter the BRI)", maps BRI to "Belt and Road Initiative", joiner included', () => {
    const found = findAcronyms([
      doc('The Belt and Road Initiative (hereafter the BRI) was announced in 2013.'),
    ]);
    expect(found.get('BRI')).toBe('Belt and Road Initiative');
  });

  it('given the acronym in one passage and a capitalised run spelling it in another, pairs them', () => {
    const found = findAcronyms([
      doc('The SCO met in Astana.'),
      doc('Officials of the Shanghai Cooperation Organization gathered.'),
    ]);
    expect(found.get('SCO')).toBe('Shanghai Cooperation Organization');
  });

  it('given "(XYZ)" after words that do not spell it, finds no expansion', () => {
    const found = findAcronyms([doc('Some unrelated words here (XYZ) and more.')]);
    expect(found.has('XYZ')).toBe(false);
  });

  it('given no upper-case runs, finds nothing', () => {
    expect(findAcronyms([doc('all lower case text.'), doc('Китай и Казахстан.')]).size).toBe(0);
  });
});
