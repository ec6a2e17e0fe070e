import type { Labels } from './labels.js';
import { notice } from './reply.js';
import type { Reply } from './reply.js';
import { fitInline } from './text.js';

/** Short private notices, in the member's language. */
export const notices = {
  error: (t: Labels): Reply => notice(t('errorGeneric')),
  rateLimited(t: Labels, retryAfterSeconds: number, scope: 'user' | 'channel'): Reply {
    const s = Number.isFinite(retryAfterSeconds) ? Math.max(1, Math.ceil(retryAfterSeconds)) : 60;
    return notice(t(scope === 'user' ? 'rateUser' : 'rateChannel', { s }));
  },
  restarting: (t: Labels): Reply => notice(t('restarting')),
  expired: (t: Labels): Reply => notice(t('expired')),
  unknownCommand: (t: Labels): Reply => notice(t('unknownCommand')),
  mentionUsage: (t: Labels): Reply => notice(t('mentionUsage')),
  noText: (t: Labels): Reply => notice(t('noText')),
  documentNotFound: (t: Labels, query: string): Reply =>
    notice(t('documentNotFound', { query: fitInline(query, 200) })),
  passageNotFound: (t: Labels, title: string, passages: number): Reply =>
    notice(
      t('passageNotFound', {
        title: fitInline(title, 200),
        n: Number.isFinite(passages) ? Math.trunc(passages) : '?',
      }),
    ),
  passageGone: (t: Labels): Reply => notice(t('passageGone')),
  noPassage: (t: Labels): Reply => notice(t('noPassage')),
  threadOpened: (t: Labels, threadId: string, autoAnswer: boolean): Reply =>
    notice(
      t('threadOpened', { id: safeId(threadId), how: t(autoAnswer ? 'threadHowAuto' : 'threadHowMention') }),
    ),
  threadExists: (t: Labels, threadId?: string): Reply =>
    notice(threadId === undefined ? t('threadExistsPlain') : t('threadExists', { id: safeId(threadId) })),
  cannotThread: (t: Labels): Reply => notice(t('cannotThread')),
  /** The first message in a thread opened from an answer. */
  threadIntro: (t: Labels, question: string, autoAnswer: boolean): Reply =>
    notice(
      t('threadIntro', {
        question: fitInline(question, 300) || '…',
        how: t(autoAnswer ? 'threadIntroAuto' : 'threadIntroMention'),
      }),
    ),
};

function safeId(id: string): string {
  return /^\d{1,20}$/.test(id) ? id : '0';
}
