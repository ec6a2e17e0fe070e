import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimCheck, ClaimResult } from '../../../src/answer/claims.js';
import type { DocumentInfo, Source } from '../../../src/answer/types.js';
import type { ViewContext } from '../../../src/discord/views/context.js';
import { renderCheckList, renderClaimCheck, renderWatchReply } from '../../../src/discord/views/claims.js';
import type { CheckRun } from '../../../src/discord/views/claims.js';
import { labelsFor } from '../../../src/discord/views/labels.js';
import { buildCatalog } from '../../../src/discord/views/names.js';
import { documentInfo, hostileText, source } from '../arbitraries.js';
import { expectWithinLimits } from '../limits.js';

const RUNS = { numRuns: 100 };
const TEMPLATE = 'https://example.com/docs/{path}#L{line}-L{endLine}';
const MESSAGE_URL = 'https://discord.com/channels/100000000000000001/100000000000000002/100000000000000003';

const EXCERPT =
  'Trade grew quickly. Since diplomatic relations were established, China has invested 20 billion dollars in Kazakhstan. More projects followed.';
const DECIDING =
  'Since diplomatic relations were established, China has invested 20 billion dollars in Kazakhstan.';
const DOCS: DocumentInfo[] = [
  { doc: 'relations.txt', title: 'Kazakh Chinese relations', passages: 3, chars: 900 },
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

function src(over: Partial<Source> = {}): Source {
  const start = EXCERPT.indexOf(DECIDING);
  return {
    passageId: 'relations.txt#1',
    doc: 'relations.txt',
    title: 'Kazakh Chinese relations',
    section: 'Investment',
    start: 100,
    end: 100 + EXCERPT.length,
    lines: [12, 14],
    excerpt: EXCERPT,
    score: 0.03,
    highlight: { start, end: start + DECIDING.length },
    ordinal: 1,
    ...over,
  };
}

const FEATURES = { subject: 0.9, values: 1, matched: 1, opposed: 0, missingNames: 0 };

function claim(over: Partial<ClaimResult> = {}): ClaimResult {
  return {
    claim: 'China has invested 20 billion dollars in Kazakhstan.',
    verdict: 'supported',
    confidence: 0.95,
    sources: [src()],
    features: FEATURES,
    ...over,
  };
}

const contradicted = claim({
  claim: 'China has invested 50 billion dollars in Kazakhstan.',
  verdict: 'contradicted',
  mismatch: { claimed: '50 billion dollars', documented: '20 billion dollars' },
});
const notFound = claim({
  claim: 'Some 15,000 Kazakh students study in China.',
  verdict: 'not_found',
  confidence: 0.8,
  sources: [src({ highlight: null })],
});

function checkOf(claims: ClaimResult[], skipped = 0): ClaimCheck {
  return {
    text: claims.map((c) => c.claim).join(' '),
    claims,
    skipped: Array.from({ length: skipped }, () => ({ text: 'hi all', reason: 'greeting' as const })),
  };
}

const message = { url: MESSAGE_URL, author: 'Ada' };
const description = (r: { embeds: readonly { description?: string }[] }) => r.embeds[0]?.description ?? '';

const claimResult: fc.Arbitrary<ClaimResult> = fc
  .record({
    claim: hostileText,
    verdict: fc.constantFrom('supported' as const, 'contradicted' as const, 'not_found' as const),
    confidence: fc.oneof(fc.double(), fc.constantFrom(Number.NaN, 0, 0.5, 0.99)),
    mismatch: fc.option(fc.record({ claimed: hostileText, documented: hostileText }), { nil: null }),
    sources: fc.array(source, { maxLength: 3 }),
  })
  .map(({ mismatch, ...c }) => ({ ...c, features: FEATURES, ...(mismatch ? { mismatch } : {}) }));

const view = fc
  .tuple(
    fc.array(documentInfo, { maxLength: 5 }),
    fc.boolean(),
    fc.constantFrom('en' as const, 'ru' as const),
  )
  .map(([docs, linked, lang]) => viewOf(docs, linked ? TEMPLATE : undefined, lang));

describe('claim views stay within every Discord limit (property)', () => {
  it('Find source, for any check of any message', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.array(claimResult, { maxLength: 40 }),
        fc.nat({ max: 30 }),
        fc.record({ url: fc.oneof(hostileText, fc.constant(MESSAGE_URL)), author: hostileText }),
        view,
        (text, claims, skipped, target, v) => {
          expectWithinLimits(renderClaimCheck({ ...checkOf(claims, skipped), text }, target, v));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('/check, for up to 300 claims from 50 long messages', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ result: claimResult, messageUrl: fc.oneof(hostileText, fc.constant(MESSAGE_URL)) }),
          { maxLength: 300 },
        ),
        fc.integer({ min: 1, max: 50 }),
        fc.nat({ max: 2000 }),
        fc.nat({ max: 2000 }),
        view,
        (claims, requested, unchecked, skipped, v) => {
          const run: CheckRun = { requested, claims, unchecked, maxClaims: 150, skipped };
          expectWithinLimits(renderCheckList(run, v));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a watched channel reply, for any contradiction', () => {
    fc.assert(
      fc.property(claimResult, view, (c, v) => {
        const reply = renderWatchReply(c, v);
        expectWithinLimits(reply);
        expect(reply.components).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('Find source', () => {
  it('given a supported claim, says so with the deciding quote and its citation', () => {
    const d = description(renderClaimCheck(checkOf([claim()]), message, viewOf()));
    expect(d).toContain(`Checking [this message](${MESSAGE_URL}) by Ada`);
    expect(d).toMatch(
      /^✅ \*\*Supported by the documents\*\*\n> Since diplomatic .*Kazakhstan\.\n— \*\*Kazakh Chinese relations/m,
    );
  });

  it('given a contradiction, gives the documents’ value against the claimed one, in bold in the quote too', () => {
    const d = description(renderClaimCheck(checkOf([contradicted]), message, viewOf()));
    expect(d).toContain('❌ The documents say **20 billion dollars**, not 50 billion dollars');
    expect(d).toMatch(/^> .*invested \*\*20 billion dollars\*\* in Kazakhstan/m);
    expect(d).toMatch(/^— \*\*Kazakh Chinese relations › Investment\*\* · lines 12–14$/m);
  });

  it('given an uncovered claim, says "Not found" and labels the closest passage as not settling it', () => {
    const d = description(renderClaimCheck(checkOf([notFound]), message, viewOf()));
    expect(d).toContain('➖ **Not found in the documents**');
    expect(d).toContain('-# Closest passage (does not settle it)');
  });

  it('given several claims, one line per claim, each decided one with its quote and citation', () => {
    const reply = renderClaimCheck(checkOf([claim(), contradicted, notFound], 2), message, viewOf());
    const d = description(reply);
    const heads = d.split('\n').filter((l) => /^(✅|❌|➖) “/.test(l));
    expect(heads).toHaveLength(3);
    expect(heads[0]).toContain('— **Supported by the documents**');
    expect(heads[1]).toContain('The documents say **20 billion dollars**, not 50 billion dollars');
    expect(heads[2]).toContain('— **Not found in the documents**');
    expect(d.match(/^— /gm)).toHaveLength(2);
    expect(reply.embeds[0]?.footer?.text).toBe('Not checked: 2 (questions, greetings, opinions)');
  });

  it('given only a greeting and a question, says there is nothing to check', () => {
    const d = description(renderClaimCheck(checkOf([], 2), message, viewOf()));
    expect(d).toContain('Nothing to check in this message');
  });

  it('given a low confidence, says so beside the verdict', () => {
    const d = description(renderClaimCheck(checkOf([claim({ confidence: 0.4 })]), message, viewOf()));
    expect(d).toContain('**Supported by the documents** (low confidence)');
  });

  it('given a Russian member, speaks Russian', () => {
    const d = description(renderClaimCheck(checkOf([contradicted]), message, viewOf(DOCS, undefined, 'ru')));
    expect(d).toContain('В документах **20 billion dollars**, а не 50 billion dollars');
  });
});

describe('/check list', () => {
  it('lists contradictions first, each claim with a link to its message, its verdict and the citation', () => {
    const run: CheckRun = {
      requested: 20,
      claims: [notFound, claim(), contradicted].map((result) => ({ result, messageUrl: MESSAGE_URL })),
      unchecked: 0,
      maxClaims: 150,
      skipped: 4,
    };
    const reply = renderCheckList(run, viewOf(DOCS, TEMPLATE));
    const d = description(reply);
    expect(reply.embeds[0]?.title).toBe('Check: the last 20 messages');
    expect(d.split('\n')[0]).toBe('**1** contradicted · **1** supported · **1** not found');
    const heads = d.split('\n').filter((l) => /^(✅|❌|➖) /.test(l));
    expect(heads.map((h) => h[0])).toEqual(['❌', '✅', '➖']);
    for (const h of heads) expect(h).toContain(`[message](${MESSAGE_URL})`);
    expect(d).toMatch(
      /^↳ The documents say \*\*20 billion dollars\*\*, not 50 billion dollars — \[.*\]\(https:\/\/example\.com\/docs\/relations\.txt#L12-L14\)$/m,
    );
    expect(heads[2]).toMatch(/— Not found in the documents$/);
  });

  it('given more claims than fit, lists the first and counts the rest', () => {
    const long = claim({ claim: 'x'.repeat(500) });
    const run: CheckRun = {
      requested: 50,
      claims: Array.from({ length: 150 }, () => ({ result: long, messageUrl: MESSAGE_URL })),
      unchecked: 40,
      maxClaims: 150,
      skipped: 0,
    };
    const reply = renderCheckList(run, viewOf(DOCS, TEMPLATE));
    expectWithinLimits(reply);
    const d = description(reply);
    const shown = d.split('\n').filter((l) => l.startsWith('✅ ')).length;
    expect(shown).toBeGreaterThan(5);
    expect(d).toMatch(new RegExp(`…and ${150 - shown} more$`));
    expect(reply.embeds[0]?.footer?.text).toContain('40 more sentences not checked (at most 150 per /check)');
  });

  it('given no checkable claim, says so', () => {
    const run: CheckRun = { requested: 20, claims: [], unchecked: 0, maxClaims: 150, skipped: 3 };
    expect(description(renderCheckList(run, viewOf()))).toContain(
      'No checkable claim in the last 20 messages',
    );
  });
});

describe('watched channel reply', () => {
  it('is short: the documents’ value against the claim, a quote, the citation and why the bot speaks', () => {
    const reply = renderWatchReply(contradicted, viewOf());
    const e = reply.embeds[0];
    expect(e?.description?.split('\n')).toHaveLength(3);
    expect(e?.description).toMatch(
      /^❌ The documents say \*\*20 billion dollars\*\*, not 50 billion dollars\n> /,
    );
    expect(e?.footer?.text).toContain('A moderator turned on claim checks here');
    expect((e?.description ?? '').length).toBeLessThan(600);
  });
});
