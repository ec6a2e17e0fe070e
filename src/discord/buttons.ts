import { DiscordAPIError, RESTJSONErrorCodes, ThreadAutoArchiveDuration } from 'discord.js';
import type { ButtonInteraction } from 'discord.js';
import type { StoredAnswer } from './answer-store.js';
import { docKeyOf } from './choices.js';
import type { BotContext, Trace } from './context.js';
import { parseCustomId } from './custom-id.js';
import type { ButtonAction } from './custom-id.js';
import { hashUserId } from './feedback.js';
import {
  renderCannotThread,
  renderExpired,
  renderFullPassage,
  renderLookup,
  renderMoreSources,
  renderNotice,
  renderSource,
  renderThreadExists,
  renderThreadIntro,
  renderThreadOpened,
  renderVoteRecorded,
} from './render.js';
import type { Reply } from './render.js';
import { answerWithin, send, update } from './respond.js';
import { fitPlain } from './text.js';

/**
 * Handles a click on one of the bot's buttons. Unknown or malformed ids and answers no longer in the store (after a
 * restart or eviction) get a private "too old, ask again"; nothing here throws for an expected outcome.
 */
export async function handleButton(
  interaction: ButtonInteraction,
  ctx: BotContext,
  trace: Trace,
): Promise<void> {
  const action = parseCustomId(interaction.customId);
  if (!action) return expired(interaction, trace);
  switch (action.kind) {
    case 'more':
    case 'full':
    case 'thread':
    case 'vote': {
      const entry = ctx.store.get(action.key);
      if (entry?.kind !== 'answer') return expired(interaction, trace);
      return answerButton(interaction, ctx, trace, action, entry);
    }
    case 'look': {
      const entry = ctx.store.get(action.key);
      if (entry?.kind !== 'lookup') return expired(interaction, trace);
      return update(
        interaction,
        trace,
        renderLookup(ctx.engines.current().lookup(entry.term), action.page, action.key),
      );
    }
    case 'src': {
      const engine = ctx.engines.current();
      const doc = engine.documents().find((d) => docKeyOf(d.doc) === action.docKey);
      const view = doc ? engine.passage(doc.doc, action.ordinal) : null;
      if (!view) {
        trace.outcome = 'not-found';
        return send(
          interaction,
          trace,
          renderNotice('That passage is no longer in the documents. Try `/source` again.'),
          true,
        );
      }
      return update(interaction, trace, renderSource(view, action.docKey));
    }
  }
}

async function answerButton(
  interaction: ButtonInteraction,
  ctx: BotContext,
  trace: Trace,
  action: Extract<ButtonAction, { key: string }>,
  entry: StoredAnswer,
): Promise<void> {
  switch (action.kind) {
    case 'more':
      return send(interaction, trace, renderMoreSources(entry.question, entry.sources, entry.answered), true);
    case 'full':
      return send(interaction, trace, fullPassage(ctx, entry), true);
    case 'thread':
      return openThread(interaction, ctx, trace, entry);
    case 'vote': {
      const vote = action.vote;
      const work = () =>
        ctx.feedback
          .append({
            time: new Date(ctx.now()).toISOString(),
            guildId: interaction.guildId,
            channelId: interaction.channelId,
            userHash: hashUserId(interaction.user.id),
            answerKey: action.key,
            question: entry.question,
            passageIds: entry.sources.map((s) => s.passageId),
            answered: entry.answered,
            vote,
          })
          .then(() => renderVoteRecorded(vote));
      return answerWithin(interaction, trace, work, { ephemeral: true, budgetMs: ctx.answerBudgetMs });
    }
    case 'look':
      return expired(interaction, trace);
  }
}

/** The answer's best passage and its neighbours; the stored highlight is kept (the answer sentence stays bold). */
function fullPassage(ctx: BotContext, entry: StoredAnswer): Reply {
  const top = entry.sources[0];
  if (!top) return renderNotice('This answer has no passage to show.');
  const view = ctx.engines.current().passageById(top.passageId);
  if (!view) return renderFullPassage({ source: top, previous: null, next: null, count: Number.NaN });
  return renderFullPassage({ ...view, source: { ...view.source, highlight: top.highlight } });
}

/** "Discuss in thread": opens a public thread on the answer and remembers the question as the thread's context. */
async function openThread(
  interaction: ButtonInteraction,
  ctx: BotContext,
  trace: Trace,
  entry: StoredAnswer,
): Promise<void> {
  const message = interaction.message;
  const existing = message.thread;
  if (existing) return send(interaction, trace, renderThreadExists(existing.id), true);
  if (!interaction.inGuild() || (interaction.channel?.isThread() ?? true)) {
    return send(interaction, trace, renderCannotThread(), true);
  }
  const auto = ctx.config.THREAD_AUTO_ANSWER;
  const work = async (): Promise<Reply> => {
    try {
      const thread = await message.startThread({
        name: fitPlain(entry.question, 100, 'Discussion'),
        autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      });
      ctx.threads.add(thread.id, ...entry.context, entry.question);
      await thread.send(renderThreadIntro(entry.question, auto));
      return renderThreadOpened(thread.id, auto);
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) {
        return renderNotice('This answer already has a thread.');
      }
      if (err instanceof DiscordAPIError && isPermissionError(err)) {
        ctx.logger.warn(
          { event: 'thread-refused', code: err.code, status: err.status },
          'cannot open a thread',
        );
        return renderCannotThread();
      }
      throw err;
    }
  };
  await answerWithin(interaction, trace, work, { ephemeral: true, budgetMs: ctx.answerBudgetMs });
}

function isPermissionError(err: DiscordAPIError): boolean {
  return (
    err.code === RESTJSONErrorCodes.MissingPermissions ||
    err.code === RESTJSONErrorCodes.MissingAccess ||
    err.code === RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType
  );
}

async function expired(interaction: ButtonInteraction, trace: Trace): Promise<void> {
  trace.outcome = 'expired';
  await send(interaction, trace, renderExpired(), true);
}
