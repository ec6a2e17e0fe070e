import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from '../../src/answer/claims.js';
import type { FootnoteEngine } from '../../src/answer/engine.js';
import { openEngine } from '../../src/answer/open-engine.js';
import {
  conflictingValues,
  findValues,
  normalizeValue,
  normalizeValues,
  sameValue,
} from '../../src/answer/values.js';
import { loadConfig } from '../../src/config.js';

/**
 * Claim checks: value normalisation (offline), and verdicts over the bundled corpus with the default embeddings
 * (the real USE model). The claims are not in claims-dev.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('value normalisation', () => {
  const same: [string, string][] = [
    ['$20 billion', '20 billion dollars'],
    ['20 billion dollars', '20 млрд долларов'],
    ['$13.8B', '$13.8 billion'],
    ['12,9 млрд', '$12.9 billion'],
    ['3 seconds', 'three seconds'],
    ['6 weeks', 'six weeks'],
    ['1 Jan 2023', 'January 1, 2023'],
    ['1 January 2023', '2023-01-01'],
    ['10-12 September 2019', 'September 10-12, 2019'],
    ['мае 2006', 'May 2006'],
    ['16.8%', '16.8 percent'],
    ['2,800 km', '2800 km'],
    ['fourth', '4th'],
  ];
  it.each(same)('%s = %s', (a, b) => {
    const x = normalizeValue(a);
    const y = normalizeValue(b);
    expect(x).not.toBeNull();
    expect(y).not.toBeNull();
    expect(sameValue(x!, y!)).toBe(true);
    expect(sameValue(y!, x!)).toBe(true);
  });

  const different: [string, string, boolean][] = [
    // [a, b, conflicting: same kind of value, another figure]
    ['$20 billion', '$50 billion', true],
    ['20 billion dollars', '20 billion tenge', false],
    ['10 seconds', 'five seconds', true],
    ['10', '10 seconds', false],
    ['May 2004', 'May 2006', true],
    ['May 2004', 'June 2006', false],
    ['August 2015', 'August 2017', true],
    ['25%', '38%', true],
    ['25%', '25', false],
    ['third', 'fifth', true],
  ];
  it.each(different)('%s ≠ %s (conflicting: %s)', (a, b, conflicting) => {
    const x = normalizeValue(a)!;
    const y = normalizeValue(b)!;
    expect(sameValue(x, y)).toBe(false);
    expect(conflictingValues(x, y)).toBe(conflicting);
  });

  it('keeps the spans and kinds of findValues as they are', () => {
    const text = 'In May 2006 trade reached $8 billion, up 17% in 3 seconds flat, on January 1, 2023.';
    const spans = findValues(text).map((v) => text.slice(v.start, v.end));
    expect(spans).toEqual(['May 20', '$8 billion', '17%', '3 seconds', 'January 1, 2023']);
    expect(normalizeValues(text).map((v) => v.text)).toEqual([
      'May 2006',
      '$8 billion',
      '17%',
      '3 seconds',
      'January 1, 2023',
    ]);
  });
});

describe('sentences that are not claims', () => {
  it.each([
    ['Is that really true?', 'question'],
    ['Hello everyone!', 'greeting'],
    ['Thanks!', 'greeting'],
    ['I think this is a terrible idea.', 'opinion'],
    ['lol', 'no-fact'],
  ] as const)('given "%s", skips it as %s', (text, reason) => {
    expect(skipReason(text)).toBe(reason);
  });

  it('given a statement of fact, checks it', () => {
    expect(skipReason('CNPC bought a 50% stake in 2009.')).toBeNull();
  });
});

describe('checkClaim over the bundled corpus', () => {
  let tmp: string;
  let engine: FootnoteEngine;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'footnote-claims-'));
    engine = await openEngine({
      config: loadConfig({ CORPUS_DIR: join(ROOT, 'corpus'), INDEX_DIR: join(tmp, 'index'), DATA_DIR: tmp }),
    });
  }, 180_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('given a claim a passage states, says supported and quotes that passage', async () => {
    const { claims } = await engine.checkClaim('In 2009, CNPC acquired a 50% stake in MangistauMunaiGas.');
    expect(claims).toHaveLength(1);
    const [c] = claims;
    expect(c?.verdict).toBe('supported');
    expect(c?.confidence).toBeGreaterThan(0.8);
    const first = c!.sources[0]!;
    expect(first.doc).toBe('kazakh-chinese-relations.txt');
    expect(first.excerpt.slice(first.highlight!.start, first.highlight!.end)).toContain('MangistauMunaiGas');
  });

  it('given another figure for the same subject, says contradicted with both values as written', async () => {
    const { claims } = await engine.checkClaim(
      "According to the International Energy Agency, China's energy imports will reach 60% in 2030.",
    );
    const [c] = claims;
    expect(c?.verdict).toBe('contradicted');
    expect(c?.mismatch).toEqual({ claimed: '60%', documented: '77%' });
    const first = c!.sources[0]!;
    expect(first.excerpt.slice(first.highlight!.start, first.highlight!.end)).toContain('77%');
  });

  it('given a claim the documents do not state, says not found', async () => {
    const { claims } = await engine.checkClaim(
      'Kazakhstan exported 3 million tons of wheat to China in 2021.',
    );
    expect(claims[0]?.verdict).toBe('not_found');
    expect(claims[0]?.mismatch).toBeUndefined();
  });

  it('given a message of several sentences, checks each claim and lists what it skipped', async () => {
    const check = await engine.checkClaim(
      'Hi all! In 2009, CNPC acquired a 30% stake in MangistauMunaiGas. Does anyone know more?',
    );
    expect(check.claims.map((c) => c.verdict)).toEqual(['contradicted']);
    expect(check.claims[0]?.mismatch).toEqual({ claimed: '30%', documented: '50%' });
    expect(check.skipped.map((s) => s.reason)).toEqual(['greeting', 'question']);
  });
});
