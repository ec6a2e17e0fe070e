import {
  InteractionContextType,
  PermissionFlagsBits,
  PermissionsBitField,
  SlashCommandBuilder,
} from 'discord.js';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Invocation, SlashCommand } from '../context.js';
import { notice } from '../views/reply.js';
import type { Reply } from '../views/reply.js';
import { WATCH_CONTRADICT_CONFIDENCE } from '../watch.js';
import { withRussian } from './localize.js';

/** What a moderator needs: `default_member_permissions` hides the command from others, and each use checks it again. */
export const WATCH_PERMISSION = PermissionFlagsBits.ManageChannels;

/** What the bot needs in a channel it watches: read it, reply (a reply needs Read Message History) and react. */
const BOT_NEEDS = {
  'View Channel': PermissionFlagsBits.ViewChannel,
  'Read Message History': PermissionFlagsBits.ReadMessageHistory,
  'Embed Links': PermissionFlagsBits.EmbedLinks,
  'Add Reactions': PermissionFlagsBits.AddReactions,
} as const;

/**
 * `/watch on|off|status` (moderators: Manage Channels): turns the claim watch of this channel on or off, or says
 * whether it is on. The state lives in the settings database (`watched_channels`, with the time it was turned on:
 * older messages are never checked). Off unless a moderator turns it on; `on` is refused without the Message
 * Content intent (the bot would see empty messages) or without the permissions the bot needs in the channel.
 * Every reply is private.
 */
export const watch: SlashCommand = {
  kind: 'slash',
  data: withRussian(
    new SlashCommandBuilder()
      .setName('watch')
      .setDescription('Check claims in this channel on my own (moderators)')
      .setDefaultMemberPermissions(WATCH_PERMISSION)
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((s) =>
        s.setName('on').setDescription('Start checking the claims of new messages in this channel'),
      )
      .addSubcommand((s) => s.setName('off').setDescription('Stop checking claims in this channel'))
      .addSubcommand((s) => s.setName('status').setDescription('Whether this channel is watched'))
      .toJSON(),
  ),
  preconditions: [],

  check(interaction, inv) {
    const refuse = (text: string) => {
      inv.trace.outcome = 'invalid';
      return { reply: notice(text), ephemeral: true };
    };
    if (!interaction.inGuild()) return refuse(inv.t('watchGuildOnly'));
    // default_member_permissions can be overridden per server: the permission is checked here again.
    if (!interaction.memberPermissions.has(WATCH_PERMISSION)) return refuse(inv.t('watchNoPermission'));
    return null;
  },

  run(interaction, inv) {
    const sub = interaction.options.getSubcommand(true);
    const reply =
      sub === 'on'
        ? turnOn(interaction, inv)
        : sub === 'off'
          ? turnOff(interaction, inv)
          : status(interaction, inv);
    return { reply, ephemeral: true };
  },
};

function turnOn(interaction: ChatInputCommandInteraction, inv: Invocation): Reply {
  const { ctx, t, trace } = inv;
  const guildId = interaction.guildId ?? '';
  if (!ctx.config.MESSAGE_CONTENT_INTENT) {
    trace.outcome = 'invalid';
    return notice(t('watchNoIntent'));
  }
  const inThread = interaction.channel?.isThread() ?? false;
  const needs: Record<string, bigint> = {
    ...BOT_NEEDS,
    ...(inThread
      ? { 'Send Messages in Threads': PermissionFlagsBits.SendMessagesInThreads }
      : { 'Send Messages': PermissionFlagsBits.SendMessages }),
  };
  const have = new PermissionsBitField(interaction.appPermissions);
  const missing = Object.entries(needs)
    .filter(([, bit]) => !have.has(bit))
    .map(([name]) => `**${name}**`);
  if (missing.length > 0) {
    trace.outcome = 'invalid';
    return notice(t('watchBotPermissions', { missing: missing.join(', ') }));
  }
  const before = ctx.settings.watched(guildId, interaction.channelId);
  const w = ctx.settings.watch(guildId, interaction.channelId, interaction.user.id);
  if (before) return notice(t('watchAlready', { since: unixSeconds(w.since) }));
  return notice(
    t('watchOn', {
      threshold: Math.round(WATCH_CONTRADICT_CONFIDENCE * 100),
      replies: ctx.config.WATCH_REPLIES_PER_HOUR > 0 ? ctx.config.WATCH_REPLIES_PER_HOUR : '∞',
    }),
  );
}

function turnOff(interaction: ChatInputCommandInteraction, inv: Invocation): Reply {
  const removed = inv.ctx.settings.unwatch(interaction.guildId ?? '', interaction.channelId);
  return notice(inv.t(removed ? 'watchOff' : 'watchNotOn'));
}

function status(interaction: ChatInputCommandInteraction, inv: Invocation): Reply {
  const { ctx, t } = inv;
  const guildId = interaction.guildId ?? '';
  const channel = interaction.channel;
  const own = ctx.settings.watched(guildId, interaction.channelId);
  const parentId = channel?.isThread() ? channel.parentId : null;
  const parent = own === null && parentId !== null ? ctx.settings.watched(guildId, parentId) : null;
  const lines = [
    own
      ? t('watchStatusOn', { since: unixSeconds(own.since) })
      : parent
        ? t('watchStatusParent', { id: parent.channelId, since: unixSeconds(parent.since) })
        : t('watchStatusOff'),
  ];
  const all = ctx.settings.watchedChannels(guildId).filter((w) => /^\d{1,20}$/.test(w.channelId));
  if (all.length > 0) {
    const shown = all.slice(0, 40).map((w) => `<#${w.channelId}>`);
    if (all.length > shown.length) shown.push(t('claimMore', { n: all.length - shown.length }));
    lines.push(t('watchList', { channels: shown.join(', ') }));
  }
  return notice(lines.join('\n'));
}

function unixSeconds(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}
