import type { Labels } from './labels.js';
import type { Catalog } from './names.js';

/** What every view needs besides its data: the member's labels and the documents' display names and links. */
export interface ViewContext {
  readonly t: Labels;
  readonly catalog: Catalog;
}

/** Whether a document is a markdown file: its inline formatting renders, its backslash escapes are resolved. */
export function isMarkdown(doc: string | undefined): boolean {
  return doc !== undefined && /\.(md|markdown)$/i.test(doc);
}

/** An integer for display; "?" for anything that is not a finite number. */
export function count(n: number): string {
  return Number.isFinite(n) ? String(Math.trunc(n)) : '?';
}
