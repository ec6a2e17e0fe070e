import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { encodeCustomId } from '../components/custom-id.js';
import type { ButtonAction } from '../components/custom-id.js';
import { BUDGET, LIMITS } from './budgets.js';
import { cutMarkdown, fitPlain } from './text.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message payload accepted by `reply`, `editReply`, `followUp`, `update`, `message.reply` and `channel.send`. */
export interface Reply {
  readonly content?: string;
  readonly embeds: readonly APIEmbed[];
  readonly components: readonly ButtonRow[];
  readonly allowedMentions: { readonly parse: readonly [] };
}

/** An embed footer from plain text, or nothing when the text is empty. */
export function footer(text: string): { footer?: { text: string } } {
  const t = fitPlain(text, BUDGET.notes);
  return t ? { footer: { text: t } } : {};
}

/** A button carrying an encoded action; `style` defaults to grey. */
export function button(
  action: ButtonAction,
  label: string | null,
  options: { emoji?: string; disabled?: boolean; style?: ButtonStyle } = {},
): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: options.style ?? ButtonStyle.Secondary,
    custom_id: encodeCustomId(action),
    ...(label !== null ? { label: fitPlain(label, LIMITS.label, '…') } : {}),
    ...(options.emoji !== undefined ? { emoji: { name: options.emoji } } : {}),
    ...(options.disabled ? { disabled: true } : {}),
  } as APIButtonComponent;
}

/** Buttons in rows of five, at most five rows. */
export function rows(buttons: readonly APIButtonComponent[]): ButtonRow[] {
  const out: ButtonRow[] = [];
  for (let i = 0; i < buttons.length && out.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return out;
}

/** A short notice. `text` is the bot's own markdown; any user text inside must be escaped by the caller. */
export function notice(text: string): Reply {
  return finish({ content: text, embeds: [], components: [] });
}

/** Every text of an embed that counts towards the 6,000 total. */
export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * Clamps a payload to every limit and adds `allowedMentions: { parse: [] }`. Views budget their parts so this
 * normally changes nothing; it guarantees the limits if a budget is wrong.
 */
export function finish(reply: { content?: string; embeds: APIEmbed[]; components: ButtonRow[] }): Reply {
  const embeds = reply.embeds.slice(0, LIMITS.embeds).map((e) => {
    const out: APIEmbed = { ...e };
    if (out.title !== undefined) out.title = cutMarkdown(out.title, LIMITS.title);
    if (out.description !== undefined) out.description = cutMarkdown(out.description, LIMITS.description);
    if (out.footer) out.footer = { ...out.footer, text: cutMarkdown(out.footer.text, LIMITS.footer) };
    if (out.fields) {
      out.fields = out.fields.slice(0, LIMITS.fields).map((f) => ({
        ...f,
        name: cutMarkdown(f.name, LIMITS.fieldName) || '…',
        value: cutMarkdown(f.value, LIMITS.fieldValue) || '…',
      }));
      if (out.fields.length === 0) delete out.fields;
    }
    return out;
  });
  let total = embeds.reduce((n, e) => n + embedLength(e), 0);
  for (let i = embeds.length - 1; i >= 0 && total > LIMITS.embedTotal; i--) {
    const e = embeds[i];
    if (!e) continue;
    while (e.fields && e.fields.length > 0 && total > LIMITS.embedTotal) {
      const f = e.fields.pop();
      total -= (f?.name.length ?? 0) + (f?.value.length ?? 0);
    }
    if (e.description !== undefined && total > LIMITS.embedTotal) {
      const keep = Math.max(1, e.description.length - (total - LIMITS.embedTotal));
      total -= e.description.length;
      e.description = cutMarkdown(e.description, keep);
      total += e.description.length;
    }
  }
  const components = reply.components.slice(0, LIMITS.rows).map((row) => ({
    ...row,
    components: row.components.slice(0, LIMITS.buttonsPerRow),
  }));
  return {
    ...(reply.content !== undefined ? { content: cutMarkdown(reply.content, LIMITS.content) } : {}),
    embeds,
    components,
    allowedMentions: { parse: [] },
  };
}
