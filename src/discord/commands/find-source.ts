import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { askMode } from '../context.js';
import type { MessageCommand } from '../context.js';
import { renderAnswer, renderNoText } from '../render.js';
import { answerWithin, send, takeSlot } from '../respond.js';

/** The name users see under Apps when they right-click a message. */
export const FIND_SOURCE = 'Find source';

/**
 * Message context-menu "Find source": takes the message's text as a claim or question and replies, linking that
 * message, with the passage that best supports or answers it, or says the documents do not cover it.
 */
export const findSource: MessageCommand = {
  kind: 'message',
  data: new ContextMenuCommandBuilder().setName(FIND_SOURCE).setType(ApplicationCommandType.Message).toJSON(),

  async execute(interaction, ctx, trace) {
    const target = interaction.targetMessage;
    // A message may carry its text in embeds only (another bot's post): use their title and description then.
    const text = (
      target.content.trim() ||
      target.embeds.map((e) => [e.title, e.description].filter(Boolean).join('\n')).join('\n')
    ).trim();
    if (text === '') {
      trace.outcome = 'invalid';
      await send(interaction, trace, renderNoText(), true);
      return;
    }
    if (!(await takeSlot(interaction, ctx, trace))) return;
    const work = () =>
      ctx.engines
        .current()
        .ask(text, { mode: askMode(ctx, trace) })
        .then((result) => {
          trace.outcome = result.answered ? 'answered' : 'refused';
          const key = ctx.store.put({
            kind: 'answer',
            question: text,
            context: [],
            answered: result.answered,
            sources: result.sources,
          });
          const canThread = interaction.inGuild() && !(interaction.channel?.isThread() ?? true);
          return renderAnswer(result, {
            key,
            canThread,
            reference: { url: target.url, author: target.author.displayName },
          });
        });
    await answerWithin(interaction, trace, work, {
      ephemeral: false,
      budgetMs: ctx.answerBudgetMs,
      queue: ctx.scheduler,
    });
  },
};
