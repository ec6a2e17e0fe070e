import { DiscordAPIError, RESTJSONErrorCodes, ThreadAutoArchiveDuration } from 'discord.js';
import type { APIActionRowComponent, APIComponentInMessageActionRow, ButtonInteraction } from 'discord.js';
import { hashUserId } from '../../store/feedback-record.js';
import { docKeyOf } from '../choices.js';
import type { Invocation } from '../context.js';
import { answerWithin, send, update } from '../respond.js';
import type { StoredAnswer } from '../state/answer-store.js';
import { renderFullPassage, renderMoreSources, voteButtons } from '../views/answer.js';
import { renderLookup } from '../views/lookup.js';
import { notices } from '../views/notices.js';
import type { Reply } from '../views/reply.js';
import { renderSource } from '../views/source.js';
import { fitPlain } from '../views/text.js';
import { parseCustomId } from './custom-id.js';
import type { ButtonAction } from './custom-id.js';

/**
 * Handles a click on one of the bot's buttons. Unknown or malformed ids and answers no longer in the store (after a
 * restart or eviction) get a private "too old, ask again"; nothing here throws for an expected outcome.
 */
export async function handleButton(interaction: ButtonInteraction, inv: Invocation): Promise<void> {
  const { ctx, trace } = inv;
  const action = parseCustomId(interaction.customId);
  if (!action) return expired(interaction, inv);
  switch (action.kind) {
    case 'more':
    case 'full':
    case 'thread':
    case 'vote': {
      const entry = ctx.store.get(action.key);
      if (entry?.kind !== 'answer') return expired(interaction, inv);
      return answerButton(interaction, inv, action, entry);
    }
    case 'look': {
      const entry = ctx.store.get(action.key);
      if (entry?.kind !== 'lookup') return expired(interaction, inv);
      return update(
        interaction,
        trace,
        renderLookup(inv.engine.lookup(entry.term), action.page, action.key, inv.view),
      );
    }
    case 'src': {
      const doc = inv.engine.documents().find((d) => docKeyOf(d.doc) === action.docKey);
      const view = doc ? inv.engine.passage(doc.doc, action.ordinal) : null;
      if (!view) {
        trace.outcome = 'not-found';
        return send(interaction, trace, notices.passageGone(inv.t), true);
      }
      return update(interaction, trace, renderSource(view, action.docKey, inv.view));
    }
  }
}

async function answerButton(
  interaction: ButtonInteraction,
  inv: Invocation,
  action: Extract<ButtonAction, { key: string }>,
  entry: StoredAnswer,
): Promise<void> {
  const { trace } = inv;
  switch (action.kind) {
    case 'more':
      return send(
        interaction,
        trace,
        renderMoreSources(entry.question, entry.sources, entry.answered, inv.view),
        true,
      );
    case 'full':
      return send(interaction, trace, fullPassage(inv, entry), true);
    case 'thread':
      return openThread(interaction, inv, entry);
    case 'vote':
      return vote(interaction, inv, action.key, action.vote, entry);
    case 'look':
      return expired(interaction, inv);
  }
}

/**
 * A 👍/👎: stored in the feedback store (committed before the click is acknowledged), then the answer's own
 * buttons are updated in place with the counts. No message is sent; voting again replaces the vote.
 */
async function vote(
  interaction: ButtonInteraction,
  inv: Invocation,
  key: string,
  choice: 'up' | 'down',
  entry: StoredAnswer,
): Promise<void> {
  const { ctx, trace } = inv;
  const userHash = hashUserId(interaction.user.id);
  const stored = ctx.feedback.append({
    time: new Date(ctx.now()).toISOString(),
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    userHash,
    answerKey: key,
    question: entry.question,
    passageIds: entry.sources.map((s) => s.passageId),
    answered: entry.answered,
    vote: choice,
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, trace.startedAt + ctx.answerBudgetMs - Date.now()));
  });
  const first = await Promise.race([stored.then(() => 'stored' as const), late]).finally(() =>
    clearTimeout(timer),
  );
  if (first === 'late') {
    await interaction.deferUpdate();
    trace.ackAt = Date.now();
    trace.deferred = true;
    await stored;
  }
  const counts = ctx.votes.cast(key, userHash, choice);
  const components = withVoteCounts(
    interaction.message.components.map(
      (row) => row.toJSON() as APIActionRowComponent<APIComponentInMessageActionRow>,
    ),
    key,
    counts,
  );
  if (first === 'late') await interaction.editReply({ components });
  else await interaction.update({ components });
  trace.ackAt ??= Date.now();
  trace.answerAt = Date.now();
}

/** The message's rows with the 👍/👎 buttons of answer `key` showing `counts`. */
export function withVoteCounts(
  rows: readonly APIActionRowComponent<APIComponentInMessageActionRow>[],
  key: string,
  counts: { readonly up: number; readonly down: number },
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const [up, down] = voteButtons(key, counts);
  return rows.map((row) => ({
    ...row,
    components: row.components.map((c) => {
      const id = 'custom_id' in c ? c.custom_id : undefined;
      const action = id === undefined ? null : parseCustomId(id);
      if (action?.kind !== 'vote' || action.key !== key) return c;
      return (action.vote === 'up' ? up : down) ?? c;
    }),
  }));
}

/** The answer's best passage and its neighbours; the stored highlight is kept (the answer sentence stays bold). */
function fullPassage(inv: Invocation, entry: StoredAnswer): Reply {
  const top = entry.sources[0];
  if (!top) return notices.noPassage(inv.t);
  const view = inv.engine.passageById(top.passageId);
  if (!view)
    return renderFullPassage({ source: top, previous: null, next: null, count: Number.NaN }, inv.view);
  return renderFullPassage({ ...view, source: { ...view.source, highlight: top.highlight } }, inv.view);
}

/** "Discuss in thread": opens a public thread on the answer and remembers the question as the thread's context. */
async function openThread(
  interaction: ButtonInteraction,
  inv: Invocation,
  entry: StoredAnswer,
): Promise<void> {
  const { ctx, trace, t } = inv;
  const message = interaction.message;
  const existing = message.thread;
  if (existing) return send(interaction, trace, notices.threadExists(t, existing.id), true);
  if (!interaction.inGuild() || (interaction.channel?.isThread() ?? true)) {
    return send(interaction, trace, notices.cannotThread(t), true);
  }
  const auto = ctx.config.THREAD_AUTO_ANSWER;
  const work = async (): Promise<Reply> => {
    try {
      const thread = await message.startThread({
        name: fitPlain(entry.question, 100, t('threadName')),
        autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      });
      ctx.threads.add(thread.id, ...entry.context, entry.question);
      await thread.send(notices.threadIntro(t, entry.question, auto));
      return notices.threadOpened(t, thread.id, auto);
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) {
        return notices.threadExists(t);
      }
      if (err instanceof DiscordAPIError && isPermissionError(err)) {
        ctx.logger.warn(
          { event: 'thread-refused', code: err.code, status: err.status },
          'cannot open a thread',
        );
        return notices.cannotThread(t);
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

async function expired(interaction: ButtonInteraction, inv: Invocation): Promise<void> {
  inv.trace.outcome = 'expired';
  await send(interaction, inv.trace, notices.expired(inv.t), true);
}
