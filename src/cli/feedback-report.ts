import { FootnoteError } from '../errors.js';
import type { FeedbackReport, QuestionCount } from '../store/feedback-store.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Reads `--since`: a span back from `now` (`30m`, `24h`, `7d`, `2w`) or a date (`2025-01-31`, any ISO 8601).
 * Returns the ISO 8601 time it stands for; throws INPUT_INVALID otherwise.
 */
export function parseSince(value: string, now: number): string {
  const span = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  if (span) {
    const unit = span[2]!.toLowerCase() as keyof typeof UNIT_MS;
    return new Date(now - Number(span[1]) * UNIT_MS[unit]).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const t = Date.parse(value.trim());
    if (Number.isFinite(t)) return new Date(t).toISOString();
  }
  throw new FootnoteError(
    'INPUT_INVALID',
    `--since ${JSON.stringify(value)} is not a span (30m, 24h, 7d, 2w) or a date (2025-01-31).`,
  );
}

/** The report as plain text for the people who keep the documents. */
export function formatFeedbackReport(report: FeedbackReport, since: string): string {
  const lines = [
    `Feedback since ${since}: ${report.votes} vote${report.votes === 1 ? '' : 's'} that count, ` +
      `${report.refusals} refused question${report.refusals === 1 ? '' : 's'} logged.`,
    '',
    'Most down-voted questions (check the passages they were answered from):',
    ...table(report.downVoted, (q) => `👎 ${q.down}  👍 ${q.up}`),
    '',
    'Most refused questions (what the documents are missing):',
    ...table(report.refused, (q) => `refused ${q.refused}×`),
  ];
  return lines.join('\n');
}

function table(rows: readonly QuestionCount[], counts: (q: QuestionCount) => string): string[] {
  if (rows.length === 0) return ['  (none)'];
  return rows.map((q, i) => {
    const text = q.question.replace(/\s+/g, ' ').trim();
    const short = text.length > 100 ? `${text.slice(0, 99)}…` : text;
    return `  ${String(i + 1).padStart(2)}. ${counts(q).padEnd(12)} ${short}  (last ${q.last.slice(0, 10)})`;
  });
}
