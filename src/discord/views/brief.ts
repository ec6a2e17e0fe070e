import type { APIEmbed } from 'discord.js';
import type { Brief, Source } from '../../answer/types.js';
import { BUDGET, COLOR } from './budgets.js';
import { isMarkdown } from './context.js';
import type { ViewContext } from './context.js';
import { citation } from './names.js';
import { finish } from './reply.js';
import type { Reply } from './reply.js';
import { fitExcerpt, fitInline } from './text.js';

/**
 * `/brief`: one block per item, each a whole key sentence (cut only past {@link BUDGET.briefSentence} characters,
 * on a word) and its citation; documents taken in turn, so the first items come from different documents.
 */
export function renderBrief(brief: Brief, view: ViewContext): Reply {
  const { t } = view;
  const items = interleave(brief.groups.slice(0, 10).map((g) => g.items.slice(0, 5))).slice(0, 5);
  const blocks = items.map((s, i) => `**${i + 1}.** ${keySentence(s)}\n— ${citation(view.catalog, s, t)}`);
  const docs = new Set(items.map((s) => s.doc));
  const titles = [...docs].map((d) => `*${fitInline(view.catalog.doc(d).title, 60)}*`).join(', ');
  const head = brief.found
    ? docs.size > 1
      ? t('briefFound', { docs: titles })
      : t('briefOneDoc')
    : items.length > 0
      ? `**${t('briefWeak')}**`
      : `**${t('briefNone')}**`;
  const embed: APIEmbed = {
    color: brief.found ? COLOR.info : COLOR.refused,
    title: t('briefTitle', { topic: fitInline(brief.topic, BUDGET.title) || '…' }),
    description: [head, ...blocks].join('\n\n'),
  };
  return finish({ embeds: [embed], components: [] });
}

/** The item's key sentence (its highlight), whole up to the budget; the head of the passage when it has none. */
function keySentence(s: Source): string {
  const h = s.highlight;
  const text = h && h.end > h.start ? s.excerpt.slice(h.start, h.end) : s.excerpt;
  return fitExcerpt(text, null, BUDGET.briefSentence, false, isMarkdown(s.doc)) || '…';
}

/** Round robin over the groups: first item of each, then the second of each, … */
function interleave<T>(groups: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  for (let i = 0; groups.some((g) => i < g.length); i++)
    for (const g of groups) if (i < g.length) out.push(g[i]!);
  return out;
}
