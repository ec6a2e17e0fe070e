import type { APIEmbed } from 'discord.js';
import type { LookupResult } from '../../answer/types.js';
import { BUDGET, COLOR, LOOKUP_PAGE_SIZE } from './budgets.js';
import { count, isMarkdown } from './context.js';
import type { ViewContext } from './context.js';
import { lineRangeText } from './names.js';
import { button, finish, footer, rows } from './reply.js';
import type { Reply } from './reply.js';
import { fitExcerpt, fitInline } from './text.js';

/** A page of `/lookup`: the sentences that mention the term, grouped by document (named once), with locations. */
export function renderLookup(
  result: LookupResult,
  page: number,
  key: string | null,
  view: ViewContext,
): Reply {
  const { t, catalog } = view;
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
      lines.push(
        `**${fitInline(catalog.doc(group.doc, group.title).title, BUDGET.docTitle) || t('untitled')}**`,
      );
      lastGroup = group;
    }
    const match = term?.exec(hit.sentence);
    const span = match ? { start: match.index, end: match.index + match[0].length } : null;
    const section = catalog.section({ doc: group.doc, section: hit.section });
    const range = lineRangeText([hit.line, hit.line], t);
    const url = catalog.link({ doc: group.doc, lines: [hit.line, hit.line] });
    const where = [section ? fitInline(section, 40) : '', url ? `[${range}](${url})` : range]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `• ${fitExcerpt(hit.sentence, span, BUDGET.lookupSentence, true, isMarkdown(group.doc)) || '…'} — ${where}`,
    );
  }
  if (shown.length === 0) lines.push(t('lookupNone'));

  const total = Number.isFinite(result.total) && result.total >= flat.length ? result.total : flat.length;
  const found = total === 1 ? t('sentence') : t('sentences', { n: count(total) });
  const embed: APIEmbed = {
    color: shown.length > 0 ? COLOR.info : COLOR.refused,
    title: t('lookupTitle', { term: fitInline(result.term, BUDGET.title) || '…' }),
    description: lines.join('\n'),
    ...footer(
      `${pages > 1 ? `${t('pageOf', { n: p + 1, total: pages })} · ` : ''}${t('lookupFooter', { found })}`,
    ),
  };
  const buttons =
    key !== null && pages > 1
      ? [
          button({ kind: 'look', key, page: Math.max(0, p - 1) }, t('btnPrev'), { disabled: p === 0 }),
          button({ kind: 'look', key, page: Math.min(pages - 1, p + 1) }, t('btnNext'), {
            disabled: p === pages - 1,
          }),
        ]
      : [];
  return finish({ embeds: [embed], components: rows(buttons) });
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
