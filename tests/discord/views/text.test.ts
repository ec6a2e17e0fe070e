import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  escapeText,
  escapeUnits,
  fitExcerpt,
  fitInline,
  fitPlain,
} from '../../../src/discord/views/text.js';
import { hostileText } from '../arbitraries.js';

describe('cleanText', () => {
  it.each([
    ['a\u202Eb\u202Cc', 'abc'],
    ['x\u0000y\u0007z', 'xyz'],
    ['\u001b[31mred\u001b[0m', 'red'],
    ['a\n\n\tb  c', 'a b c'],
    ['e\u0301\u0302\u0303\u0304\u0305', 'e\u0301\u0302'],
    ['\ud800x', '\ufffdx'],
  ])('cleans %j to %j', (input, output) => {
    expect(cleanText(input)).toBe(output);
  });
});

describe('cleanText of a markdown source', () => {
  it('resolves backslash escapes to the characters the file shows', () => {
    expect(cleanText('USD \\$ 5 \\[8\\] a\\\\b \\q', true)).toBe('USD $ 5 [8] a\\b \\q');
    expect(cleanText('USD \\$ 5', false)).toBe('USD \\$ 5');
  });
});

describe('escapeText', () => {
  it.each([
    ['@everyone', '@\u200beveryone'],
    ['<@123>', '\\<@\u200b123\\>'],
    ['<@&1>', '\\<@\u200b&1\\>'],
    ['[x](https://e.x)', '\\[x\\]\\(https://e.x\\)'],
    ['```', '\\`\\`\\`'],
    ['**a** _b_ ~~c~~ ||d||', '\\*\\*a\\*\\* \\_b\\_ \\~\\~c\\~\\~ \\|\\|d\\|\\|'],
    ['# h', '\\# h'],
    ['- item', '\\- item'],
    ['12. item', '12\\. item'],
    ['a-b 1. c', 'a-b 1. c'],
    ['back\\slash', 'back\\\\slash'],
  ])('escapes %j as %j', (input, output) => {
    expect(escapeText(input)).toBe(output);
  });
});

describe('fitting', () => {
  it('fitInline and fitPlain never exceed the budget and never split a surrogate pair', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 1, max: 500 }), (text, max) => {
        const inline = fitInline(text, max);
        for (const out of [inline, fitPlain(text, max)]) {
          expect(out.length).toBeLessThanOrEqual(max);
          expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
        }
        expect(inline).not.toMatch(/(^|[^\\])(\\\\)*\\$/); // no dangling escape in markdown
      }),
      { numRuns: 500 },
    );
  });

  it('fitExcerpt never exceeds the budget, and shows the whole highlight in bold when it fits', () => {
    fc.assert(
      fc.property(hostileText, fc.nat(), fc.nat(), fc.integer({ min: 10, max: 3000 }), (text, a, b, max) => {
        const start = text.length === 0 ? 0 : a % text.length;
        const end = start + (text.length === 0 ? 0 : b % (text.length - start + 1));
        const out = fitExcerpt(text, { start, end }, max);
        expect(out.length).toBeLessThanOrEqual(max);
        const mid = escapeUnits(cleanText(text.slice(start, end)).trim()).join('');
        // The slice may start or end inside a surrogate pair, which fitExcerpt widens; skip those.
        const clean =
          !/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(text.slice(start, end)) &&
          !/^[\udc00-\udfff]/.test(text.slice(end));
        if (clean && mid.length > 0 && mid.length + 6 <= max) expect(out).toContain(`**${mid}**`);
      }),
      { numRuns: 500 },
    );
  });
});
