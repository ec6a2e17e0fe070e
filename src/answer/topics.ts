import { foldTerm } from '../language/fold.js';
import { isStopword } from '../language/stopwords.js';
import type { Passage } from '../corpus/types.js';

/** Most topics offered for autocomplete. */
const MAX_TOPICS = 500;

// A run of capitalised words (names, organisations, places), allowing a lower-case joiner inside.
const NAME = /\p{Lu}[\p{L}\p{M}’'-]*(?:\s+(?:(?:of|and|the|for|de|del|и)\s+)?\p{Lu}[\p{L}\p{M}’'-]*)*/gu;
// Figures with a unit: "$ 14,539.3 million", "2.9%", "20 million tons".
const FIGURE = /(?:\\?\$\s?)?\d[\d,.\s]*\d?(?:\s?%|\s(?:million|billion|thousand|tons?|km|млн|млрд)\b)/giu;

/**
 * The corpus's key terms, most frequent first: section headings, then names, organisations and
 * places (runs of capitalised words, acronyms), then figures with units. Used for autocomplete.
 */
export function extractTopics(passages: readonly Passage[]): string[] {
  const counts = new Map<string, { label: string; count: number; heading: boolean }>();
  const add = (raw: string, heading = false) => {
    const label = raw
      .replace(/\s+/g, ' ')
      .replace(/^(?:the|a|an)\s+/i, '')
      .replace(/[’']s$/u, '')
      .replace(/[\s:.,;]+$/u, '')
      .trim();
    if (label.length < 2 || label.length > 100) return;
    const key = foldTerm(label);
    if (!label.includes(' ') && isStopword(key)) return;
    const entry = counts.get(key) ?? { label, count: 0, heading };
    entry.count += 1;
    entry.heading ||= heading;
    counts.set(key, entry);
  };
  const sections = new Set<string>();
  for (const passage of passages) {
    if (passage.section && !sections.has(passage.section)) {
      sections.add(passage.section);
      add(passage.section, true);
    }
    for (const match of passage.text.matchAll(NAME)) {
      // A lone capitalised word at a sentence start is usually just the first word.
      const at = match.index;
      const before = passage.text.slice(Math.max(0, at - 2), at);
      const single = !match[0].includes(' ') && !/^\p{Lu}{2,}/u.test(match[0]);
      if (single && (at === 0 || /[.!?]\s$|\n$/.test(before))) continue;
      add(match[0]);
    }
    for (const match of passage.text.matchAll(FIGURE)) add(match[0].replace(/^\\/, ''));
  }
  return [...counts.values()]
    .filter((e) => e.heading || e.count >= 1)
    .sort(
      (a, b) => Number(b.heading) - Number(a.heading) || b.count - a.count || a.label.localeCompare(b.label),
    )
    .slice(0, MAX_TOPICS)
    .map((e) => e.label);
}
