import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnswerResult, DocumentInfo, Source } from '../../../src/answer/types.js';
import { commandData } from '../../../src/discord/commands/index.js';
import { renderAnswer, renderFullPassage, renderMoreSources } from '../../../src/discord/views/answer.js';
import { renderBrief } from '../../../src/discord/views/brief.js';
import type { ViewContext } from '../../../src/discord/views/context.js';
import { renderDocs } from '../../../src/discord/views/docs.js';
import { renderHelp } from '../../../src/discord/views/help.js';
import { labelsFor } from '../../../src/discord/views/labels.js';
import { renderLookup } from '../../../src/discord/views/lookup.js';
import { buildCatalog } from '../../../src/discord/views/names.js';
import { notices } from '../../../src/discord/views/notices.js';
import type { Reply } from '../../../src/discord/views/reply.js';
import { renderSearch } from '../../../src/discord/views/search.js';
import { renderSource } from '../../../src/discord/views/source.js';
import {
  answerResult,
  brief,
  documentInfo,
  hostileText,
  indexInfo,
  lookupResult,
  passageView,
  source,
  storeKey,
} from '../arbitraries.js';
import { expectWithinLimits } from '../limits.js';

const RUNS = { numRuns: 100 };
const TEMPLATE = 'https://example.com/docs/{path}#L{line}-L{endLine}';

const EXCERPT =
  'Kazakhstan and China established diplomatic relations in 1992. The two countries signed a strategic partnership in 2005. Trade grew quickly afterwards.';
const ANSWER = 'The two countries signed a strategic partnership in 2005.';

function src(over: Partial<Source> = {}): Source {
  const start = EXCERPT.indexOf(ANSWER);
  const year = EXCERPT.indexOf('2005');
  return {
    passageId: 'relations.md#1-abcdef12',
    doc: 'relations.md',
    title: 'Kazakh–Chinese Relations',
    section: 'History.',
    start: 100,
    end: 100 + EXCERPT.length,
    lines: [12, 14],
    excerpt: EXCERPT,
    score: 0.0325,
    highlight: { start, end: start + ANSWER.length },
    phrase: { start: year, end: year + 4 },
    ordinal: 1,
    ...over,
  };
}

function answered(over: Partial<Extract<AnswerResult, { answered: true }>> = {}): AnswerResult {
  return {
    answered: true,
    question: 'When was the strategic partnership signed?',
    answer: ANSWER,
    confidence: 0.9,
    answerType: 'date',
    sources: [src(), src({ passageId: 'p2', ordinal: 2, start: 900, end: 900 + EXCERPT.length })],
    notes: [],
    ...over,
  };
}

function refused(): AnswerResult {
  return {
    answered: false,
    question: 'Who won the 1998 World Cup?',
    answer: '',
    reason: 'no-match',
    confidence: 0.1,
    sources: [src({ highlight: null, phrase: null })],
    notes: [],
  };
}

const DOCS: DocumentInfo[] = [
  { doc: 'relations.md', title: 'Kazakh–Chinese Relations', passages: 3, chars: 900 },
];

function viewOf(
  docs: readonly DocumentInfo[] = DOCS,
  template?: string,
  lang: 'en' | 'ru' = 'en',
): ViewContext {
  return {
    t: labelsFor(lang),
    catalog: buildCatalog(docs, template),
  };
}

function description(reply: Reply): string {
  return reply.embeds[0]?.description ?? '';
}

function customIds(reply: Reply): string[] {
  return reply.components.flatMap((r) => r.components.map((b) => ('custom_id' in b ? b.custom_id : '')));
}

describe('views stay within every Discord limit (property)', () => {
  const view = fc
    .tuple(fc.array(documentInfo, { maxLength: 5 }), fc.boolean())
    .map(([docs, linked]) => viewOf(docs, linked ? TEMPLATE : undefined));

  it('the answer card, for any result and options', () => {
    fc.assert(
      fc.property(
        answerResult,
        fc.option(storeKey, { nil: null }),
        fc.boolean(),
        view,
        (result, key, canThread, v) => {
          expectWithinLimits(renderAnswer(result, { key, canThread }, v));
        },
      ),
      RUNS,
    );
  });

  it('more sources, full passage, /source, /lookup, /search, /brief, /docs', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.array(source, { maxLength: 15 }),
        passageView,
        lookupResult,
        brief,
        fc.array(documentInfo, { maxLength: 40 }),
        indexInfo,
        storeKey,
        view,
        (q, sources, pv, lookup, b, docs, info, key, v) => {
          expectWithinLimits(renderMoreSources(q, sources, true, v));
          expectWithinLimits(renderFullPassage(pv, v));
          expectWithinLimits(renderSource(pv, key, v));
          expectWithinLimits(renderLookup(lookup, 1, key, v));
          expectWithinLimits(renderSearch(q, sources, v));
          expectWithinLimits(renderBrief(b, v));
          expectWithinLimits(renderDocs(docs, info, v));
        },
      ),
      RUNS,
    );
  });

  it('notices with user text, in both languages', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.integer(),
        fc.string(),
        fc.constantFrom('en' as const, 'ru' as const),
        (text, n, id, lang) => {
          const t = labelsFor(lang);
          for (const reply of [
            notices.documentNotFound(t, text),
            notices.passageNotFound(t, text, n),
            notices.threadIntro(t, text, true),
            notices.threadOpened(t, id, false),
            notices.threadExists(t, id),
            notices.rateLimited(t, n, 'user'),
            notices.error(t),
            notices.expired(t),
          ]) {
            expectWithinLimits(reply);
          }
        },
      ),
      RUNS,
    );
  });

  it('/help in both languages', () => {
    for (const lang of ['en', 'ru'] as const) {
      expectWithinLimits(
        renderHelp(commandData(), { docs: DOCS, topics: ['trade'] }, lang, viewOf(DOCS, undefined, lang)),
      );
    }
  });
});

describe('the answer card', () => {
  it('given an answer, quotes it once with the answering phrase in bold, then the source line', () => {
    const d = description(renderAnswer(answered(), { key: 'k', canThread: true }, viewOf()));
    expect(d.split('strategic partnership').length - 1).toBe(1);
    expect(d).toContain('> The two countries signed a strategic partnership in **2005**.');
    expect(d).not.toContain('Trade grew quickly');
    expect(d).toContain('— **Kazakh–Chinese Relations › History** · lines 12–14');
  });

  it('given a low confidence, shows it in amber with the words, unlike a refusal', () => {
    const low = renderAnswer(answered({ confidence: 0.4 }), { key: 'k', canThread: true }, viewOf());
    const high = renderAnswer(answered(), { key: 'k', canThread: true }, viewOf());
    const no = renderAnswer(refused(), { key: 'k', canThread: true }, viewOf());
    expect(description(low)).toContain('Low confidence');
    expect(description(high)).not.toContain('Low confidence');
    expect(new Set([low.embeds[0]?.color, high.embeds[0]?.color, no.embeds[0]?.color]).size).toBe(3);
  });

  it('given a key, offers Full passage, More sources, thread and votes; a refusal offers none of them', () => {
    const ids = customIds(renderAnswer(answered(), { key: 'k', canThread: true }, viewOf()));
    expect(ids.map((id) => id.split(':')[1])).toEqual(['full', 'more', 'thread', 'vote', 'vote']);
    const no = renderAnswer(refused(), { key: 'k', canThread: true }, viewOf());
    expect(customIds(no)).toEqual([]);
    expect(description(no)).toMatch(/documents do not answer[\s\S]*Closest passage[\s\S]*\/search/);
  });

  it('given a URL template, the citation links the exact lines', () => {
    const d = description(renderAnswer(answered(), { key: 'k', canThread: true }, viewOf(DOCS, TEMPLATE)));
    expect(d).toContain('](https://example.com/docs/relations.md#L12-L14)');
  });

  it('given Russian labels, the card speaks Russian', () => {
    const d = description(
      renderAnswer(
        answered({ confidence: 0.3 }),
        { key: 'k', canThread: true },
        viewOf(DOCS, undefined, 'ru'),
      ),
    );
    expect(d).toContain('Низкая уверенность');
    expect(d).toContain('строки 12–14');
  });

  it('given a markdown document, renders its bold and hides its link targets', () => {
    const excerpt = '**For citation:** see [the journal](https://example.com/j) (2021).';
    const s = src({ excerpt, highlight: { start: 0, end: excerpt.length }, phrase: null, doc: 'a.md' });
    const d = description(
      renderAnswer(answered({ answer: excerpt, sources: [s] }), { key: null, canThread: false }, viewOf()),
    );
    expect(d).toContain('**For citation:**');
    expect(d).not.toContain('\\*\\*');
    expect(d).not.toContain('example.com/j');
  });
});

describe('names and lists', () => {
  it('shows the title the engine lists (readable from load) and the section without it or its capitals', () => {
    const catalog = buildCatalog([
      {
        doc: 'sino.md',
        title: 'The Sino-Kazakh Strategic Partnership',
        passages: 3,
        chars: 1,
      },
    ]);
    expect(catalog.doc('sino.md').title).toBe('The Sino-Kazakh Strategic Partnership');
    expect(catalog.section({ doc: 'sino.md', section: 'THE SINO-KAZAKH STRATEGIC PARTNERSHIP' })).toBe('');
    expect(catalog.section({ doc: 'sino.md', section: 'POLITICAL SCIENCE.' })).toBe('Political Science');
    expect(catalog.doc('other/unlisted-file.md').title).toBe('Unlisted file');
    expect(catalog.doc('unlisted.md', 'Given Title').title).toBe('Given Title');
  });

  it('/search shows no raw score, names each document once and merges overlapping passages', () => {
    const a = src({ start: 100, end: 100 + EXCERPT.length, score: 2 });
    const b = src({
      start: 150,
      end: 150 + EXCERPT.length,
      score: 1.9,
      excerpt: EXCERPT.slice(50) + EXCERPT.slice(0, 50),
    });
    const d = description(renderSearch('partnership', [a, b], viewOf()));
    expect(d).not.toMatch(/\d\.\d{3}/);
    expect(d.split('Kazakh–Chinese Relations').length - 1).toBe(1);
    expect(d).toContain('High relevance');
    expect(d).not.toContain('**2.**');
  });

  it('/brief gives each item its whole key sentence', () => {
    const d = description(
      renderBrief(
        { topic: 'partnership', found: true, groups: [{ doc: 'relations.md', title: 'x', items: [src()] }] },
        viewOf(),
      ),
    );
    expect(d).toContain(`**1.** ${ANSWER}\n`);
  });
});
