import { SlashCommandBuilder } from 'discord.js';
import type { ChatInputCommandInteraction } from 'discord.js';
import { askMode } from '../context.js';
import type { BotContext, SlashCommand, Trace } from '../context.js';
import { renderAnswer } from '../render.js';
import type { Reply } from '../render.js';
import { answerWithin, takeSlot } from '../respond.js';

/** `/ask question [private]`: an answer quoted from the documents, with its source excerpt and citation. */
export const ask: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Answer a question from the documents, quoting the passage used')
    .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true))
    .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer'))
    .toJSON(),

  async execute(interaction, ctx, trace) {
    const question = interaction.options.getString('question', true);
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    if (!(await takeSlot(interaction, ctx, trace))) return;
    const work = () => answerQuestion(interaction, ctx, trace, question, ephemeral);
    await answerWithin(interaction, trace, work, {
      ephemeral,
      budgetMs: ctx.answerBudgetMs,
      queue: ctx.scheduler,
    });
  },
};

async function answerQuestion(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  trace: Trace,
  question: string,
  ephemeral: boolean,
): Promise<Reply> {
  const result = await ctx.engines.current().ask(question, { mode: askMode(ctx, trace) });
  trace.outcome = result.answered ? 'answered' : 'refused';
  const key = ctx.store.put({
    kind: 'answer',
    question,
    context: [],
    answered: result.answered,
    sources: result.sources,
  });
  const canThread = !ephemeral && interaction.inGuild() && !(interaction.channel?.isThread() ?? true);
  return renderAnswer(result, { key, canThread });
}
