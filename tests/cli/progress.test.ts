import { describe, expect, it } from 'vitest';
import { createProgressReporter, describeFormats, formatDuration } from '../../src/cli/progress.js';

/** A stand-in for stderr that is not a terminal (CI logs). */
function logStream(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY: false, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('ingest progress', () => {
  it('formats time left and passages per format', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(describeFormats({ pdf: { documents: 2, passages: 41 }, md: { documents: 1, passages: 12 } })).toBe(
      'pdf 2 docs 41 passages, md 1 doc 12 passages',
    );
  });

  it('without a terminal, prints a line as each phase starts, from the first document read', () => {
    const { stream, text } = logStream();
    const progress = createProgressReporter(stream);
    progress.update({ phase: 'read', label: 'Reading big.txt', done: 0, total: 1 });
    expect(text()).toBe('Reading documents: 1\n');
    progress.update({
      phase: 'split',
      label: 'Cutting passages',
      done: 1,
      total: 1,
      formats: { txt: { documents: 1, passages: 9 } },
    });
    progress.update({ phase: 'embed', label: 'Embedding passages (m)', done: 0, total: 9 });
    expect(text()).toBe('Reading documents: 1\nCutting passages: 1\nEmbedding passages (m): 9\n');
    progress.stop();
  });
});
