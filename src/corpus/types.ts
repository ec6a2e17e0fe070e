/** One document of the corpus, as read from disk. */
export interface CorpusDocument {
  /** Path relative to the corpus folder, with `/` separators: the document's id. */
  readonly path: string;
  /**
   * The title to show, decided at load by `documentTitle` (src/corpus/title.ts): the front matter (or metadata)
   * title, else the best top-level heading in the language of most of the text, all capitals made readable, else
   * the file name made readable. Passages, the index, the command line, the JSON results and the bot show this.
   */
  readonly title: string;
  /**
   * The title as the document gives it, when it differs from `title`: front matter (or metadata) `title` as
   * written, else the first heading as written (markdown removed), else the readable file name. Search reads this
   * one (see `Passage.searchTitle`), so making titles readable does not move answers.
   */
  readonly rawTitle?: string;
  readonly author?: string;
  readonly url?: string;
  /**
   * `.txt`/`.md`: the whole file decoded (UTF-8, or UTF-16 with a byte order mark), front matter included, with
   * control characters other than tab, line feed and carriage return replaced by spaces (same length, so offsets
   * match the decoded file). HTML, DOCX, PDF: the extracted text (see `structure`), which is what passages quote.
   */
  readonly text: string;
  /** Offset in `text` where the body starts (after any YAML front matter); 0 without front matter. */
  readonly bodyStart: number;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
  /** What the file was read as; absent means by its extension (`.md` as markdown, anything else as plain text). */
  readonly format?: DocumentFormat;
  /**
   * Headings and content blocks of an extracted document (HTML, DOCX, PDF), as offsets into `text`; passages are
   * cut from these blocks instead of parsing `text`. Absent for `.txt` and `.md`.
   */
  readonly structure?: DocumentStructure;
}

/** The kinds of file the corpus reads. */
export type DocumentFormat = 'txt' | 'md' | 'html' | 'docx' | 'pdf';

/** The structure of an extracted document: every heading and block lies inside `CorpusDocument.text`. */
export interface DocumentStructure {
  /** Headings in order (levels 1–6); each heading is a line of `text` of its own. */
  readonly headings: readonly Heading[];
  /** Content blocks (paragraphs, list items, table rows) in order, trimmed, never overlapping a heading. */
  readonly blocks: readonly StructureBlock[];
  /** PDF: offset in `text` where page i + 1 starts, ascending; a passage's page is the page of its start. */
  readonly pageStarts?: readonly number[];
}

/** One content block of an extracted document. */
export interface StructureBlock {
  readonly start: number;
  readonly end: number;
  /** Index in `headings` of the heading above it, -1 before the first heading. */
  readonly section: number;
}

/** A corpus file that was not read, and why: `reason` names the file and says how to fix it. */
export interface SkippedFile {
  /** Path relative to the corpus folder, `/` separators. */
  readonly path: string;
  readonly reason: string;
}

/** A passage: a run of whole sentences inside one paragraph or a few short paragraphs. */
export interface Passage {
  /** Stable across rebuilds of an unchanged document: `<doc>#<ordinal>-<hash8>`. */
  readonly id: string;
  /** Document path relative to the corpus folder. */
  readonly doc: string;
  /** The document's readable title (`CorpusDocument.title`): what is shown. */
  readonly title: string;
  /**
   * The document's title as written (`CorpusDocument.rawTitle`), when it differs from `title`: what the embedding
   * text and the lexical `section` field read, with `headings`.
   */
  readonly searchTitle?: string;
  /** The nearest heading above the passage as written, '' when there is none. */
  readonly section: string;
  /**
   * The path of headings above the passage, outermost first, each under the nearest heading before it of a
   * lower level (H1 › H2 › H3), plain text. The document's first heading is left out when it is the title as
   * written (`searchTitle ?? title`), so a passage right under it has `[]` while `section` is that heading. Ends
   * with `section` otherwise.
   */
  readonly headings: readonly string[];
  /** `doc.text.slice(start, end) === text`, JavaScript string indices. */
  readonly start: number;
  readonly end: number;
  /** 1-based line numbers of the first and last character. */
  readonly lineStart: number;
  readonly lineEnd: number;
  /** 0-based position of the passage within its document, for previous/next navigation. */
  readonly ordinal: number;
  readonly text: string;
  /** PDF only: the 1-based page on which the passage starts. */
  readonly page?: number;
}

/** How documents are cut into passages. Part of the index manifest: changing it rebuilds the index. */
export interface PassageSettings {
  /** Passages grow sentence by sentence up to about this many characters. */
  readonly targetChars: number;
  /** A single sentence longer than this is cut at word boundaries. */
  readonly maxChars: number;
}

/** A heading of a document: a markdown `#`/setext heading, or a title-like line of a plain-text file. */
export interface Heading {
  /** The heading's text, markdown removed. */
  readonly text: string;
  /** 1–6 as in markdown; plain-text headings are 2 (the document title being 1). */
  readonly level: number;
  /** Span of the heading line in the document's text, trimmed, markers included. */
  readonly start: number;
  readonly end: number;
  /** 1-based line number. */
  readonly line: number;
}
