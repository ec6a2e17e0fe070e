import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { TextBuilder, type ExtractedText } from './extracted.js';

/** Why a PDF could not be read: `message` continues "Corpus file X ..."; `fix` says what to do. */
export class PdfError extends Error {
  constructor(
    message: string,
    readonly fix = 'Replace it with a readable copy, or move it out of the corpus folder.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A line of a page as pdf.js lays it out: text, baseline height and font size in PDF units. */
interface Line {
  text: string;
  y: number;
  size: number;
  xEnd: number;
}

/** A text line is a heading when its font is at least this much larger than the body text's. */
const HEADING_SIZE_RATIO = 1.15;
/** A gap between lines larger than this many typical line gaps starts a new paragraph. */
const PARAGRAPH_GAP_RATIO = 1.45;
/** Fewer letters and digits than this in the whole file: no text layer (a scan). */
const MIN_TEXT_CHARS = 20;
/** A running header or footer is a top or bottom line seen on at least this share of pages (and on 2 or more). */
const RUNNING_SHARE = 0.6;
/** A lone page number, "Page 3", "3 of 10", "- 3 -". */
const PAGE_NUMBER = /^[\s\-–—.]*(?:(?:page|p\.|стр\.?|страница)\s*)?\d+(?:\s*(?:of|\/|из)\s*\d+)?[\s\-–—.]*$/iu;

/**
 * Extracts the text of a PDF with Mozilla's pdf.js (loaded only when the corpus holds a PDF). Each page's text
 * items are assembled into lines and lines into paragraphs (by the vertical gap between lines); lines in a larger
 * font than the body text become headings, the largest size level 1; a word hyphenated at a line end is joined
 * ("inter-\nnational" → "international"); lines repeated at the top or bottom of most pages (running headers and
 * footers, page numbers with their digits ignored) are dropped. Page starts are recorded, so a passage knows its
 * page. The title is the PDF's metadata title when it has one.
 *
 * @throws PdfError when the file is encrypted, corrupt, has no pages, or has no text layer.
 */
export async function extractPdf(bytes: Uint8Array): Promise<ExtractedText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let pdf;
  try {
    pdf = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const name = err instanceof Error ? err.name : '';
    if (name === 'PasswordException') {
      throw new PdfError('is encrypted (password protected)', 'Save a copy without a password, or move it out of the corpus folder.', {
        cause: err,
      });
    }
    throw new PdfError(`is not a readable PDF, corrupt or truncated (${describe(err)})`, undefined, { cause: err });
  }
  try {
    if (pdf.numPages === 0) throw new PdfError('has no pages', 'Export it again from the program that made it, or move it out of the corpus folder.');
    const pages: Line[][] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(toLines(content.items.filter((i): i is TextItem => 'str' in i)));
      page.cleanup();
    }
    const letters = pages.flat().reduce((sum, l) => sum + (l.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0), 0);
    if (letters < MIN_TEXT_CHARS) {
      throw new PdfError(
        'has no text layer; OCR it first',
        'It is probably a scan: add a text layer with an OCR tool (for example `ocrmypdf in.pdf out.pdf`), or move it out of the corpus folder.',
      );
    }
    dropRunningLines(pages);
    const info = await pdf.getMetadata().catch(() => undefined);
    const metaTitle = (info?.info as { Title?: unknown } | undefined)?.Title;
    return buildText(pages, typeof metaTitle === 'string' ? metaTitle : undefined);
  } catch (err) {
    if (err instanceof PdfError) throw err;
    throw new PdfError(`is not a readable PDF, corrupt or truncated (${describe(err)})`, undefined, { cause: err });
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Text items into lines: a new line at an end-of-line mark or when the baseline moves by half a font size. */
function toLines(items: readonly TextItem[]): Line[] {
  const lines: Line[] = [];
  let cur: Line | null = null;
  for (const item of items) {
    // pdf.js types the matrix as any[]: [a, b, c, d, x, y], d being the font's vertical scale.
    const matrix = item.transform as readonly number[];
    const x = matrix[4] ?? 0;
    const y = matrix[5] ?? 0;
    const size = Math.abs(matrix[3] ?? 0) || item.height || 0;
    if (item.str !== '') {
      if (cur && Math.abs(cur.y - y) > Math.max(1, Math.min(cur.size, size) * 0.5)) {
        lines.push(cur);
        cur = null;
      }
      if (!cur) cur = { text: item.str, y, size, xEnd: x + item.width };
      else {
        const gap = x - cur.xEnd;
        const needsSpace = gap > size * 0.2 && !/\s$/u.test(cur.text) && !/^\s/u.test(item.str);
        cur.text += (needsSpace ? ' ' : '') + item.str;
        cur.size = Math.max(cur.size, size);
        cur.xEnd = x + item.width;
      }
    }
    if (item.hasEOL && cur) {
      lines.push(cur);
      cur = null;
    }
  }
  if (cur) lines.push(cur);
  return lines
    .map((l) => ({ ...l, text: l.text.replace(/\s+/gu, ' ').trim() }))
    .filter((l) => l.text !== '');
}

/** Drops running headers and footers (see {@link extractPdf}) from each page's first and last two lines, in place. */
function dropRunningLines(pages: Line[][]): void {
  const key = (l: Line): string => l.text.toLowerCase().replace(/\d+/gu, '#');
  const edges = (lines: readonly Line[]): Line[] => [...new Set([...lines.slice(0, 2), ...lines.slice(-2)])];
  const seen = new Map<string, number>();
  for (const lines of pages) {
    for (const k of new Set(edges(lines).map(key))) seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const needed = Math.max(2, Math.ceil(pages.length * RUNNING_SHARE));
  pages.forEach((lines, i) => {
    const drop = new Set(
      edges(lines).filter((l) => (pages.length >= 2 && (seen.get(key(l)) ?? 0) >= needed) || PAGE_NUMBER.test(l.text)),
    );
    pages[i] = lines.filter((l) => !drop.has(l));
  });
}

/** Lines into headings and paragraphs, page by page. */
function buildText(pages: readonly Line[][], metaTitle: string | undefined): ExtractedText {
  const bodySize = commonSize(pages.flat());
  const headingSizes = [...new Set(pages.flat().map((l) => round(l.size)))]
    .filter((s) => s >= bodySize * HEADING_SIZE_RATIO)
    .sort((a, b) => b - a);
  const levelOf = (l: Line): number => {
    if (l.text.length > 150) return 0;
    const i = headingSizes.indexOf(round(l.size));
    return i < 0 ? 0 : Math.min(6, i + 1);
  };
  const out = new TextBuilder();
  for (const lines of pages) {
    out.startPage();
    const gap = typicalGap(lines.filter((l) => levelOf(l) === 0));
    let para = '';
    let heading = '';
    let headingLevel = 0;
    let previous: Line | undefined;
    const flushPara = (): void => {
      out.addBlock(para);
      para = '';
    };
    const flushHeading = (): void => {
      if (heading !== '') out.addHeading(heading, headingLevel);
      heading = '';
      headingLevel = 0;
    };
    for (const line of lines) {
      const level = levelOf(line);
      const drop = previous ? previous.y - line.y : 0;
      const newParagraph = !previous || drop < 0 || drop > gap * PARAGRAPH_GAP_RATIO;
      if (level > 0) {
        flushPara();
        if (heading !== '' && (level !== headingLevel || newParagraph)) flushHeading();
        heading = heading === '' ? line.text : `${heading} ${line.text}`;
        headingLevel = level;
      } else {
        flushHeading();
        if (newParagraph) flushPara();
        para = joinLine(para, line.text);
      }
      previous = line;
    }
    flushHeading();
    flushPara();
  }
  return out.build(metaTitle);
}

/** Appends a line to a paragraph: a word hyphenated at the line end is joined, other lines meet with a space. */
export function joinLine(para: string, line: string): string {
  if (para === '') return line;
  if (/\p{L}-$/u.test(para) && /^\p{Ll}/u.test(line)) return para.slice(0, -1) + line;
  return `${para} ${line}`;
}

function round(size: number): number {
  return Math.round(size * 2) / 2;
}

/** The font size of most of the text (by characters). */
function commonSize(lines: readonly Line[]): number {
  const chars = new Map<number, number>();
  for (const l of lines) chars.set(round(l.size), (chars.get(round(l.size)) ?? 0) + l.text.length);
  let best = 0;
  let bestChars = -1;
  for (const [size, n] of chars) {
    if (n > bestChars) {
      best = size;
      bestChars = n;
    }
  }
  return best;
}

/**
 * The usual distance between consecutive baselines of a page's body lines: the lower quartile of positive gaps
 * (most gaps are between lines of one paragraph); Infinity when unknown.
 */
function typicalGap(lines: readonly Line[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const d = (lines[i - 1]?.y ?? 0) - (lines[i]?.y ?? 0);
    if (d > 0) gaps.push(d);
  }
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 2] ?? Number.POSITIVE_INFINITY;
}
