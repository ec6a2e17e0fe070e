import type { APIEmbed } from 'discord.js';
import type { DocumentInfo, IndexInfo } from '../../answer/types.js';
import { BUDGET, COLOR } from './budgets.js';
import { count } from './context.js';
import type { ViewContext } from './context.js';
import { finish } from './reply.js';
import type { Reply } from './reply.js';
import { fitInline } from './text.js';

/** `/docs`: the documents by display title (a link to the document when it has one), author, file and size. */
export function renderDocs(docs: readonly DocumentInfo[], info: IndexInfo, view: ViewContext): Reply {
  const { t, catalog } = view;
  const lines: string[] = [];
  let used = 0;
  let shown = 0;
  for (const d of docs) {
    const shownDoc = catalog.doc(d.doc, d.title);
    const title = fitInline(shownDoc.title, 120) || t('untitled');
    const head = shownDoc.url ? `**[${title}](${shownDoc.url})**` : `**${title}**`;
    const by = shownDoc.author ? ` — ${fitInline(shownDoc.author, 80)}` : '';
    const line = `${head}${by}\n-# ${fitInline(d.doc, 100)} · ${t('docsPassages', { n: count(d.passages) })}`;
    if (used + line.length + 1 > BUDGET.docsList) break;
    lines.push(line);
    used += line.length + 1;
    shown++;
  }
  if (shown < docs.length) lines.push(t('docsMore', { n: count(docs.length - shown) }));
  if (docs.length === 0) lines.push(t('docsEmpty'));
  const built = Date.parse(info.builtAt);
  // Discord shows a <t:…> timestamp in the reader's own time zone and language.
  const date = Number.isFinite(built) ? `<t:${Math.floor(built / 1000)}:R>` : '?';
  lines.push('', `-# ${t('docsFooter', { date, passages: count(info.passages) })}`);
  const embed: APIEmbed = {
    color: COLOR.info,
    title: t('docsTitle', { n: count(docs.length) }),
    description: lines.join('\n'),
  };
  return finish({ embeds: [embed], components: [] });
}
