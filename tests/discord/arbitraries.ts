import fc from 'fast-check';
import type {
  AnswerResult,
  Brief,
  DocumentInfo,
  IndexInfo,
  LookupHit,
  LookupResult,
  PassageView,
  Source,
} from '../../src/answer/types.js';

/** Strings that have broken chat bots: pings, markdown breakouts, control and direction characters. */
export const HOSTILE = [
  '',
  ' ',
  '\n\n\n',
  '@everyone',
  '@here',
  '<@&123456789012345678>',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<#123456789012345678>',
  '</ask:123456789012345678>',
  '[click me](https://evil.example/x)',
  '[a]( https://evil.example )',
  '```js\nalert(1)\n```',
  '``',
  '`',
  '**bold** __under__ ~~strike~~ ||spoiler||',
  '> quote\n>>> block',
  '# heading\n## h2\n-# subtext',
  '- item\n1. first',
  '\\',
  '\\\\**',
  '\u202Eevil\u202C',
  '\u2066isolate\u2069',
  '\u0000NUL\u0000',
  '\u001b[31mred\u001b[0m',
  '\u001b]8;;http://x\u0007link\u001b]8;;\u0007',
  'Z̷̢̛̛̖̗̘̙̜̝̞̟̠̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ͏͓͔͕͖͙͚͐͑͒͗͛ͣͤͥͦͧͨͩͪͫͬͭͮͯ͘͜͟͢͝͞͠͡algo',
  '😀👍🏽👨‍👩‍👧‍👦🇰🇿',
  'Қазақстан және Қытай',
  '中华人民共和国',
  'مرحبا بالعالم',
  "'; DROP TABLE passages; --",
  '<script>alert(1)</script>',
  '\ud800',
  '\udc00x',
  'a'.repeat(7000),
  '😀'.repeat(3000),
  '@'.repeat(3000),
  '\\*'.repeat(2000),
  '<@1>'.repeat(1000),
];

/** Hostile strings, arbitrary Unicode (lone surrogates included), and long mixtures of both. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 })), { maxLength: 40 })
      .map((parts) => parts.join(' ')),
  },
);

const anyNumber = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1, 2 ** 53),
);

const lines: fc.Arbitrary<readonly [number, number]> = fc.tuple(anyNumber, anyNumber);

export const source: fc.Arbitrary<Source> = fc
  .record({
    passageId: hostileText,
    // Markdown documents render their inline formatting: exercise that path too.
    doc: fc.oneof(
      hostileText,
      hostileText.map((t) => `${t}.md`),
    ),
    title: hostileText,
    section: hostileText,
    start: anyNumber,
    end: anyNumber,
    lines,
    excerpt: hostileText,
    score: anyNumber,
    highlight: fc.option(fc.record({ start: anyNumber, end: anyNumber }), { nil: null }),
    ordinal: anyNumber,
  })
  .map((s) => s);

/** A source whose highlight lies inside its excerpt, as the engine promises. */
export const wellFormedSource: fc.Arbitrary<Source> = fc
  .tuple(source, fc.nat(), fc.nat())
  .map(([s, a, b]) => {
    const n = s.excerpt.length;
    const start = n === 0 ? 0 : a % n;
    const end = n === 0 ? 0 : start + (b % (n - start + 1));
    const phrase = end > start + 2 ? { start: start + 1, end: end - 1 } : null;
    return { ...s, highlight: end > start ? { start, end } : null, phrase };
  });

const anySource = fc.oneof(source, wellFormedSource);
const notes = fc.array(hostileText, { maxLength: 5 });

export const answerResult: fc.Arbitrary<AnswerResult> = fc.oneof(
  fc.record({
    answered: fc.constant(true as const),
    question: hostileText,
    answer: hostileText,
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    answerType: fc.constantFrom('count' as const, 'date' as const, 'definition' as const, 'other' as const),
    sources: fc.array(anySource, { minLength: 1, maxLength: 12 }),
    notes,
  }),
  fc.record({
    answered: fc.constant(false as const),
    question: hostileText,
    answer: fc.constant('' as const),
    reason: fc.constantFrom('no-match' as const, 'empty' as const),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    sources: fc.array(anySource, { maxLength: 12 }),
    notes,
  }),
);

const hit: fc.Arbitrary<LookupHit> = fc.record({
  sentence: hostileText,
  start: anyNumber,
  end: anyNumber,
  line: anyNumber,
  section: hostileText,
  passageId: hostileText,
});

export const lookupResult: fc.Arbitrary<LookupResult> = fc.record({
  term: hostileText,
  total: anyNumber,
  groups: fc.array(
    fc.record({ doc: hostileText, title: hostileText, hits: fc.array(hit, { maxLength: 30 }) }),
    { maxLength: 8 },
  ),
});

export const passageView: fc.Arbitrary<PassageView> = fc.record({
  source: anySource,
  previous: fc.option(anySource, { nil: null }),
  next: fc.option(anySource, { nil: null }),
  count: anyNumber,
});

export const brief: fc.Arbitrary<Brief> = fc.record({
  topic: hostileText,
  groups: fc.array(
    fc.record({ doc: hostileText, title: hostileText, items: fc.array(anySource, { maxLength: 8 }) }),
    { maxLength: 12 },
  ),
  found: fc.boolean(),
});

export const documentInfo: fc.Arbitrary<DocumentInfo> = fc.record(
  {
    doc: hostileText,
    title: hostileText,
    author: hostileText,
    url: fc.oneof(hostileText, fc.webUrl(), fc.constant('https://example.com/a_(b)')),
    passages: anyNumber,
    chars: anyNumber,
  },
  { requiredKeys: ['doc', 'title', 'passages', 'chars'] },
);

export const indexInfo: fc.Arbitrary<IndexInfo> = fc.record({
  builtAt: hostileText,
  model: hostileText,
  dimension: anyNumber,
  passages: anyNumber,
  corpusChecksum: hostileText,
});

/** Keys as the answer store makes them, and a few edge-case valid ones. */
export const storeKey = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{8}$/),
  fc.constantFrom('a', 'A'.repeat(32), '-_-_'),
);
