import type { APIEmbed, APIEmbedField, RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { DocumentInfo } from '../../answer/types.js';
import { COLOR } from './budgets.js';
import type { ViewContext } from './context.js';
import type { Lang } from './labels.js';
import { finish } from './reply.js';
import type { Reply } from './reply.js';
import { fitInline } from './text.js';

/**
 * `/help`: every command from its registration data (name, options, description, in the member's language), with
 * examples taken from the corpus actually loaded (its key terms), and the documents by display title.
 */
export function renderHelp(
  commands: readonly RESTPostAPIApplicationCommandsJSONBody[],
  corpus: { readonly docs: readonly DocumentInfo[]; readonly topics: readonly string[] },
  lang: Lang,
  view: ViewContext,
): Reply {
  const { t } = view;
  const topic = (i: number) => fitInline(corpus.topics[i] ?? corpus.topics[0] ?? 'trade', 40);
  const examples: Record<string, string> = {
    ask: `\`/ask question: ${lang === 'ru' ? 'Что говорится о' : 'What do the documents say about'} ${topic(0)}?\``,
    lookup: `\`/lookup term: ${topic(1)}\``,
    search: `\`/search query: ${topic(2)} count: 3\``,
    brief: `\`/brief topic: ${topic(3)}\``,
    check: '`/check messages: 20`',
  };
  const fields: APIEmbedField[] = [];
  for (const c of commands) {
    if (c.type !== undefined && c.type !== ApplicationCommandType.ChatInput) continue;
    const declared = 'options' in c ? (c.options ?? []) : [];
    // Subcommands are alternatives (`/watch on|off|status`); other options are listed, optional ones in brackets.
    const options = declared.every((o) => o.type === ApplicationCommandOptionType.Subcommand)
      ? declared.map((o) => o.name).join('|')
      : declared.map((o) => ('required' in o && o.required ? o.name : `[${o.name}]`)).join(' ');
    const description = (lang === 'ru' ? c.description_localizations?.ru : undefined) ?? c.description;
    const example = examples[c.name];
    fields.push({
      name: `/${c.name}${options ? ` ${options}` : ''}`,
      value: [description, example].filter(Boolean).join('\n'),
    });
  }
  fields.push(
    { name: t('helpMention'), value: t('helpMentionText') },
    { name: t('helpThread'), value: t('helpThreadText') },
    { name: t('helpFindSource'), value: t('helpFindSourceText') },
  );
  const titles = corpus.docs
    .slice(0, 8)
    .map((d) => `• ${fitInline(view.catalog.doc(d.doc, d.title).title, 90)}`);
  if (corpus.docs.length > 8) titles.push(t('docsMore', { n: corpus.docs.length - 8 }));
  if (titles.length > 0) fields.push({ name: t('helpDocs'), value: titles.join('\n') });
  const embed: APIEmbed = { color: COLOR.info, title: t('helpTitle'), description: t('helpIntro'), fields };
  return finish({ embeds: [embed], components: [] });
}
