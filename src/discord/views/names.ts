import type { DocumentInfo, Engine, Source } from '../../answer/types.js';
import { readableCase, readableFileName } from '../../corpus/title.js';
import { BUDGET } from './budgets.js';
import { fitInline } from './text.js';

/**
 * Names people can read and links they can click, from what the engine gives:
 * - a document's title as the engine lists it (readable already: decided at load, src/corpus/title.ts);
 * - section names without trailing punctuation, table rows or all capitals;
 * - a citation link from front matter `url` or `CORPUS_URL_TEMPLATE` (`{path}`, `{line}`, `{endLine}`, `{page}`).
 */
export interface DisplayDoc {
  readonly doc: string;
  readonly title: string;
  readonly author: string | null;
  /** Front matter `url`, when it is an http(s) URL. */
  readonly url: string | null;
}

/** Display names and links of one engine's documents. */
export interface Catalog {
  /** The document as it is shown; for a document the engine does not list, `fallbackTitle` or its file name. */
  doc(path: string, fallbackTitle?: string): DisplayDoc;
  /** The section as it is shown: '' when it is empty, the title itself, or not a heading (a table row). */
  section(source: Pick<Source, 'doc' | 'section'>): string;
  /** The link to the exact place of a source, or null when no `url` nor template applies. */
  link(source: Pick<Source, 'doc' | 'lines'> & { readonly page?: number }): string | null;
}

const catalogs = new WeakMap<object, Map<string, Catalog>>();

/** The catalog of an engine's documents, computed once per engine (and template). */
export function catalogOf(engine: Pick<Engine, 'documents'>, urlTemplate: string | undefined): Catalog {
  const key = urlTemplate ?? '';
  let byTemplate = catalogs.get(engine);
  if (!byTemplate) {
    byTemplate = new Map();
    catalogs.set(engine, byTemplate);
  }
  let catalog = byTemplate.get(key);
  if (!catalog) {
    catalog = buildCatalog(engine.documents(), urlTemplate);
    byTemplate.set(key, catalog);
  }
  return catalog;
}

/** Builds a catalog from the engine's document list. */
export function buildCatalog(docs: readonly DocumentInfo[], urlTemplate?: string): Catalog {
  const shown = new Map<string, DisplayDoc>();
  for (const d of docs) {
    const title = d.title.replace(/\s+/g, ' ').trim();
    shown.set(d.doc, {
      doc: d.doc,
      title: title || readableFileName(d.doc),
      author: d.author?.trim() ? d.author.trim() : null,
      url: d.url !== undefined && isHttpUrl(d.url) ? d.url : null,
    });
  }
  const titles = new Map([...shown.values()].map((d) => [d.doc, d.title]));
  return {
    doc(path, fallbackTitle) {
      return (
        shown.get(path) ?? {
          doc: path,
          title: fallbackTitle?.trim() ? fallbackTitle.replace(/\s+/g, ' ').trim() : readableFileName(path),
          author: null,
          url: null,
        }
      );
    },
    section(source) {
      return displaySection(source.section, titles.get(source.doc));
    },
    link(source) {
      const d = shown.get(source.doc);
      const template = d?.url ?? urlTemplate;
      if (!template) return null;
      return fillTemplate(template, source.doc, source.lines, source.page);
    },
  };
}

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/** The section to show: trailing punctuation removed; '' for the title itself or a table-like row. */
export function displaySection(section: string, title?: string): string {
  const s = section
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.,;:·—–-]+$/u, '');
  if (s === '' || s.includes('|')) return '';
  const digits = count(s, /\p{N}/gu);
  if (digits / s.length > 0.25 || /\d[\d ]*[.,]\d+$/.test(s)) return '';
  if (title !== undefined && (s === title || readableCase(s) === title)) return '';
  return readableCase(s);
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>]{1,500}$/.test(url);
}

/**
 * A template filled for one place: `{path}` (each segment URL-encoded), `{line}`, `{endLine}`, `{page}`.
 * A placeholder with no value (`{page}` for a text file) takes the fragment it sits in away (`#page={page}` → ''),
 * or the whole link when it sits before the fragment. Null unless the result is an http(s) URL that cannot break
 * out of a markdown link.
 */
export function fillTemplate(
  template: string,
  path: string,
  lines: readonly [number, number],
  page?: number,
): string | null {
  let encoded: string;
  try {
    encoded = path.split('/').map(encodeURIComponent).join('/');
  } catch {
    return null; // a lone surrogate: not a path a URL can carry
  }
  const values: Record<string, string | undefined> = {
    path: encoded,
    line: Number.isFinite(lines[0]) ? String(Math.trunc(lines[0])) : undefined,
    endLine: Number.isFinite(lines[1]) ? String(Math.trunc(lines[1])) : undefined,
    page: page !== undefined && Number.isFinite(page) ? String(Math.trunc(page)) : undefined,
  };
  const hash = template.indexOf('#');
  const fill = (part: string): string | null => {
    let missing = false;
    const out = part.replace(/\{(path|line|endLine|page)\}/g, (_m, name: string) => {
      const v = values[name];
      if (v === undefined) missing = true;
      return v ?? '';
    });
    return missing ? null : out;
  };
  const base = fill(hash >= 0 ? template.slice(0, hash) : template);
  if (base === null) return null;
  const fragment = hash >= 0 ? fill(template.slice(hash)) : '';
  const url = (base + (fragment ?? '')).replace(
    /[()\s<>]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return isHttpUrl(url) ? url : null;
}

/** "line 4" / "lines 4–9", for a label table's `line` and `lines` entries. */
export function lineRangeText(
  lines: readonly [number, number],
  t: (key: 'line' | 'lines', vars: Record<string, string | number>) => string,
): string {
  const [a, b] = lines;
  const n = (x: number) => (Number.isFinite(x) ? String(Math.trunc(x)) : '?');
  return a === b ? t('line', { a: n(a) }) : t('lines', { a: n(a), b: n(b) });
}

/**
 * A short citation: `Title › Section` (the title left out with `withTitle` false, in lists grouped by document),
 * escaped, at most {@link BUDGET.citation} characters of visible text cut on a word, and the line range; a link to
 * the exact place when the catalog has one. `**bold**` title when asked.
 */
export function citation(
  catalog: Catalog,
  source: Pick<Source, 'doc' | 'section' | 'lines' | 'title'>,
  t: (key: 'line' | 'lines', vars: Record<string, string | number>) => string,
  options: { withTitle?: boolean; bold?: boolean } = {},
): string {
  const withTitle = options.withTitle ?? true;
  const title = catalog.doc(source.doc, source.title).title;
  const section = catalog.section(source);
  const max = BUDGET.citation;
  let name: string;
  if (!withTitle) name = fitInline(section, max);
  else if (!section) name = fitInline(title, max);
  else {
    const titlePart = fitInline(title, Math.max(24, max - Math.min(section.length, 30) - 3));
    name = `${titlePart} › ${fitInline(section, Math.max(8, max - titlePart.length - 3))}`;
  }
  const where = lineRangeText(source.lines, t);
  const url = catalog.link(source);
  const text = name ? `${options.bold && withTitle ? `**${name}**` : name} · ${where}` : where;
  return url ? `[${text}](${url})` : text;
}
