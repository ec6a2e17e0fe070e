import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocumentInfo } from '../../src/answer/types.js';
import {
  docKeyOf,
  documentChoices,
  matchChoices,
  resolveDocument,
  topicChoices,
} from '../../src/discord/choices.js';
import { stripMention } from '../../src/discord/conversation.js';
import { hostileText } from './arbitraries.js';

describe('autocomplete choices', () => {
  it('stay within 25 choices, names and values of 1 to 100 characters, values unique, for any topics and input', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { maxLength: 80 }), hostileText, (topics, typed) => {
        const choices = topicChoices(topics, typed);
        expect(choices.length).toBeLessThanOrEqual(25);
        for (const c of choices) {
          expect(c.name.length).toBeGreaterThan(0);
          expect(c.name.length).toBeLessThanOrEqual(100);
          expect(c.value.trim().length).toBeGreaterThan(0);
          expect(c.value).not.toMatch(
            /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
          );
          expect(c.value.length).toBeLessThanOrEqual(100);
        }
        expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
      }),
      { numRuns: 300 },
    );
  });

  it('rank exact matches, then prefixes, then word starts, then substrings, keeping order within each', () => {
    const topics = ['Oil and gas', 'Trade', 'Gas pipeline', 'Natural gas', 'Gas', 'Pegasus'];
    expect(topicChoices(topics, 'gas').map((c) => c.value)).toEqual([
      'Gas',
      'Gas pipeline',
      'Oil and gas',
      'Natural gas',
      'Pegasus',
    ]);
  });

  it('match ignoring case and accents', () => {
    expect(topicChoices(['Café Society', 'ҚАЗАҚСТАН'], 'cafe').map((c) => c.value)).toEqual(['Café Society']);
    expect(topicChoices(['Café Society', 'ҚАЗАҚСТАН'], 'қазақ').map((c) => c.value)).toEqual(['ҚАЗАҚСТАН']);
  });

  it('given nothing typed, offer the first 25 in order', () => {
    const topics = Array.from({ length: 40 }, (_, i) => `topic ${i}`);
    expect(
      matchChoices(
        topics.map((t) => ({ name: t, value: t })),
        '',
      ).map((c) => c.value),
    ).toEqual(topics.slice(0, 25));
  });
});

describe('documents', () => {
  const long = `${'deep/'.repeat(30)}doc.md`;
  const docs: DocumentInfo[] = [
    { doc: 'a.md', title: 'Kazakh Chinese relations', passages: 3, chars: 100 },
    { doc: 'b.md', title: 'Trade and energy', passages: 5, chars: 100 },
    { doc: long, title: 'Buried', passages: 1, chars: 10 },
  ];

  it('offer documents by title, valued by path, or by key when the path is too long', () => {
    const choices = documentChoices(docs, '');
    expect(choices.map((c) => c.value)).toEqual(['a.md', 'b.md', docKeyOf(long)]);
    expect(choices[0]?.name).toBe('Kazakh Chinese relations (a.md)');
  });

  it.each([
    ['a.md', 'a.md'],
    ['kazakh chinese relations', 'a.md'],
    ['trade', 'b.md'],
    ['Buried', long],
  ])('resolve %j to %j', (input, doc) => {
    expect(resolveDocument(docs, input)?.doc).toBe(doc);
  });

  it('resolve by key', () => {
    expect(resolveDocument(docs, docKeyOf(long))?.doc).toBe(long);
  });

  it('resolve nothing for an unknown or ambiguous input', () => {
    expect(resolveDocument(docs, 'zebra')).toBeUndefined();
    expect(resolveDocument(docs, '.md')).toBeUndefined();
    expect(resolveDocument(docs, '')).toBeUndefined();
  });

  it('make keys that custom_ids accept', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (doc) => {
        expect(docKeyOf(doc)).toMatch(/^[A-Za-z0-9_-]{12}$/);
      }),
    );
  });
});

describe('stripMention', () => {
  it('removes the bot mention in both forms, leaving other mentions', () => {
    expect(stripMention('<@42> what about <@7>? <@!42>', '42')).toBe('what about <@7>?');
    expect(stripMention('<@42>', '42')).toBe('');
  });
});
