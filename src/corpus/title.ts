import path from 'node:path';

/**
 * A document's title as people read it, decided once when the document is read (see `readDocument`), so the
 * index, the command line, the JSON results and the bot all show the same one:
 * 1. a declared title (front matter `title`, an HTML `<title>`, DOCX or PDF metadata), all capitals made readable;
 * 2. else the first top-level heading when it is in the language of most of the document's text and not all
 *    capitals;
 * 3. else the first top-level heading in that language that reads like a title (four words or more, no run of
 *    three digits), all capitals made readable;
 * 4. else the first top-level heading, all capitals made readable;
 * 5. else the file name made readable ({@link readableFileName}).
 *
 * "Top-level" is the lowest heading level among the first {@link TITLE_HEADINGS} headings: a paper whose
 * all-capital Russian title is followed by its English one (both `#`) gets the English one in an English text.
 * All capitals become title case in English and sentence case in Russian ({@link readableCase}).
 */
export interface TitleInput {
  /** Path relative to the corpus folder, for the file-name fallback. */
  readonly path: string;
  /** The document's text, front matter included; `bodyStart` is where the body starts. */
  readonly text: string;
  readonly bodyStart?: number;
  /** The title the document declares (front matter, HTML `<title>`, DOCX/PDF metadata), if any. */
  readonly declared?: string | undefined;
  /** The document's headings in order, with their levels (1–6); none for plain text. */
  readonly headings: readonly { readonly text: string; readonly level: number }[];
}

/** How many headings from the start of a document are looked at for its title. */
export const TITLE_HEADINGS = 12;

/** The title to show for a document (see {@link TitleInput}). */
export function documentTitle(input: TitleInput): string {
  const declared = collapse(input.declared ?? '');
  if (declared !== '') return readableCase(declared);
  const first = input.headings
    .slice(0, TITLE_HEADINGS)
    .map((h) => ({ text: collapse(h.text), level: h.level }))
    .filter((h) => h.text !== '');
  const top = Math.min(...first.map((h) => h.level));
  const candidates = first.filter((h) => h.level === top).map((h) => h.text);
  const script = mainScript(input.text.slice(input.bodyStart ?? 0));
  const lead = candidates[0];
  if (lead !== undefined && mainScript(lead) === script && !isAllCaps(lead)) return lead;
  const titleLike = candidates.find(
    (h) => mainScript(h) === script && h.split(' ').length >= 4 && !/\d{3}/u.test(h),
  );
  if (titleLike !== undefined) return readableCase(titleLike);
  if (lead !== undefined) return readableCase(lead);
  return readableFileName(input.path, input.text);
}

/** All-capital text in title case (English) or sentence case (Russian); other text unchanged but for spaces. */
export function readableCase(text: string): string {
  const t = collapse(text);
  if (!isAllCaps(t)) return t;
  const lower = t.toLocaleLowerCase();
  if (mainScript(t) === 'cyrillic') return lower.charAt(0).toLocaleUpperCase() + lower.slice(1);
  return lower
    .split(' ')
    .map((word, i) =>
      i > 0 && SMALL_WORDS.has(word)
        ? word
        : word.replace(/(^|[-–/(“"'])(\p{L})/gu, (_m, p: string, c: string) => p + c.toLocaleUpperCase()),
    )
    .join(' ');
}

/** English words left in lower case inside a title. */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

/**
 * A title from the file name: extension dropped, `-`/`_` as spaces, first letter capitalised, and each other
 * word in the casing the document itself uses most ("kazakh-chinese-relations.txt" → "Kazakh Chinese relations").
 */
export function readableFileName(relPath: string, text = ''): string {
  const base = path.posix.basename(relPath).replace(/\.[^.]+$/u, '');
  const words = base.split(/[-_\s]+/u).filter((w) => w !== '');
  if (words.length === 0) return base === '' ? relPath : base;
  const casings = new Map<string, Map<string, number>>();
  const wanted = new Set(words.map((w) => w.toLowerCase()));
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const lower = m[0].toLowerCase();
    if (!wanted.has(lower)) continue;
    const counts = casings.get(lower) ?? new Map<string, number>();
    counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    casings.set(lower, counts);
  }
  const cased = words.map((w) => {
    const counts = casings.get(w.toLowerCase());
    if (!counts || w !== w.toLowerCase()) return w;
    let best = w;
    let bestCount = 0;
    for (const [form, n] of counts) {
      if (n > bestCount || (n === bestCount && form === w)) {
        best = form;
        bestCount = n;
      }
    }
    return best;
  });
  const title = cased.join(' ');
  return title.charAt(0).toLocaleUpperCase() + title.slice(1);
}

/** The script most letters of a text are in: Cyrillic or (otherwise) Latin. */
export function mainScript(text: string): 'cyrillic' | 'latin' {
  return letters(text, /\p{Script=Cyrillic}+/gu) > letters(text, /\p{Script=Latin}+/gu) ? 'cyrillic' : 'latin';
}

/** Letters of `text` matched by a `+` pattern, counted by runs (no array of every letter). */
function letters(text: string, runs: RegExp): number {
  let n = 0;
  for (const m of text.matchAll(runs)) n += m[0].length;
  return n;
}

/** Four letters or more, all capitals. */
export function isAllCaps(text: string): boolean {
  const all = text.match(/\p{L}/gu) ?? [];
  return all.length >= 4 && all.every((c) => c === c.toLocaleUpperCase() && c !== c.toLocaleLowerCase());
}

function collapse(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
