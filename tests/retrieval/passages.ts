import type { Passage } from '../../src/corpus/types.js';

/** A synthetic passage for index tests: offsets as if it were the whole of its own document. */
export function passage(id: string, text: string, section = ''): Passage {
  return {
    id,
    doc: `${id}.md`,
    title: id,
    section,
    headings: section === '' ? [] : [section],
    start: 0,
    end: text.length,
    lineStart: 1,
    lineEnd: 1 + (text.match(/\n/g)?.length ?? 0),
    ordinal: 0,
    text,
  };
}
