import type { APIEmbed } from 'discord.js';
import type { Source } from '../../answer/types.js';
import { BUDGET, COLOR } from './budgets.js';
import { isMarkdown } from './context.js';
import type { ViewContext } from './context.js';
import { citation } from './names.js';
import { finish } from './reply.js';
import type { Reply } from './reply.js';
import { fitExcerpt, fitInline } from './text.js';

/**
 * `/search`: the best passages, overlapping ones merged, grouped by document (each named once), each with its
 * location (a link when configured), a High/Medium/Low relevance instead of a raw score, and only the matching
 * sentence in bold.
 */
export function renderSearch(query: string, sources: readonly Source[], view: ViewContext): Reply {
  const { t } = view;
  const merged = mergeOverlapping(sources.slice(0, 10));
  const topScore = merged[0]?.score ?? 0;
  const groups: { doc: string; items: { s: Source; n: number }[] }[] = [];
  merged.forEach((s, i) => {
    let g = groups.find((x) => x.doc === s.doc);
    if (!g) groups.push((g = { doc: s.doc, items: [] }));
    g.items.push({ s, n: i + 1 });
  });
  const blocks: string[] = [];
  for (const g of groups) {
    const d = view.catalog.doc(g.doc, g.items[0]?.s.title);
    const by = d.author ? ` — ${fitInline(d.author, 60)}` : '';
    const items = g.items.map(
      ({ s, n }) =>
        `**${n}.** ${citation(view.catalog, s, t, { withTitle: false })} · ${relevance(s.score, topScore, view)}\n> ${
          fitExcerpt(s.excerpt, s.highlight, BUDGET.searchExcerpt, true, isMarkdown(s.doc)) || '…'
        }`,
    );
    blocks.push(
      [`__**${fitInline(d.title, BUDGET.docTitle) || t('untitled')}**__${by}`, ...items].join('\n'),
    );
  }
  const embed: APIEmbed = {
    color: merged.length > 0 ? COLOR.info : COLOR.refused,
    title: t('searchTitle', { query: fitInline(query, BUDGET.title) || '…' }),
    description: merged.length > 0 ? [t('searchTop'), ...blocks].join('\n\n') : t('searchNone'),
  };
  return finish({ embeds: [embed], components: [] });
}

function relevance(score: number, top: number, view: ViewContext): string {
  const r = top > 0 && Number.isFinite(score) ? score / top : 0;
  return view.t(r >= 0.8 ? 'relevanceHigh' : r >= 0.5 ? 'relevanceMedium' : 'relevanceLow');
}

/**
 * Passages of one document that overlap or touch, merged into one (the better one's place in the list, its
 * highlight kept, the text and lines of both).
 */
export function mergeOverlapping(sources: readonly Source[]): Source[] {
  const out: Source[] = [];
  for (const s of sources) {
    const i = out.findIndex((o) => o.doc === s.doc && s.start <= o.end && o.start <= s.end);
    const o = out[i];
    if (o === undefined) {
      out.push(s);
      continue;
    }
    out[i] = merge(o, s);
  }
  return out;
}

function merge(a: Source, b: Source): Source {
  const first = a.start <= b.start ? a : b;
  const second = first === a ? b : a;
  const start = first.start;
  const end = Math.max(first.end, second.end);
  const excerpt =
    second.end > first.end ? first.excerpt + second.excerpt.slice(first.end - second.start) : first.excerpt;
  if (excerpt.length !== end - start) return a; // offsets disagree with the texts: keep the better one alone
  const shift = a.start - start;
  return {
    ...a,
    start,
    end,
    excerpt,
    lines: [Math.min(a.lines[0], b.lines[0]), Math.max(a.lines[1], b.lines[1])],
    highlight: a.highlight ? { start: a.highlight.start + shift, end: a.highlight.end + shift } : null,
    phrase: null,
  };
}
