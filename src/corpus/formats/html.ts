import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { TextBuilder, type ExtractedText } from './extracted.js';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** Elements whose content is never document text. */
const DROPPED = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'aside',
  'form',
  'button',
  'select',
  'iframe',
  'svg',
  'canvas',
  'object',
  'dialog',
  'menu',
]);
/** Site chrome dropped when it is not inside the main content (`<main>`, `<article>`). */
const CHROME = new Set(['header', 'footer']);
/** Elements that end the text before them and start a new block. */
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'body',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'figure',
  'figcaption',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'caption',
  'address',
  'details',
  'summary',
  'header',
  'footer',
  'hr',
]);
const HEADING = /^h([1-6])$/u;

/**
 * Extracts the readable text of an HTML page with parse5 (the WHATWG parsing algorithm, as browsers do): the
 * main content (the first `<main>`, else the first `<article>`, else `<body>`), without scripts, styles,
 * navigation, forms and site header/footer. Headings `<h1>`–`<h6>` become headings of the document's structure;
 * paragraphs, list items, table rows (cells joined by " | ") and `<pre>` blocks (line breaks kept) become blocks.
 * The title is the page's `<title>`.
 */
export function extractHtml(html: string): ExtractedText {
  const document = parse(html);
  const title = findFirst(document, (e) => e.tagName === 'title');
  const main =
    findFirst(document, (e) => e.tagName === 'main') ??
    findFirst(document, (e) => e.tagName === 'article') ??
    findFirst(document, (e) => e.tagName === 'body') ??
    document;
  const out = new TextBuilder();
  let buffer = '';
  const flush = (keepLines = false): void => {
    out.addBlock(buffer, keepLines);
    buffer = '';
  };
  const walk = (node: Node, inContent: boolean, inPre: boolean): void => {
    if (node.nodeName === '#text') {
      buffer += (node as DefaultTreeAdapterTypes.TextNode).value;
      return;
    }
    if (!('childNodes' in node)) return;
    const tag = 'tagName' in node ? node.tagName : '';
    if (DROPPED.has(tag)) return;
    if (CHROME.has(tag) && !inContent) return;
    if (tag === 'br') {
      buffer += inPre ? '\n' : ' ';
      return;
    }
    const heading = HEADING.exec(tag);
    if (heading) {
      flush();
      out.addHeading(inlineText(node), Number(heading[1]));
      return;
    }
    if (tag === 'tr') {
      flush();
      buffer = childrenOf(node)
        .map((cell) => inlineText(cell).replace(/\s+/gu, ' ').trim())
        .filter((text) => text !== '')
        .join(' | ');
      flush();
      return;
    }
    if (tag === 'pre') {
      flush();
      for (const child of childrenOf(node)) walk(child, inContent, true);
      flush(true);
      return;
    }
    const block = BLOCK.has(tag);
    if (block) flush(inPre);
    const content = inContent || tag === 'main' || tag === 'article';
    for (const child of childrenOf(node)) walk(child, content, inPre);
    if (block) flush(inPre);
  };
  walk(main, main !== document && (main as Element).tagName !== 'body', false);
  flush();
  const titleText = title ? textOf(title) : undefined;
  return out.build(titleText);
}

function childrenOf(node: Node): readonly Node[] {
  if ((node as Element).tagName === 'template') return [];
  return 'childNodes' in node ? node.childNodes : [];
}

function findFirst(node: Node, test: (e: Element) => boolean): Element | undefined {
  if ('tagName' in node && test(node)) return node;
  for (const child of childrenOf(node)) {
    const found = findFirst(child, test);
    if (found) return found;
  }
  return undefined;
}

/** The text of an element's content on one line: dropped elements left out, blocks and breaks as spaces. */
function inlineText(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  const tag = (node as Element).tagName ?? '';
  if (DROPPED.has(tag)) return '';
  if (tag === 'br') return ' ';
  const inner = childrenOf(node).map(inlineText).join('');
  return BLOCK.has(tag) ? ` ${inner} ` : inner;
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  return childrenOf(node).map(textOf).join('');
}
