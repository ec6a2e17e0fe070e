/** One document of the corpus, as read from disk. */
export interface CorpusDocument {
  /** Path relative to the corpus folder, with `/` separators: the document's id. */
  readonly path: string;
  /** From front matter `title`, else the first markdown heading, else the file name made readable. */
  readonly title: string;
  readonly author?: string;
  readonly url?: string;
  /** The whole file decoded as UTF-8 (front matter included), so offsets match the file. */
  readonly text: string;
  /** Offset in `text` where the body starts (after any YAML front matter); 0 without front matter. */
  readonly bodyStart: number;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
}

/** A passage: a run of whole sentences inside one paragraph or a few short paragraphs. */
export interface Passage {
  /** Stable across rebuilds of an unchanged document: `<doc>#<ordinal>-<hash8>`. */
  readonly id: string;
  /** Document path relative to the corpus folder. */
  readonly doc: string;
  readonly title: string;
  /** The nearest heading above the passage, '' when there is none. */
  readonly section: string;
  /**
   * The path of headings above the passage, outermost first, each under the nearest heading before it of a
   * lower level (H1 › H2 › H3), plain text. The document's first heading is left out when it is the title
   * (`title`), so a passage right under the title has `[]` while `section` is the title. Ends with `section`
   * otherwise.
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
