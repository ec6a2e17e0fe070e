import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnswerResult, LookupResult, PassageView, Source } from '../../src/answer/types.js';
import {
  renderAnswer,
  renderBrief,
  renderDocs,
  renderDocumentNotFound,
  renderError,
  renderExpired,
  renderFullPassage,
  renderHelp,
  renderLookup,
  renderMentionUsage,
  renderMoreSources,
  renderNoText,
  renderPassageNotFound,
  renderRateLimited,
  renderRestarting,
  renderSearch,
  renderSource,
  renderThreadExists,
  renderThreadIntro,
  renderThreadOpened,
  renderVoteRecorded,
} from '../../src/discord/render.js';
import type { Reply } from '../../src/discord/render.js';
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
} from './arbitraries.js';
import { expectWithinLimits, texts } from './limits.js';

const RUNS = { numRuns: 300 };

function src(over: Partial<Source> = {}): Source {
  const excerpt =
    'Kazakhstan and China established diplomatic relations in 1992. The two countries signed a strategic partnership in 2005. Trade grew quickly afterwards.';
  const answer = 'The two countries signed a strategic partnership in 2005.';
  const start = excerpt.indexOf(answer);
  return {
    passageId: 'relations.md#1-abcdef12',
    doc: 'relations.md',
    title: 'Kazakh–Chinese relations',
    section: 'History',
    start: 100,
    end: 100 + excerpt.length,
    lines: [12, 14],
    excerpt,
    score: 0.0325,
    highlight: { start, end: start + answer.length },
    ordinal: 1,
    ...over,
  };
}

function answered(over: Partial<Extract<AnswerResult, { answered: true }>> = {}): AnswerResult {
  return {
    answered: true,
    question: 'When was the strategic partnership signed?',
    answer: 'The two countries signed a strategic partnership in 2005.',
    confidence: 0.9,
    answerType: 'date',
    sources: [src(), src({ passageId: 'p2', ordinal: 2 })],
    notes: [],
    ...over,
  };
}

function refused(sources: readonly Source[] = [src({ highlight: null })]): AnswerResult {
  return {
    answered: false,
    question: 'Who won the 1998 World Cup?',
    answer: '',
    reason: 'no-match',
    confidence: 0.1,
    sources,
    notes: [],
  };
}

function description(reply: { embeds: readonly { description?: string }[] }): string {
  return reply.embeds[0]?.description ?? '';
}

function customIds(reply: Reply): string[] {
  return reply.components.flatMap((r) => r.components.map((b) => ('custom_id' in b ? b.custom_id : '')));
}

describe('render limits (property)', () => {
  it('renderAnswer stays within every limit for any result and context', () => {
    fc.assert(
      fc.property(
        answerResult,
        fc.option(storeKey, { nil: null }),
        fc.boolean(),
        fc.option(fc.record({ url: fc.oneof(hostileText, fc.webUrl()), author: hostileText }), {
          nil: undefined,
        }),
        (result, key, canThread, reference) => {
          expectWithinLimits(renderAnswer(result, { key, canThread, reference }));
        },
      ),
      RUNS,
    );
  });

  it('renderMoreSources stays within every limit', () => {
    fc.assert(
      fc.property(hostileText, fc.array(source, { maxLength: 30 }), fc.boolean(), (q, sources, ok) => {
        expectWithinLimits(renderMoreSources(q, sources, ok));
      }),
      RUNS,
    );
  });

  it('renderFullPassage and renderSource stay within every limit', () => {
    fc.assert(
      fc.property(passageView, storeKey, (view, docKey) => {
        expectWithinLimits(renderFullPassage(view));
        expectWithinLimits(renderSource(view, docKey));
      }),
      RUNS,
    );
  });

  it('renderLookup stays within every limit on any page', () => {
    fc.assert(
      fc.property(
        lookupResult,
        fc.integer({ min: -3, max: 40 }),
        fc.option(storeKey, { nil: null }),
        (r, page, key) => {
          expectWithinLimits(renderLookup(r, page, key));
        },
      ),
      RUNS,
    );
  });

  it('renderSearch stays within every limit', () => {
    fc.assert(
      fc.property(hostileText, fc.array(source, { maxLength: 15 }), (q, sources) => {
        expectWithinLimits(renderSearch(q, sources));
      }),
      RUNS,
    );
  });

  it('renderBrief stays within every limit', () => {
    fc.assert(
      fc.property(brief, (b) => {
        expectWithinLimits(renderBrief(b));
      }),
      RUNS,
    );
  });

  it('renderDocs stays within every limit for any corpus size', () => {
    fc.assert(
      fc.property(fc.array(documentInfo, { maxLength: 60 }), indexInfo, (docs, info) => {
        expectWithinLimits(renderDocs(docs, info));
      }),
      { numRuns: 150 },
    );
  });

  it('notices with user text stay within every limit', () => {
    fc.assert(
      fc.property(hostileText, fc.integer(), fc.string(), (text, n, id) => {
        for (const reply of [
          renderDocumentNotFound(text),
          renderPassageNotFound(text, n),
          renderThreadIntro(text, true),
          renderThreadOpened(id, false),
          renderThreadExists(id),
          renderRateLimited(n, 'user'),
        ]) {
          expectWithinLimits(reply);
        }
      }),
      RUNS,
    );
  });

  it('fixed replies stay within every limit', () => {
    for (const reply of [
      renderHelp(),
      renderError(),
      renderRestarting(),
      renderExpired(),
      renderVoteRecorded('up'),
      renderVoteRecorded('down'),
      renderMentionUsage(),
      renderNoText(),
      renderRateLimited(Number.NaN, 'channel'),
    ]) {
      expectWithinLimits(reply);
    }
  });
});

describe('renderAnswer', () => {
  it('given an answer, quotes it and bolds the answer sentence inside the source excerpt', () => {
    const reply = renderAnswer(answered(), { key: 'k1', canThread: true });
    const text = description(reply);
    expect(text).toContain('> The two countries signed a strategic partnership in 2005.');
    expect(text).toContain(
      'Kazakhstan and China established diplomatic relations in 1992. **The two countries signed a strategic partnership in 2005.** Trade grew',
    );
  });

  it('given an answer, cites document title, section and lines', () => {
    const reply = renderAnswer(answered(), { key: 'k1', canThread: true });
    expect(reply.embeds[0]?.fields?.[0]).toEqual({
      name: 'Source',
      value: '**Kazakh–Chinese relations** › History · lines 12–14',
    });
  });

  it('given a key, offers More sources, Full passage, Discuss in thread, 👍 and 👎 in one row', () => {
    const reply = renderAnswer(answered(), { key: 'k1', canThread: true });
    expect(customIds(reply)).toEqual([
      'fn:more:k1',
      'fn:full:k1',
      'fn:thread:k1',
      'fn:vote:up:k1',
      'fn:vote:down:k1',
    ]);
  });

  it('given no thread allowed, leaves out Discuss in thread; given one source, leaves out More sources', () => {
    const reply = renderAnswer(answered({ sources: [src()] }), { key: 'k1', canThread: false });
    expect(customIds(reply)).toEqual(['fn:full:k1', 'fn:vote:up:k1', 'fn:vote:down:k1']);
  });

  it('given no key, shows no buttons', () => {
    expect(renderAnswer(answered(), { key: null, canThread: true }).components).toEqual([]);
  });

  it('given a long excerpt, cuts around the answer with ellipses and keeps the answer whole', () => {
    const before = 'Lorem ipsum dolor sit amet. '.repeat(200);
    const answer = 'The partnership was signed in 2005.';
    const after = ' Consectetur adipiscing elit.'.repeat(200);
    const excerpt = before + answer + after;
    const result = answered({
      answer,
      sources: [src({ excerpt, highlight: { start: before.length, end: before.length + answer.length } })],
    });
    const text = description(renderAnswer(result, { key: null, canThread: false }));
    const quoted = text.split('\n').find((l) => l.includes('**The partnership'));
    expect(quoted).toMatch(/^> ….*\*\*The partnership was signed in 2005\.\*\*.*…$/);
    expect(quoted!.length).toBeLessThan(2000);
  });

  it('given a refusal, says the documents do not answer and labels the excerpt as the closest passage, not bold', () => {
    const reply = renderAnswer(refused(), { key: 'k2', canThread: true });
    const text = description(reply);
    expect(text).toContain('The documents do not answer this question.');
    expect(text).toContain('Closest passage (does not answer the question)');
    expect(text).not.toContain('**Answer**');
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('> '))
        .join(''),
    ).not.toContain('**');
    expect(reply.embeds[0]?.fields?.[0]?.name).toBe('Closest passage source');
  });

  it('given a refusal with a highlight, still does not bold the closest passage', () => {
    const text = description(renderAnswer(refused([src()]), { key: null, canThread: false }));
    expect(text).not.toContain('**The two countries');
  });

  it('given a question with no searchable words, explains and offers no buttons', () => {
    const reply = renderAnswer(
      {
        answered: false,
        question: '???',
        answer: '',
        reason: 'empty',
        confidence: 0,
        sources: [],
        notes: [],
      },
      { key: 'k3', canThread: true },
    );
    expect(description(reply)).toContain('no words to search for');
    expect(reply.components).toEqual([]);
  });

  it('given engine notes, shows them in the footer', () => {
    const reply = renderAnswer(answered({ notes: ['question cut to 2,000 characters'] }), {
      key: null,
      canThread: false,
    });
    expect(reply.embeds[0]?.footer?.text).toBe('question cut to 2,000 characters');
  });

  it('given @everyone, a role and a user mention in the question, neutralises them and allows no mention', () => {
    const reply = renderAnswer(
      answered({ question: '@everyone <@&123456789012345678> <@123456789012345678> hi' }),
      {
        key: null,
        canThread: false,
      },
    );
    expect(reply.allowedMentions).toEqual({ parse: [] });
    const title = reply.embeds[0]?.title ?? '';
    expect(title).toContain('@\u200beveryone');
    expect(title).not.toMatch(/<@&?\d+>/);
  });

  it('given markdown, a code fence, a masked link and an RTL override in the excerpt, shows them as literal text', () => {
    const excerpt = 'Intro. ```js\nx``` [click](https://evil.example) **loud** \u202Edesrever\u202C end.';
    const text = description(
      renderAnswer(
        answered({ answer: 'Intro.', sources: [src({ excerpt, highlight: { start: 0, end: 6 } })] }),
        {
          key: null,
          canThread: false,
        },
      ),
    );
    expect(text).toContain('**Intro.**');
    expect(text).toContain('\\`\\`\\`js x\\`\\`\\`');
    expect(text).toContain('\\[click\\]\\(https://evil.example\\)');
    expect(text).toContain('\\*\\*loud\\*\\*');
    expect(text).not.toMatch(/[\u202a-\u202e]/);
  });

  it('given a markdown document, shows its backslash escapes resolved (\\$ as $), and keeps them in plain text', () => {
    const excerpt = 'Trade exceeded \\$ 5 billion \\[8\\].';
    const md = description(
      renderAnswer(answered({ answer: excerpt, sources: [src({ doc: 'a.md', excerpt, highlight: null })] }), {
        key: null,
        canThread: false,
      }),
    );
    expect(md).toContain('> Trade exceeded $ 5 billion \\[8\\].');
    const txt = description(
      renderAnswer(
        answered({ answer: excerpt, sources: [src({ doc: 'a.txt', excerpt, highlight: null })] }),
        {
          key: null,
          canThread: false,
        },
      ),
    );
    expect(txt).toContain('> Trade exceeded \\\\$ 5 billion \\\\\\[8\\\\\\].');
  });

  it('given a Find source reference, links the message', () => {
    const text = description(
      renderAnswer(answered(), {
        key: null,
        canThread: false,
        reference: { url: 'https://discord.com/channels/1/2/3', author: 'ada' },
      }),
    );
    expect(text.startsWith('Source for [this message](https://discord.com/channels/1/2/3) by ada:')).toBe(
      true,
    );
  });

  it('given a reference url that is not a Discord message link, does not link it', () => {
    const text = description(
      renderAnswer(answered(), {
        key: null,
        canThread: false,
        reference: { url: 'https://evil.example/', author: 'x' },
      }),
    );
    expect(text).not.toContain('evil.example');
  });
});

describe('other renderers', () => {
  it('renderMoreSources shows the passages after the first, numbered from 2', () => {
    const reply = renderMoreSources(
      'q',
      [src(), src({ title: 'Second doc' }), src({ title: 'Third doc' })],
      true,
    );
    const names = reply.embeds[0]?.fields?.map((f) => f.name) ?? [];
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^2\. \*\*Second doc\*\*/);
    expect(names[1]).toMatch(/^3\. \*\*Third doc\*\*/);
  });

  it('renderFullPassage shows the passage with the answer in bold between its neighbours', () => {
    const view: PassageView = {
      source: src(),
      previous: src({ excerpt: 'Before text.', lines: [10, 10] }),
      next: src({ excerpt: 'After text.', lines: [16, 17] }),
      count: 9,
    };
    const text = description(renderFullPassage(view));
    expect(text).toMatch(
      /Previous passage\*\* · line 10\n> Before text\.\n\n\*\*This passage\*\* · lines 12–14\n> .*\*\*The two countries/,
    );
    expect(text).toContain('**Next passage** · lines 16–17\n> After text.');
    expect(renderFullPassage(view).embeds[0]?.footer?.text).toContain('Passage 2 of 9');
  });

  it('renderSource steps to the previous and next passage, disabled at the ends', () => {
    const first = renderSource(
      { source: src({ ordinal: 0 }), previous: null, next: src({ ordinal: 1 }), count: 2 },
      'dk',
    );
    const buttons = first.components[0]?.components ?? [];
    expect(buttons.map((b) => ['custom_id' in b ? b.custom_id : '', b.disabled ?? false])).toEqual([
      ['fn:src:dk:0', true],
      ['fn:src:dk:1', false],
    ]);
  });

  it('renderLookup pages hits 8 at a time with previous/next buttons and bolds the term', () => {
    const hits = Array.from({ length: 20 }, (_, i) => ({
      sentence: `Sentence ${i} mentions the Belt and Road initiative.`,
      start: 0,
      end: 10,
      line: i + 1,
      section: 'Trade',
      passageId: `p${i}`,
    }));
    const result: LookupResult = {
      term: 'belt and road',
      total: 20,
      groups: [
        { doc: 'a.md', title: 'Doc A', hits: hits.slice(0, 12) },
        { doc: 'b.md', title: 'Doc B', hits: hits.slice(12) },
      ],
    };
    const page0 = renderLookup(result, 0, 'lk');
    expect(description(page0).match(/^• /gm)).toHaveLength(8);
    expect(description(page0)).toContain('**Belt and Road**');
    expect(description(page0)).toContain('— Trade, line 1');
    expect(page0.embeds[0]?.footer?.text).toBe('Page 1 of 3 · 20 sentences found');
    expect(customIds(page0)).toEqual(['fn:look:lk:0', 'fn:look:lk:1']);
    expect(page0.components[0]?.components[0]?.disabled).toBe(true);

    const page1 = renderLookup(result, 1, 'lk');
    expect(description(page1)).toContain('**Doc A**');
    expect(description(page1)).toContain('**Doc B**');
    const last = renderLookup(result, 99, 'lk');
    expect(last.embeds[0]?.footer?.text).toContain('Page 3 of 3');
    expect(last.components[0]?.components[1]?.disabled).toBe(true);
  });

  it('renderLookup with no hits says so and has no buttons', () => {
    const reply = renderLookup({ term: 'zebra', total: 0, groups: [] }, 0, 'lk');
    expect(description(reply)).toContain('No sentence in the documents mentions this term.');
    expect(reply.components).toEqual([]);
  });

  it('renderSearch lists passages with locations and scores', () => {
    const reply = renderSearch('partnership', [src(), src({ score: 0.01, section: '' })]);
    const fields = reply.embeds[0]?.fields ?? [];
    expect(fields[0]?.name).toBe('1. **Kazakh–Chinese relations** › History · lines 12–14 · score 0.033');
    expect(fields[1]?.name).toBe('2. **Kazakh–Chinese relations** › lines 12–14 · score 0.010');
    expect(fields[0]?.value).toContain('**The two countries signed');
  });

  it('renderBrief groups passages by document with the key sentence in bold', () => {
    const reply = renderBrief({
      topic: 'trade',
      found: true,
      groups: [
        { doc: 'a.md', title: 'Doc A', items: [src(), src()] },
        { doc: 'b.md', title: 'Doc B', items: [src()] },
      ],
    });
    const fields = reply.embeds[0]?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual(['Doc A', 'Doc B']);
    expect(fields[0]?.value.match(/\*\*The two countries/g)).toHaveLength(2);
    expect(fields[0]?.value).toContain('— History · lines 12–14');
  });

  it('renderBrief when nothing is relevant labels the closest passage', () => {
    const reply = renderBrief({
      topic: 'zebra',
      found: false,
      groups: [{ doc: 'a.md', title: 'Doc A', items: [src()] }],
    });
    expect(description(reply)).toContain('Closest passage (not clearly about it)');
    expect(reply.embeds[0]?.fields?.[0]?.value).not.toContain('**');
  });

  it('renderDocs lists documents and the index', () => {
    const reply = renderDocs(
      [
        {
          doc: 'a.md',
          title: 'Doc A',
          author: 'Ada',
          url: 'https://example.com/a',
          passages: 12,
          chars: 3400,
        },
      ],
      { builtAt: '2025-01-02T03:04:05Z', model: 'ngram', dimension: 2048, passages: 12, corpusChecksum: 'x' },
    );
    expect(description(reply)).toBe(
      '**[Doc A](https://example.com/a)** — Ada\na.md · 12 passages · 3400 characters',
    );
    expect(reply.embeds[0]?.footer?.text).toBe(
      'Index built 2025-01-02T03:04:05Z · embeddings: ngram (2048-d) · 12 passages',
    );
  });

  it('renderRateLimited says when to try again', () => {
    expect(renderRateLimited(11.2, 'user').content).toBe('You are asking quickly. Please try again in 12 s.');
  });

  it('every help command is listed', () => {
    const all = texts(renderHelp()).join('\n');
    for (const c of [
      '/ask',
      '/lookup',
      '/search',
      '/source',
      '/brief',
      '/docs',
      'Find source',
      'Discuss in thread',
    ]) {
      expect(all).toContain(c);
    }
  });
});
