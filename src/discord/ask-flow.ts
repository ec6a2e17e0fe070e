import type { AnswerResult } from '../answer/types.js';
import { askMode } from './context.js';
import type { Invocation } from './context.js';
import { renderAnswer } from './views/answer.js';
import type { Reply } from './views/reply.js';

/** A question to answer, from /ask, Find source, a mention, a reply to an answer or a message in a bot thread. */
export interface AskRequest {
  readonly question: string;
  /** Earlier questions of the conversation, most recent last. */
  readonly context?: readonly string[];
  readonly guildId: string | null;
  readonly channelId: string;
  /** Offer "Discuss in thread". */
  readonly canThread: boolean;
}

/**
 * The one "ask, store, reply" flow: asks the engine (in the mode the queue allows), notes the outcome on the trace,
 * records a refusal for the feedback report, stores the answer for its buttons and follow-ups, and renders the card.
 */
export async function askStoreReply(inv: Invocation, req: AskRequest): Promise<Reply> {
  const { ctx, trace } = inv;
  const context = req.context ?? [];
  const result: AnswerResult = await inv.engine.ask(req.question, {
    ...(context.length > 0 ? { context } : {}),
    mode: askMode(ctx, trace),
  });
  trace.outcome = result.answered ? 'answered' : 'refused';
  if (!result.answered) {
    ctx.feedback.recordRefusal({
      time: new Date(ctx.now()).toISOString(),
      guildId: req.guildId,
      channelId: req.channelId,
      question: req.question,
    });
  }
  const key = ctx.store.put({
    kind: 'answer',
    question: req.question,
    context,
    answered: result.answered,
    sources: result.sources,
  });
  return renderAnswer(result, { key, canThread: req.canThread }, inv.view);
}
