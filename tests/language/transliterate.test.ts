import { describe, expect, it } from 'vitest';
import { transliterate } from '../../src/language/transliterate.js';

describe('transliterate', () => {
  it('given Russian words, romanises them (BGN/PCGN-like)', () => {
    expect(transliterate('нефтепровод')).toBe('nefteprovod');
    expect(transliterate('хоргос')).toBe('khorgos');
    expect(transliterate('щука')).toBe('shchuka');
    expect(transliterate('объявление')).toBe('obyavlenie');
  });

  it('given Kazakh letters, romanises them too', () => {
    expect(transliterate('қазақстан')).toBe('kazakstan');
  });

  it('keeps characters that are not Cyrillic', () => {
    expect(transliterate('abc 2023 中国')).toBe('abc 2023 中国');
  });
});
