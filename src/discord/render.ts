import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIEmbedField } from 'discord.js';
import type {
  AnswerResult,
  Brief,
  DocumentInfo,
  IndexInfo,
  LookupResult,
  PassageView,
  Source,
} from '../answer/types.js';
import { encodeCustomId } from './custom-id.js';
import type { ButtonAction } from './custom-id.js';
import { cleanText, cutMarkdown, escapeUnits, fitExcerpt, fitInline, fitPlain, takeTail } from './text.js';

/**
 * Pure functions from engine results to Discord message payloads.
 *
 * Every payload stays within Discord's limits (`LIMITS`) whatever the engine returns and whatever users type: each
 * part has a budget, and `finish` checks them all as a last resort. Every payload carries
 * `allowedMentions: { parse: [] }`, so nothing the bot sends can ping anyone. Text from users and documents passes
 * through `text.ts` (cleaned, escaped, mentions broken with a zero-width space).
 */

/** Discord's limits on a message (discord.com/developers/docs/resources/message). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer and author of all embeds together. */
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  label: 80,
  customId: 100,
} as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message payload accepted by `reply`, `editReply`, `followUp`, `update`, `message.reply` and `channel.send`. */
export interface Reply {
  readonly content?: string;
  readonly embeds: readonly APIEmbed[];
  readonly components: readonly ButtonRow[];
  readonly allowedMentions: { readonly parse: readonly [] };
}

/** How an answer is shown. */
export interface AnswerContext {
  /** Answer-store key for the buttons; null shows none. */
  readonly key: string | null;
  /** Offer "Discuss in thread" (false in threads, DMs and private replies). */
  readonly canThread: boolean;
  /** For "Find source": the message the answer is about. */
  readonly reference?: { readonly url: string; readonly author: string } | undefined;
}

const COLOR = { answer: 0x2f9e44, refused: 0x868e96, info: 0x1c7ed6, warn: 0xf08c00 } as const;

const BUDGET = {
  title: 200,
  answer: 800,
  excerpt: 1800,
  citation: 400,
  notes: 400,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Answers

/** The reply to a question: quoted answer, source excerpt with the answer in bold, citation, buttons. */
export function renderAnswer(result: AnswerResult, ctx: AnswerContext): Reply {
  const top = result.sources[0];
  const lines: string[] = [];
  const reference = referenceLine(ctx.reference);
  if (reference) lines.push(reference, '');

  const fields: APIEmbedField[] = [];
  if (result.answered) {
    lines.push('**Answer**', `> ${fitInline(result.answer, BUDGET.answer, isMarkdown(top?.doc)) || '…'}`);
    if (top) {
      lines.push(
        '',
        '**Source excerpt**',
        `> ${fitExcerpt(top.excerpt, top.highlight, BUDGET.excerpt, true, isMarkdown(top.doc)) || '…'}`,
      );
      fields.push({ name: 'Source', value: citation(top, BUDGET.citation) });
    }
  } else if (result.reason === 'empty') {
    lines.push(
      'I found no words to search for in that question. Ask in words, for example:',
      '`/ask question: When did the strategic partnership begin?`',
    );
  } else {
    lines.push('**The documents do not answer this question.**');
    if (top) {
      lines.push(
        '',
        '**Closest passage (does not answer the question)**',
        `> ${fitExcerpt(top.excerpt, null, BUDGET.excerpt, false, isMarkdown(top.doc)) || '…'}`,
      );
      fields.push({ name: 'Closest passage source', value: citation(top, BUDGET.citation) });
    }
  }

  const embed: APIEmbed = {
    color: result.answered ? COLOR.answer : COLOR.refused,
    title: questionTitle(result.question),
    description: lines.join('\n'),
    fields,
    ...footer(result.notes.join(' · ')),
  };

  const buttons: APIButtonComponent[] = [];
  if (ctx.key !== null && !(!result.answered && result.reason === 'empty')) {
    const key = ctx.key;
    if (result.sources.length > 1) buttons.push(button({ kind: 'more', key }, 'More sources'));
    if (top) buttons.push(button({ kind: 'full', key }, 'Full passage'));
    if (ctx.canThread) buttons.push(button({ kind: 'thread', key }, 'Discuss in thread'));
    buttons.push(
      button({ kind: 'vote', vote: 'up', key }, null, '👍'),
      button({ kind: 'vote', vote: 'down', key }, null, '👎'),
    );
  }
  return finish({ embeds: [embed], components: rows(buttons) });
}

/** "More sources": the passages after the first, each with its excerpt and citation. */
export function renderMoreSources(question: string, sources: readonly Source[], answered: boolean): Reply {
  const rest = sources.slice(1, 6);
  const embed: APIEmbed = {
    color: COLOR.info,
    title: questionTitle(question),
    description:
      rest.length === 0
        ? 'No other passage came close to this question.'
        : answered
          ? '**More sources**, best first.'
          : '**Other close passages.** None of them answers the question either.',
    fields: sourceFields(rest, 2, { total: 5000, excerpt: 900, bold: answered }),
  };
  return finish({ embeds: [embed], components: [] });
}

/** "Full passage": the whole passage with the answer in bold, and the end of the one before and start of the next. */
export function renderFullPassage(view: PassageView): Reply {
  const { source, previous, next } = view;
  const lines: string[] = [];
  if (previous) {
    lines.push(
      `**Previous passage** · ${lineRange(previous.lines)}`,
      `> ${tailExcerpt(previous.excerpt, 700, isMarkdown(previous.doc))}`,
      '',
    );
  }
  lines.push(
    `**This passage** · ${lineRange(source.lines)}`,
    `> ${fitExcerpt(source.excerpt, source.highlight, 2400, true, isMarkdown(source.doc)) || '…'}`,
  );
  if (next)
    lines.push(
      '',
      `**Next passage** · ${lineRange(next.lines)}`,
      `> ${fitExcerpt(next.excerpt, null, 700, false, isMarkdown(next.doc)) || '…'}`,
    );
  const embed: APIEmbed = {
    color: COLOR.info,
    title: passageTitle(source),
    description: lines.join('\n'),
    ...footer(`${passageOf(source, view.count)} · ${source.doc}`),
  };
  return finish({ embeds: [embed], components: [] });
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

/** Hits shown per `/lookup` page. */
export const LOOKUP_PAGE_SIZE = 8;

/** A page of `/lookup`: the sentences that mention the term, grouped by document, with locations. */
export function renderLookup(result: LookupResult, page: number, key: string | null): Reply {
  const flat = result.groups.flatMap((g) => g.hits.map((hit) => ({ group: g, hit })));
  const pages = Math.max(1, Math.ceil(flat.length / LOOKUP_PAGE_SIZE));
  const p = Number.isInteger(page) ? Math.min(Math.max(page, 0), pages - 1) : 0;
  const shown = flat.slice(p * LOOKUP_PAGE_SIZE, (p + 1) * LOOKUP_PAGE_SIZE);
  const term = termPattern(result.term);

  const lines: string[] = [];
  let lastGroup: unknown = null;
  for (const { group, hit } of shown) {
    if (group !== lastGroup) {
      if (lastGroup !== null) lines.push('');
      lines.push(`**${fitInline(group.title, 100) || 'Untitled'}**`);
      lastGroup = group;
    }
    const match = term?.exec(hit.sentence);
    const span = match ? { start: match.index, end: match.index + match[0].length } : null;
    const where = [hit.section ? fitInline(hit.section, 60) : '', `line ${count(hit.line)}`]
      .filter(Boolean)
      .join(', ');
    lines.push(`• ${fitExcerpt(hit.sentence, span, 280, true, isMarkdown(group.doc)) || '…'} — ${where}`);
  }
  if (shown.length === 0)
    lines.push('No sentence in the documents mentions this term. Try `/search` for related passages.');

  const total = Number.isFinite(result.total) && result.total >= flat.length ? result.total : flat.length;
  const embed: APIEmbed = {
    color: shown.length > 0 ? COLOR.info : COLOR.refused,
    title: `Lookup: ${fitInline(result.term, BUDGET.title) || '…'}`,
    description: lines.join('\n'),
    ...footer(`${pages > 1 ? `Page ${p + 1} of ${pages} · ` : ''}${plural(total, 'sentence')} found`),
  };
  const buttons =
    key !== null && pages > 1
      ? [
          button({ kind: 'look', key, page: Math.max(0, p - 1) }, '◀ Previous', null, p === 0),
          button({ kind: 'look', key, page: Math.min(pages - 1, p + 1) }, 'Next ▶', null, p === pages - 1),
        ]
      : [];
  return finish({ embeds: [embed], components: rows(buttons) });
}

/** `/search`: the top passages with short excerpts, locations and scores. */
export function renderSearch(query: string, sources: readonly Source[]): Reply {
  const top = sources.slice(0, 10);
  const embed: APIEmbed = {
    color: top.length > 0 ? COLOR.info : COLOR.refused,
    title: `Search: ${fitInline(query, BUDGET.title) || '…'}`,
    description:
      top.length > 0
        ? `Top ${plural(top.length, 'passage')}, best first.`
        : 'Nothing in the documents matches this query.',
    fields: sourceFields(top, 1, { total: 5200, excerpt: 300, bold: true, scores: true }),
  };
  return finish({ embeds: [embed], components: [] });
}

/** `/source`: one passage by location, with buttons to the previous and next passage of the document. */
export function renderSource(view: PassageView, docKey: string): Reply {
  const { source } = view;
  const embed: APIEmbed = {
    color: COLOR.info,
    title: passageTitle(source),
    description: `> ${fitExcerpt(source.excerpt, source.highlight, 3500, true, isMarkdown(source.doc)) || '…'}`,
    fields: [{ name: 'Location', value: citation(source, BUDGET.citation) }],
    ...footer(`${passageOf(source, view.count)} · ${source.doc}`),
  };
  const o = source.ordinal;
  const buttons =
    Number.isInteger(o) && o >= 0 && o < 9_999_999
      ? [
          button(
            { kind: 'src', docKey, ordinal: Math.max(0, o - 1) },
            '◀ Previous passage',
            null,
            view.previous === null,
          ),
          button({ kind: 'src', docKey, ordinal: o + 1 }, 'Next passage ▶', null, view.next === null),
        ]
      : [];
  return finish({ embeds: [embed], components: rows(buttons) });
}

/** `/brief`: three to five diverse passages, key sentence in bold, grouped by document. */
export function renderBrief(brief: Brief): Reply {
  const groups = brief.groups.slice(0, 10).map((g) => ({ ...g, items: g.items.slice(0, 5) }));
  const shownItems = groups.reduce((n, g) => n + g.items.length, 0);
  const fields: APIEmbedField[] = groups
    .filter((g) => g.items.length > 0)
    .map((g) => {
      const perItem = Math.max(
        60,
        Math.min(
          600,
          Math.floor(4000 / Math.max(1, shownItems)) - 110,
          Math.floor(1000 / g.items.length) - 110,
        ),
      );
      const value = g.items
        .map(
          (s) =>
            `> ${fitExcerpt(s.excerpt, s.highlight, perItem, brief.found, isMarkdown(s.doc)) || '…'}\n— ${location(s, 100)}`,
        )
        .join('\n');
      return { name: fitInline(g.title, 200) || 'Untitled', value };
    });
  const embed: APIEmbed = {
    color: brief.found ? COLOR.info : COLOR.refused,
    title: `Brief: ${fitInline(brief.topic, BUDGET.title) || '…'}`,
    description: brief.found
      ? `${plural(shownItems, 'passage')} on this topic, key sentence in bold, grouped by document.`
      : shownItems > 0
        ? '**The documents say little about this topic.** Closest passage (not clearly about it):'
        : '**The documents say little about this topic.**',
    fields,
  };
  return finish({ embeds: [embed], components: [] });
}

/** `/docs`: the corpus documents and how the index was built. */
export function renderDocs(docs: readonly DocumentInfo[], info: IndexInfo): Reply {
  const lines: string[] = [];
  let used = 0;
  let shown = 0;
  for (const d of docs) {
    const title = fitInline(d.title, 120) || 'Untitled';
    const url = d.url !== undefined && /^https?:\/\/[^\s()<>[\]\\]{1,300}$/.test(d.url) ? d.url : null;
    const head = url ? `**[${title}](${url})**` : `**${title}**`;
    const by = d.author ? ` — ${fitInline(d.author, 80)}` : '';
    const line = `${head}${by}\n${fitInline(d.doc, 100)} · ${plural(d.passages, 'passage')} · ${count(d.chars)} characters`;
    if (used + line.length + 1 > 3800) break;
    lines.push(line);
    used += line.length + 1;
    shown++;
  }
  if (shown < docs.length) lines.push(`…and ${count(docs.length - shown)} more`);
  if (docs.length === 0) lines.push('The corpus has no documents.');
  const embed: APIEmbed = {
    color: COLOR.info,
    title: `Documents (${count(docs.length)})`,
    description: lines.join('\n'),
    ...footer(
      `Index built ${info.builtAt} · embeddings: ${info.model} (${count(info.dimension)}-d) · ${plural(info.passages, 'passage')}`,
    ),
  };
  return finish({ embeds: [embed], components: [] });
}

/** `/help`: every command with an example. */
export function renderHelp(): Reply {
  const fields: APIEmbedField[] = [
    [
      '/ask question [private]',
      'Answers from the documents, quoting the passage it used.\n`/ask question: When was the strategic partnership signed?`',
    ],
    ['/lookup term', 'Every sentence that mentions a term, by document.\n`/lookup term: Belt and Road`'],
    [
      '/search query [count]',
      'The best passages for a query, with scores.\n`/search query: oil pipeline count: 3`',
    ],
    [
      '/source document [passage]',
      'Read a document passage by passage.\n`/source document: (pick one) passage: 1`',
    ],
    ['/brief topic', 'Three to five passages on a topic, for a discussion.\n`/brief topic: trade`'],
    ['/docs', 'The documents and the index.'],
    [
      'Mention me',
      'Write a question after mentioning me and I reply to it. Reply to one of my answers to follow up ("and in 2023?").',
    ],
    ['Discuss in thread', 'The button under an answer opens a thread; there I answer every message.'],
    [
      'Find source',
      'Right-click (or long-press) a message → Apps → Find source: the passage that best supports it.',
    ],
  ].map(([name = '', value = '']) => ({ name, value }));
  const embed: APIEmbed = {
    color: COLOR.info,
    title: 'Footnote',
    description:
      'I answer questions from a fixed set of documents and always show the excerpt I used: document, section, lines and the words. When the documents do not answer, I say so.',
    fields,
  };
  return finish({ embeds: [embed], components: [] });
}

// ---------------------------------------------------------------------------------------------------------------
// Notices (short, plain content)

/** A short notice. `text` is the bot's own markdown; any user text inside must be escaped by the caller. */
export function renderNotice(text: string): Reply {
  return finish({ content: text, embeds: [], components: [] });
}

export function renderError(): Reply {
  return renderNotice(
    'Something went wrong while answering. It has been logged; please try again in a moment.',
  );
}

export function renderRateLimited(retryAfterSeconds: number, scope: 'user' | 'channel'): Reply {
  const s = Number.isFinite(retryAfterSeconds) ? Math.max(1, Math.ceil(retryAfterSeconds)) : 60;
  const who = scope === 'user' ? 'You are asking quickly' : 'This channel is asking quickly';
  return renderNotice(`${who}. Please try again in ${s} s.`);
}

export function renderRestarting(): Reply {
  return renderNotice('Footnote is restarting, try again shortly.');
}

export function renderExpired(): Reply {
  return renderNotice(
    'This answer is too old for its buttons (I keep recent answers only). Please ask again.',
  );
}

export function renderVoteRecorded(vote: 'up' | 'down'): Reply {
  return renderNotice(`Thanks, recorded ${vote === 'up' ? '👍' : '👎'}. Voting again replaces your vote.`);
}

export function renderMentionUsage(): Reply {
  return renderNotice(
    'Ask me a question after the mention, for example: “@Footnote when was the partnership signed?”',
  );
}

export function renderNoText(): Reply {
  return renderNotice('That message has no text I can read, so I cannot look for its source.');
}

export function renderDocumentNotFound(query: string): Reply {
  return renderNotice(`No document matches “${fitInline(query, 200)}”. \`/docs\` lists them.`);
}

export function renderPassageNotFound(title: string, passages: number): Reply {
  return renderNotice(`“${fitInline(title, 200)}” has passages 1 to ${count(passages)}.`);
}

export function renderThreadOpened(threadId: string, autoAnswer: boolean): Reply {
  const how = autoAnswer ? 'I answer every message there' : 'mention me there to ask';
  return renderNotice(`Opened a thread: <#${safeId(threadId)}> — ${how}.`);
}

export function renderThreadExists(threadId: string): Reply {
  return renderNotice(`This answer already has a thread: <#${safeId(threadId)}>`);
}

export function renderCannotThread(): Reply {
  return renderNotice('I cannot open a thread here.');
}

/** The first message in a thread opened from an answer. */
export function renderThreadIntro(question: string, autoAnswer: boolean): Reply {
  const how = autoAnswer
    ? 'Ask follow-up questions here; I answer every message'
    : 'Mention me to ask follow-up questions';
  return renderNotice(
    `Discussing “${fitInline(question, 300) || '…'}”. ${how}, using the questions before as context.`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

/** "Title › Section · lines 3–5", escaped, at most `max` characters. */
export function citation(s: Source, max: number): string {
  const title = `**${fitInline(s.title, Math.floor(max / 2)) || 'Untitled'}**`;
  return cutMarkdown(`${title} › ${location(s, max - title.length - 3)}`, max);
}

/** "Section · lines 3–5" (section left out when empty). */
function location(s: Source, max: number): string {
  const lines = lineRange(s.lines);
  const section = fitInline(s.section, Math.max(0, max - lines.length - 3));
  return section ? `${section} · ${lines}` : lines;
}

function lineRange(lines: readonly [number, number]): string {
  const [a, b] = lines;
  return a === b ? `line ${count(a)}` : `lines ${count(a)}–${count(b)}`;
}

function passageOf(s: Source, total: number): string {
  return `Passage ${count(s.ordinal + 1)} of ${count(total)}`;
}

function passageTitle(s: Source): string {
  const title = fitInline(s.title, 150) || 'Untitled';
  const section = fitInline(s.section, 90);
  return section ? `${title} › ${section}` : title;
}

function questionTitle(question: string): string {
  return fitInline(question, BUDGET.title) || 'Your question';
}

function referenceLine(ref: AnswerContext['reference']): string | null {
  if (!ref) return null;
  const author = fitInline(ref.author, 80);
  const link = /^https:\/\/(?:\w+\.)?discord(?:app)?\.com\/channels\/(?:\d+|@me)\/\d+\/\d+$/.test(ref.url)
    ? `[this message](${ref.url})`
    : 'this message';
  return author ? `Source for ${link} by ${author}:` : `Source for ${link}:`;
}

/** The tail of an excerpt, for the passage before the one shown. */
function tailExcerpt(text: string, max: number, markdownSource: boolean): string {
  return takeTail(escapeUnits(cleanText(text, markdownSource).trim()), max).text || '…';
}

/** Fields for a list of sources, numbered from `first`, sharing `total` characters. */
function sourceFields(
  sources: readonly Source[],
  first: number,
  opts: { total: number; excerpt: number; bold: boolean; scores?: boolean },
): APIEmbedField[] {
  const shown = sources.slice(0, LIMITS.fields);
  const names = shown.map((s, i) => {
    const score = opts.scores ? ` · score ${formatScore(s.score)}` : '';
    return cutMarkdown(`${first + i}. ${citation(s, 180)}${score}`, 220);
  });
  const nameTotal = names.reduce((n, name) => n + name.length, 0);
  const perValue = Math.min(
    opts.excerpt,
    LIMITS.fieldValue - 2,
    Math.floor((opts.total - nameTotal) / Math.max(1, shown.length)) - 2,
  );
  return shown.map((s, i) => ({
    name: names[i] ?? '…',
    value: `> ${fitExcerpt(s.excerpt, s.highlight, Math.max(20, perValue), opts.bold, isMarkdown(s.doc)) || '…'}`,
  }));
}

/** Whether a document is a markdown file, whose backslash escapes are shown resolved. */
function isMarkdown(doc: string | undefined): boolean {
  return doc !== undefined && /\.(md|markdown)$/i.test(doc);
}

function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(3) : 'n/a';
}

/** An integer for display; "?" for anything that is not a finite number. */
function count(n: number): string {
  return Number.isFinite(n) ? String(Math.trunc(n)) : '?';
}

function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

function safeId(id: string): string {
  return /^\d{1,20}$/.test(id) ? id : '0';
}

function termPattern(term: string): RegExp | null {
  const t = term.trim();
  if (t.length === 0 || t.length > 200) return null;
  try {
    return new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
  } catch {
    return null;
  }
}

function footer(text: string): { footer?: { text: string } } {
  const t = fitPlain(text, BUDGET.notes);
  return t ? { footer: { text: t } } : {};
}

function button(
  action: ButtonAction,
  label: string | null,
  emoji: string | null = null,
  disabled = false,
): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: encodeCustomId(action),
    ...(label !== null ? { label: fitPlain(label, LIMITS.label, '…') } : {}),
    ...(emoji !== null ? { emoji: { name: emoji } } : {}),
    ...(disabled ? { disabled: true } : {}),
  };
}

function rows(buttons: readonly APIButtonComponent[]): ButtonRow[] {
  const out: ButtonRow[] = [];
  for (let i = 0; i < buttons.length && out.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The last-resort guard

/** Every text of an embed that counts towards the 6,000 total. */
export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * Clamps a payload to every limit and adds `allowedMentions: { parse: [] }`. Renderers budget their parts so this
 * normally changes nothing; it guarantees the limits if a budget is wrong.
 */
function finish(reply: { content?: string; embeds: APIEmbed[]; components: ButtonRow[] }): Reply {
  const embeds = reply.embeds.slice(0, LIMITS.embeds).map((e) => {
    const out: APIEmbed = { ...e };
    if (out.title !== undefined) out.title = cutMarkdown(out.title, LIMITS.title);
    if (out.description !== undefined) out.description = cutMarkdown(out.description, LIMITS.description);
    if (out.footer) out.footer = { ...out.footer, text: cutMarkdown(out.footer.text, LIMITS.footer) };
    if (out.fields) {
      out.fields = out.fields.slice(0, LIMITS.fields).map((f) => ({
        ...f,
        name: cutMarkdown(f.name, LIMITS.fieldName) || '…',
        value: cutMarkdown(f.value, LIMITS.fieldValue) || '…',
      }));
      if (out.fields.length === 0) delete out.fields;
    }
    return out;
  });
  let total = embeds.reduce((n, e) => n + embedLength(e), 0);
  for (let i = embeds.length - 1; i >= 0 && total > LIMITS.embedTotal; i--) {
    const e = embeds[i];
    if (!e) continue;
    while (e.fields && e.fields.length > 0 && total > LIMITS.embedTotal) {
      const f = e.fields.pop();
      total -= (f?.name.length ?? 0) + (f?.value.length ?? 0);
    }
    if (e.description !== undefined && total > LIMITS.embedTotal) {
      const keep = Math.max(1, e.description.length - (total - LIMITS.embedTotal));
      total -= e.description.length;
      e.description = cutMarkdown(e.description, keep);
      total += e.description.length;
    }
  }
  const components = reply.components.slice(0, LIMITS.rows).map((row) => ({
    ...row,
    components: row.components.slice(0, LIMITS.buttonsPerRow),
  }));
  return {
    ...(reply.content !== undefined ? { content: cutMarkdown(reply.content, LIMITS.content) } : {}),
    embeds,
    components,
    allowedMentions: { parse: [] },
  };
}
