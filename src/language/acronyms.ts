/** Anything with a text: a passage, a document. */
export interface HasText {
  readonly text: string;
}

const ACRONYM = /\b\p{Lu}{2,6}\b/gu;
const JOINERS = new Set(['and', 'of', 'the', 'for', 'in', 'on', '&']);

/**
 * Acronyms of the corpus with their expansions ("BRI" → "Belt and Road Initiative"), so a question
 * that uses one form finds passages that use the other. An expansion is a run of words whose initials
 * spell the acronym (joiners like "and", "of" skipped): either the words right before "(ACR)", or a
 * run of capitalised words anywhere in the corpus. Keys are upper-case acronyms.
 */
export function findAcronyms(passages: readonly HasText[]): Map<string, string> {
  const acronyms = new Set<string>();
  for (const p of passages) for (const m of p.text.matchAll(ACRONYM)) acronyms.add(m[0]);
  const found = new Map<string, string>();
  const words = (text: string) => [...text.matchAll(/[\p{L}&][\p{L}’'-]*/gu)].map((m) => m[0]);
  const initials = (run: readonly string[]) =>
    run
      .filter((w) => !JOINERS.has(w.toLowerCase()))
      .map((w) => w[0]!.toUpperCase())
      .join('');
  for (const p of passages) {
    // Words right before "(ACR)" or "(hereafter the ACR)".
    for (const m of p.text.matchAll(/\((?:hereafter\s+(?:the\s+)?)?(\p{Lu}{2,6})\)/gu)) {
      const acronym = m[1]!;
      const before = words(p.text.slice(Math.max(0, m.index - 120), m.index));
      for (let n = acronym.length; n <= acronym.length * 2 && n <= before.length; n++) {
        const run = before.slice(-n);
        if (JOINERS.has(run[0]!.toLowerCase())) continue;
        if (initials(run) === acronym) {
          found.set(acronym, run.join(' '));
          break;
        }
      }
    }
  }
  for (const p of passages) {
    // Capitalised runs anywhere: "Belt and Road Initiative".
    for (const m of p.text.matchAll(
      /\p{Lu}[\p{L}’'-]*(?:\s+(?:(?:and|of|the|for)\s+)?\p{Lu}[\p{L}’'-]*)+/gu,
    )) {
      const run = words(m[0]);
      const acronym = initials(run);
      if (acronyms.has(acronym) && !found.has(acronym) && run.length >= 2) found.set(acronym, run.join(' '));
    }
  }
  return found;
}
