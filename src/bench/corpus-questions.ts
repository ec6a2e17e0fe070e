import type { CorpusDocument } from '../corpus/types.js';

/** Longest question taken from a corpus, in characters (a sentence is cut at a word boundary). */
const MAX_CHARS = 120;

/**
 * Bench questions drawn from a corpus that has no question set: from each document its markdown headings
 * (as short lookup-style queries, `Tell me about …` every other one) and the first sentence of each paragraph
 * (cut to about {@link MAX_CHARS} characters), taken round-robin over the documents so every document is asked
 * about, without duplicates, at most `limit`. Code blocks and front matter are skipped. Deterministic.
 */
export function questionsFromCorpus(documents: readonly CorpusDocument[], limit = 200): string[] {
  const perDoc = documents.map((d) => candidates(d));
  const out: string[] = [];
  const seen = new Set<string>();
  for (let round = 0; out.length < limit && perDoc.some((c) => round < c.length); round++) {
    for (const list of perDoc) {
      const q = list[round];
      if (q === undefined || seen.has(q.toLowerCase())) continue;
      seen.add(q.toLowerCase());
      out.push(q);
      if (out.length >= limit) break;
    }
  }
  return out;
}

/** One document's candidate questions, in text order. */
function candidates(doc: CorpusDocument): string[] {
  const out: string[] = [];
  let fenced = false;
  let paragraph: string[] = [];
  let headings = 0;
  const flush = () => {
    const text = plainText(paragraph.join(' ')).replace(/\s+/g, ' ').trim();
    paragraph = [];
    if (!/^[\p{L}"“(]/u.test(text)) return; // lists, tables, quotes, HTML and the like
    const sentence = /^.+?[.!?](?=\s|$)/u.exec(text)?.[0] ?? text;
    if (sentence.length < 25) return;
    out.push(cut(sentence));
  };
  for (const line of doc.text.slice(doc.bodyStart).split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const text = plainText(heading[1]!).trim();
      if (text.length >= 3) out.push(cut(headings++ % 2 === 0 ? text : `Tell me about ${text}`));
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line.trim());
  }
  flush();
  return out;
}

function cut(text: string): string {
  if (text.length <= MAX_CHARS) return text;
  const at = text.lastIndexOf(' ', MAX_CHARS);
  return text.slice(0, at > 40 ? at : MAX_CHARS);
}

/** Markdown inline markup as plain words: links and images as their text, no emphasis, code marks or HTML tags. */
function plainText(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/gu, '')
    .replace(/(\*\*|__|~~|\*|_|`)(.+?)\1/gu, '$2')
    .replace(/\s+/gu, ' ')
    .trim();
}
