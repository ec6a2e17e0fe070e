import { expect } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { parseCustomId } from '../../src/discord/components/custom-id.js';
import type { Reply } from '../../src/discord/views/reply.js';

/** Discord's documented limits, restated here so the tests do not trust the renderer's own table. */
export const DISCORD = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  label: 80,
  customId: 100,
} as const;

/** The shape every payload under test has: render.ts's Reply (captured REST bodies are mapped to it). */
export type PayloadLike = Reply;

const PING = /@(?:everyone|here)|<@[!&]?\d+>/;
// Control characters other than newline, bidi controls, BOM.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Every string of a payload that Discord renders as markdown. */
export function markdownTexts(p: PayloadLike): string[] {
  const out: string[] = [];
  if (p.content !== undefined) out.push(p.content);
  for (const e of p.embeds) {
    if (e.title !== undefined) out.push(e.title);
    if (e.description !== undefined) out.push(e.description);
    for (const f of e.fields ?? []) out.push(f.name, f.value);
  }
  return out;
}

/** Every string of a payload that Discord shows as plain text (footers, author names, button labels). */
export function plainTexts(p: PayloadLike): string[] {
  const out: string[] = [];
  for (const e of p.embeds) {
    if (e.footer) out.push(e.footer.text);
    if (e.author) out.push(e.author.name);
  }
  for (const row of p.components) {
    for (const b of row.components) if ('label' in b && b.label !== undefined) out.push(b.label);
  }
  return out;
}

/** Every visible string of a payload. */
export function texts(p: PayloadLike): string[] {
  return [...markdownTexts(p), ...plainTexts(p)];
}

function embedTotal(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Asserts every Discord limit, no possible ping, no hidden control characters, and valid Footnote custom_ids. */
export function expectWithinLimits(p: PayloadLike): void {
  expect(p.allowedMentions).toEqual({ parse: [] });
  expect(p.content === undefined || p.embeds.length > 0 || p.content.length > 0).toBe(true);
  if (p.content !== undefined) expect(p.content.length).toBeLessThanOrEqual(DISCORD.content);
  expect(p.embeds.length).toBeLessThanOrEqual(DISCORD.embeds);
  let total = 0;
  for (const e of p.embeds) {
    if (e.title !== undefined) {
      expect(e.title.length).toBeLessThanOrEqual(DISCORD.title);
      expect(e.title.length).toBeGreaterThan(0);
    }
    if (e.description !== undefined) {
      expect(e.description.length).toBeLessThanOrEqual(DISCORD.description);
      expect(e.description.length).toBeGreaterThan(0);
    }
    if (e.footer) expect(e.footer.text.length).toBeLessThanOrEqual(DISCORD.footer);
    const fields = e.fields ?? [];
    expect(fields.length).toBeLessThanOrEqual(DISCORD.fields);
    for (const f of fields) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD.fieldValue);
      expect(f.name.trim().length).toBeGreaterThan(0);
      expect(f.value.trim().length).toBeGreaterThan(0);
    }
    total += embedTotal(e);
  }
  expect(total).toBeLessThanOrEqual(DISCORD.embedTotal);

  expect(p.components.length).toBeLessThanOrEqual(DISCORD.rows);
  const ids = new Set<string>();
  for (const row of p.components) {
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(DISCORD.buttonsPerRow);
    for (const b of row.components) {
      const label = 'label' in b ? b.label : undefined;
      const emoji = 'emoji' in b ? b.emoji : undefined;
      expect(label !== undefined || emoji !== undefined).toBe(true);
      if (label !== undefined) expect(label.length).toBeLessThanOrEqual(DISCORD.label);
      const id = 'custom_id' in b ? b.custom_id : '';
      expect(id.length).toBeGreaterThan(0);
      expect(id.length).toBeLessThanOrEqual(DISCORD.customId);
      expect(parseCustomId(id)).not.toBeNull();
      expect(ids.has(id)).toBe(false);
      ids.add(id);
    }
  }

  for (const t of texts(p)) {
    expect(t).not.toMatch(PING);
    expect(t).not.toMatch(INVISIBLE);
    expect(isWellFormed(t)).toBe(true);
  }
  // A code fence could swallow the rest of a message; footers and labels show no markdown, so only these matter.
  for (const t of markdownTexts(p)) expect(t).not.toContain('```');
}

/** No lone surrogates (a cut in the middle of an emoji). */
function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
