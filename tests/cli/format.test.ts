import { describe, expect, it } from 'vitest';
import type { AnswerResult } from '../../src/answer/types.js';
import { formatForTerminal } from '../../src/cli/format.js';

const EXCERPT =
  'Kazakhstan and China met in 1992. The initiative links 65 states across three continents. More text.';
const ANSWER = 'The initiative links 65 states across three continents.';

function result(phrase: { start: number; end: number } | null): AnswerResult {
  const start = EXCERPT.indexOf(ANSWER);
  return {
    answered: true,
    question: 'How many states does it link?',
    answer: ANSWER,
    confidence: 0.9,
    answerType: 'count',
    notes: [],
    sources: [
      {
        passageId: 'bri.md#0-abcdef12',
        doc: 'bri.md',
        title: 'The Belt and Road Initiative',
        section: 'Scope',
        start: 0,
        end: EXCERPT.length,
        lines: [3, 3],
        excerpt: EXCERPT,
        score: 1,
        highlight: { start, end: start + ANSWER.length },
        ordinal: 0,
        phrase,
      },
    ],
  };
}

const B = '\u001b[1m';
const E = '\u001b[22m';

describe('formatForTerminal', () => {
  it('on a terminal, shows the answering phrase in bold in the answer and the highlight in bold in the excerpt', () => {
    const at = EXCERPT.indexOf('65 states');
    const out = formatForTerminal(result({ start: at, end: at + '65 states'.length }), true);
    expect(out).toContain(`“The initiative links ${B}65 states${E} across three continents.”`);
    expect(out).toContain(`${B}${ANSWER}${E}`);
    expect(out).toContain('Source: The Belt and Road Initiative › Scope (bri.md, line 3)');
  });

  it('without a phrase, or off a terminal, shows the answer as it is', () => {
    expect(formatForTerminal(result(null), true)).toContain(`“${ANSWER}”`);
    const at = EXCERPT.indexOf('65');
    const plain = formatForTerminal(result({ start: at, end: at + 2 }), false);
    expect(plain).toContain(`“${ANSWER}”`);
    expect(plain).not.toContain('\u001b');
  });
});
