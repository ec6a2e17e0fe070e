import type { APIEmbed } from 'discord.js';
import type { PassageView } from '../../answer/types.js';
import { passageTitle } from './answer.js';
import { BUDGET, COLOR } from './budgets.js';
import { count, isMarkdown } from './context.js';
import type { ViewContext } from './context.js';
import { citation } from './names.js';
import { button, finish, footer, rows } from './reply.js';
import type { Reply } from './reply.js';
import { fitExcerpt } from './text.js';

/** `/source`: one passage by location, with buttons to the previous and next passage of the document. */
export function renderSource(passage: PassageView, docKey: string, view: ViewContext): Reply {
  const { t } = view;
  const { source } = passage;
  const url = view.catalog.link(source);
  const embed: APIEmbed = {
    color: COLOR.info,
    title: passageTitle(source, view),
    ...(url ? { url } : {}),
    description: [
      `> ${fitExcerpt(source.excerpt, source.highlight, BUDGET.sourcePassage, true, isMarkdown(source.doc)) || '…'}`,
      `— ${citation(view.catalog, source, t)}`,
    ].join('\n'),
    ...footer(
      `${t('passageOf', { n: count(source.ordinal + 1), total: count(passage.count) })} · ${source.doc}`,
    ),
  };
  const o = source.ordinal;
  const buttons =
    Number.isInteger(o) && o >= 0 && o < 9_999_999
      ? [
          button({ kind: 'src', docKey, ordinal: Math.max(0, o - 1) }, t('btnPrevPassage'), {
            disabled: passage.previous === null,
          }),
          button({ kind: 'src', docKey, ordinal: o + 1 }, t('btnNextPassage'), {
            disabled: passage.next === null,
          }),
        ]
      : [];
  return finish({ embeds: [embed], components: rows(buttons) });
}
