import type { APIEmbed } from 'discord.js';
import type { ClaimCheck, ClaimResult } from '../../answer/claims.js';
import { BUDGET, COLOR, LOW_CONFIDENCE } from './budgets.js';
import { isMarkdown } from './context.js';
import type { ViewContext } from './context.js';
import { citation } from './names.js';
import { finish, footer } from './reply.js';
import type { Reply } from './reply.js';
import { fitExcerpt, fitInline } from './text.js';

/** The message whose claims are checked (Find source). */
export interface CheckedMessage {
  readonly url: string;
  readonly author: string;
}

/** One claim of a `/check` run, with the message it comes from. */
export interface CheckedClaim {
  readonly result: ClaimResult;
  readonly messageUrl: string;
}

/** What `/check` found in the last messages of a channel. */
export interface CheckRun {
  /** Messages asked for (`messages` option). */
  readonly requested: number;
  /** The checked claims, in the order of the discussion (duplicates removed). */
  readonly claims: readonly CheckedClaim[];
  /** Checkable sentences left out by the per-run limit. */
  readonly unchecked: number;
  /** That limit. */
  readonly maxClaims: number;
  /** Sentences skipped as not checkable (questions, greetings, opinions). */
  readonly skipped: number;
}

const ICON = { supported: '✅', contradicted: '❌', not_found: '➖' } as const;

/**
 * Find source: the claim check of one message. One claim: its verdict ("Supported by the documents", "The
 * documents say **20 billion**, not 50 billion", "Not found in the documents"), the deciding quote (the documents'
 * value in bold) and its citation; a claim not found shows the closest passage, labelled as not settling it.
 * Several claims: one line per claim (the claim shortened and its verdict), each decided one with its quote and
 * citation, within {@link BUDGET.claimList}. Skipped sentences are counted in the footer.
 */
export function renderClaimCheck(check: ClaimCheck, message: CheckedMessage, view: ViewContext): Reply {
  const { t } = view;
  const lines: string[] = [messageLine(message, view)];
  const claims = check.claims;
  const one = claims.length === 1 ? claims[0] : undefined;
  if (claims.length === 0) {
    lines.push(t('claimNothing'));
  } else if (one) {
    lines.push(`${ICON[one.verdict]} ${verdictText(one, view, true)}`);
    const top = one.sources[0];
    if (one.verdict !== 'not_found') {
      lines.push(`> ${quoteOf(one, BUDGET.claimQuote)}`);
      if (top) lines.push(`— ${citation(view.catalog, top, t, { bold: true })}`);
    } else if (top) {
      lines.push(
        '',
        `-# ${t('closestNotSettled')}`,
        `> ${fitExcerpt(top.excerpt, null, BUDGET.closest, false, isMarkdown(top.doc)) || '…'}`,
        `— ${citation(view.catalog, top, t)}`,
      );
    }
  } else {
    const blocks = claims.map((c) => {
      const head = `${ICON[c.verdict]} “${fitInline(c.claim, BUDGET.claimText) || '…'}” — ${verdictText(c, view, true)}`;
      const top = c.sources[0];
      if (c.verdict === 'not_found' || !top) return head;
      return `${head}\n> ${quoteOf(c, BUDGET.claimQuoteEach)}\n— ${citation(view.catalog, top, t)}`;
    });
    lines.push('', ...fitBlocks(blocks, BUDGET.claimList - lines.join('\n').length, view, '\n\n'));
  }
  const embed: APIEmbed = {
    color: colorOf(claims),
    title: fitInline(check.text, BUDGET.title) || t('yourQuestion'),
    description: lines.join('\n'),
    ...footer(check.skipped.length > 0 ? t('claimSkipped', { n: check.skipped.length }) : ''),
  };
  return finish({ embeds: [embed], components: [] });
}

/**
 * `/check`: a summary line (how many contradicted, supported, not found), then one compact entry per claim,
 * contradicted first, then supported, then not found (each group in the order of the discussion): the claim
 * shortened with a link to its message, its verdict and the citation of the deciding passage. Entries past
 * {@link BUDGET.claimList} are counted in one "…and N more" line, so 50 long messages stay within the limits.
 */
export function renderCheckList(run: CheckRun, view: ViewContext): Reply {
  const { t } = view;
  const n = (v: 'supported' | 'contradicted' | 'not_found') =>
    run.claims.filter((c) => c.result.verdict === v).length;
  const order = { contradicted: 0, supported: 1, not_found: 2 } as const;
  const sorted = run.claims
    .map((c, i) => ({ c, i }))
    .sort((a, b) => order[a.c.result.verdict] - order[b.c.result.verdict] || a.i - b.i)
    .map(({ c }) => c);
  const lines: string[] = [];
  if (sorted.length === 0) {
    lines.push(t('checkNone', { n: run.requested }));
  } else {
    lines.push(
      t('checkSummary', {
        contradicted: `**${n('contradicted')}**`,
        supported: `**${n('supported')}**`,
        notFound: `**${n('not_found')}**`,
      }),
      '',
    );
    const entries = sorted.map((c) => checkEntry(c, view));
    lines.push(...fitBlocks(entries, BUDGET.claimList - lines.join('\n').length, view, '\n'));
  }
  const notes = [
    run.unchecked > 0 ? t('checkUnchecked', { n: run.unchecked, max: run.maxClaims }) : '',
    run.skipped > 0 ? t('claimSkipped', { n: run.skipped }) : '',
  ].filter(Boolean);
  const embed: APIEmbed = {
    color: colorOf(sorted.map((c) => c.result)),
    title: t('checkTitle', { n: run.requested }),
    description: lines.join('\n'),
    ...footer(notes.join(' · ')),
  };
  return finish({ embeds: [embed], components: [] });
}

/**
 * A watched channel's reply to a message the documents contradict: the documents' value against the claimed
 * one, the deciding quote (kept short) and its citation; a footer says why the bot speaks up.
 */
export function renderWatchReply(result: ClaimResult, view: ViewContext): Reply {
  const { t } = view;
  const top = result.sources[0];
  const lines = [`${ICON.contradicted} ${verdictText(result, view, false)}`];
  lines.push(`> ${quoteOf(result, BUDGET.watchQuote)}`);
  if (top) lines.push(`— ${citation(view.catalog, top, t)}`);
  const embed: APIEmbed = {
    color: COLOR.contradicted,
    description: lines.join('\n'),
    ...footer(t('watchFooter')),
  };
  return finish({ embeds: [embed], components: [] });
}

function checkEntry({ result, messageUrl }: CheckedClaim, view: ViewContext): string {
  const { t } = view;
  const link = isMessageUrl(messageUrl) ? ` · [${t('messageLink')}](${messageUrl})` : '';
  const head = `${ICON[result.verdict]} “${fitInline(result.claim, BUDGET.claimText) || '…'}”${link}`;
  const top = result.sources[0];
  if (result.verdict === 'not_found' || !top) return `${head} — ${t('verdictNotFound')}`;
  return `${head}\n↳ ${verdictText(result, view, false)} — ${citation(view.catalog, top, t)}`;
}

/** The verdict in words; a supported or contradicted verdict below {@link LOW_CONFIDENCE} says so. */
function verdictText(c: ClaimResult, view: ViewContext, boldVerdict: boolean): string {
  const { t } = view;
  const low = c.verdict !== 'not_found' && !(c.confidence >= LOW_CONFIDENCE) ? ` (${t('verdictLow')})` : '';
  const bold = (s: string) => (boldVerdict ? `**${s}**` : s);
  switch (c.verdict) {
    case 'supported':
      return bold(t('verdictSupported')) + low;
    case 'not_found':
      return bold(t('verdictNotFound'));
    case 'contradicted': {
      const m = c.mismatch;
      if (!m) return bold(t('verdictOtherwise')) + low;
      return (
        t('verdictContradicted', { documented: valueText(m.documented), claimed: valueText(m.claimed) }) + low
      );
    }
  }
}

/** A value as written, without trailing punctuation, escaped and shortened. */
function valueText(value: string): string {
  return fitInline(value.replace(/[\s.,;:!?]+$/u, ''), BUDGET.claimValue) || '…';
}

/**
 * The deciding sentences of a claim's first source (its highlight), with the documents' value in bold for a
 * contradiction; the head of the passage when it has no highlight.
 */
function quoteOf(c: ClaimResult, max: number): string {
  const s = c.sources[0];
  if (!s) return fitInline(c.claim, max) || '…';
  const h = s.highlight && s.highlight.end > s.highlight.start ? s.highlight : null;
  const text = h ? s.excerpt.slice(h.start, h.end) : s.excerpt;
  const documented = c.mismatch?.documented.replace(/[\s.,;:!?]+$/u, '') ?? '';
  const at = documented !== '' ? text.indexOf(documented) : -1;
  const span = at >= 0 ? { start: at, end: at + documented.length } : null;
  return fitExcerpt(text, span, max, span !== null, isMarkdown(s.doc)) || '…';
}

function messageLine(message: CheckedMessage, view: ViewContext): string {
  const author = fitInline(message.author, 80) || '…';
  return isMessageUrl(message.url)
    ? view.t('claimFor', { url: message.url, author })
    : view.t('claimForPlain', { author });
}

function isMessageUrl(url: string): boolean {
  return /^https:\/\/(?:\w+\.)?discord(?:app)?\.com\/channels\/(?:\d+|@me)\/\d+\/\d+$/.test(url);
}

function colorOf(claims: readonly ClaimResult[]): number {
  if (claims.some((c) => c.verdict === 'contradicted')) return COLOR.contradicted;
  if (claims.some((c) => c.verdict === 'supported')) return COLOR.answer;
  return COLOR.refused;
}

/**
 * As many whole blocks as fit in `budget` characters (joined by `separator`), then "…and N more" for the rest.
 * Room for that line is kept while blocks remain.
 */
function fitBlocks(
  blocks: readonly string[],
  budget: number,
  view: ViewContext,
  separator: string,
): string[] {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] ?? '';
    const last = i === blocks.length - 1;
    const reserve = last ? 0 : view.t('claimMore', { n: blocks.length }).length + separator.length;
    if (used + block.length + separator.length + reserve > budget) {
      out.push(view.t('claimMore', { n: blocks.length - i }));
      break;
    }
    out.push(block);
    used += block.length + separator.length;
  }
  return separator === '\n' ? out : out.flatMap((b, i) => (i === 0 ? [b] : ['', b]));
}
