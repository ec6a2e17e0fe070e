import { ButtonStyle } from 'discord.js';
import type { APIButtonComponent, APIEmbed } from 'discord.js';
import type { AnswerResult, PassageView, Source } from '../../answer/types.js';
import { BUDGET, COLOR, LOW_CONFIDENCE } from './budgets.js';
import { count, isMarkdown } from './context.js';
import type { ViewContext } from './context.js';
import { citation, lineRangeText } from './names.js';
import { button, finish, footer, rows } from './reply.js';
import type { Reply } from './reply.js';
import { cleanText, escapeUnits, fitExcerpt, fitInline, takeTail } from './text.js';

/** How an answer is shown. */
export interface AnswerCardOptions {
  /** Answer-store key for the buttons; null shows none. */
  readonly key: string | null;
  /** Offer "Discuss in thread" (false in threads, DMs and private replies). */
  readonly canThread: boolean;
  /** Vote counts shown on the 👍/👎 buttons. */
  readonly votes?: { readonly up: number; readonly down: number };
}

/**
 * The answer card: the quoted answer once, its answering phrase in bold, then the source line (a link to the exact
 * place when one is configured). The surrounding passage is one click away (Full passage). A low confidence shows
 * in amber with the words "Low confidence". A refusal is a plain sentence, a short labelled closest passage and a
 * pointer to /search, without buttons that assume an answer.
 */
export function renderAnswer(result: AnswerResult, opts: AnswerCardOptions, view: ViewContext): Reply {
  const { t } = view;
  const top = result.sources[0];
  const lines: string[] = [];

  let color: number = COLOR.refused;
  const buttons: APIButtonComponent[] = [];
  if (result.answered) {
    const low = !(result.confidence >= LOW_CONFIDENCE);
    color = low ? COLOR.low : COLOR.answer;
    if (low) lines.push(`⚠️ ${t('answerLowConfidence')}`);
    lines.push(`> ${quotedAnswer(result.answer, top) || '…'}`);
    if (top) lines.push(`— ${citation(view.catalog, top, t, { bold: true })}`);
    if (opts.key !== null) {
      const key = opts.key;
      if (top) buttons.push(button({ kind: 'full', key }, t('btnFull'), { style: ButtonStyle.Primary }));
      if (result.sources.length > 1) buttons.push(button({ kind: 'more', key }, t('btnMore')));
      if (opts.canThread) buttons.push(button({ kind: 'thread', key }, t('btnThread')));
      buttons.push(...voteButtons(key, opts.votes));
    }
  } else if (result.reason === 'empty') {
    lines.push(t('answerEmpty'), '`/ask question: …`');
  } else {
    lines.push(`**${t('answerRefused')}**`);
    if (top) {
      lines.push(
        '',
        `-# ${t('closestPassage')}`,
        `> ${fitExcerpt(top.excerpt, null, BUDGET.closest, false, isMarkdown(top.doc)) || '…'}`,
        `— ${citation(view.catalog, top, t)}`,
      );
    }
    lines.push('', t('trySearch'));
  }

  const embed: APIEmbed = {
    color,
    title: fitInline(result.question, BUDGET.title) || t('yourQuestion'),
    description: lines.join('\n'),
    ...footer(result.notes.join(' · ')),
  };
  return finish({ embeds: [embed], components: rows(buttons) });
}

/** The answer as quoted from its passage, with the answering phrase (when the engine marks one) in bold. */
function quotedAnswer(answer: string, top: Source | undefined): string {
  const h = top?.highlight;
  if (!top || !h || top.excerpt.slice(h.start, h.end).trim() === '') {
    return fitExcerpt(answer, null, BUDGET.answer, false, isMarkdown(top?.doc));
  }
  const text = top.excerpt.slice(h.start, h.end);
  const p = top.phrase;
  const phrase =
    p && p.start >= h.start && p.end <= h.end && p.end > p.start
      ? { start: p.start - h.start, end: p.end - h.start }
      : null;
  return fitExcerpt(text, phrase, BUDGET.answer, phrase !== null, isMarkdown(top.doc));
}

/** 👍 and 👎, with their counts once someone voted. */
export function voteButtons(
  key: string,
  votes?: { readonly up: number; readonly down: number },
): APIButtonComponent[] {
  const label = (n: number | undefined) => (n !== undefined && n > 0 ? String(n) : null);
  return [
    button({ kind: 'vote', vote: 'up', key }, label(votes?.up), { emoji: '👍' }),
    button({ kind: 'vote', vote: 'down', key }, label(votes?.down), { emoji: '👎' }),
  ];
}

/** "More sources": the passages after the first, each with its excerpt and citation. */
export function renderMoreSources(
  question: string,
  sources: readonly Source[],
  answered: boolean,
  view: ViewContext,
): Reply {
  const { t } = view;
  const rest = sources.slice(1, 6);
  const blocks = rest.map(
    (s, i) =>
      `**${i + 2}.** ${citation(view.catalog, s, t, { bold: true })}\n> ${
        fitExcerpt(s.excerpt, s.highlight, BUDGET.moreExcerpt, answered, isMarkdown(s.doc)) || '…'
      }`,
  );
  const head = rest.length === 0 ? t('noMoreSources') : t(answered ? 'moreSources' : 'moreSourcesRefused');
  const embed: APIEmbed = {
    color: COLOR.info,
    title: fitInline(question, BUDGET.title) || t('yourQuestion'),
    description: [head, ...blocks].join('\n\n'),
  };
  return finish({ embeds: [embed], components: [] });
}

/** "Full passage": the whole passage with the answer in bold, and the end of the one before and start of the next. */
export function renderFullPassage(passage: PassageView, view: ViewContext): Reply {
  const { t } = view;
  const { source, previous, next } = passage;
  const lines: string[] = [];
  const range = (s: Source) => lineRangeText(s.lines, t);
  if (previous) {
    const tail = takeTail(
      escapeUnits(cleanText(previous.excerpt, isMarkdown(previous.doc)).trim()),
      BUDGET.neighbour,
    );
    lines.push(`-# ${t('previousPassage')} · ${range(previous)}`, `> ${tail.text || '…'}`, '');
  }
  lines.push(
    `**${t('thisPassage')}** · ${citation(view.catalog, source, t)}`,
    `> ${fitExcerpt(source.excerpt, source.highlight, BUDGET.fullPassage, true, isMarkdown(source.doc)) || '…'}`,
  );
  if (next)
    lines.push(
      '',
      `-# ${t('nextPassage')} · ${range(next)}`,
      `> ${fitExcerpt(next.excerpt, null, BUDGET.neighbour, false, isMarkdown(next.doc)) || '…'}`,
    );
  const url = view.catalog.link(source);
  const embed: APIEmbed = {
    color: COLOR.info,
    title: passageTitle(source, view),
    ...(url ? { url } : {}),
    description: lines.join('\n'),
    ...footer(
      `${t('passageOf', { n: count(source.ordinal + 1), total: count(passage.count) })} · ${source.doc}`,
    ),
  };
  return finish({ embeds: [embed], components: [] });
}

/** `Title › Section`, escaped, for an embed title. */
export function passageTitle(s: Source, view: ViewContext): string {
  const title = fitInline(view.catalog.doc(s.doc, s.title).title, 150) || view.t('untitled');
  const section = fitInline(view.catalog.section(s), 90);
  return section ? `${title} › ${section}` : title;
}
