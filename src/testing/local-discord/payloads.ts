/**
 * Pure builders for Discord API payloads used by the local Discord server in `server.ts`.
 *
 * Everything here returns plain JSON-compatible objects shaped like what discord.com sends, typed with
 * `discord-api-types/v10` where the type is practical to satisfy.
 */
import { randomBytes } from 'node:crypto';
import {
  ChannelType,
  MessageType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
  type APIAttachment,
  type APIChannel,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
} from 'discord-api-types/v10';

/** Discord's epoch (2015-01-01T00:00:00Z) in milliseconds, as a bigint for snowflake arithmetic. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Generates unique, strictly increasing snowflakes whose embedded timestamp is the current time,
 * so `createdTimestamp` computed by discord.js is realistic.
 */
export class SnowflakeFactory {
  #lastMs = 0n;
  #increment = 0n;

  /** Returns the next snowflake as a decimal string. */
  next(): string {
    let ms = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ms <= this.#lastMs) {
      ms = this.#lastMs;
      this.#increment += 1n;
      if (this.#increment > 0xfffn) {
        ms += 1n;
        this.#increment = 0n;
      }
    } else {
      this.#increment = 0n;
    }
    this.#lastMs = ms;
    return ((ms << 22n) | (1n << 17n) | this.#increment).toString();
  }
}

/** The creation time of a snowflake as an ISO-8601 string. */
export function snowflakeIso(id: string): string {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString();
}

/** Zero for any of Discord's flag enums (which have no 0 member). */
export function noFlags<T extends number>(): T {
  return 0 as T;
}

/** A random, URL-safe token like the ones Discord gives interactions. */
export function randomToken(prefix = 'tok'): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/** Turns a set of permission flags into Discord's decimal-string representation. */
export function permissionString(...flags: bigint[]): string {
  return flags.reduce((acc, flag) => acc | flag, 0n).toString();
}

/** Permissions given to the @everyone role of the default guild: what a normal member can do in text channels. */
export const DEFAULT_EVERYONE_PERMISSIONS = permissionString(
  PermissionFlagsBits.CreateInstantInvite,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.UseExternalEmojis,
  PermissionFlagsBits.UseApplicationCommands,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.CreatePrivateThreads,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.ChangeNickname,
);

/** Permissions of the bot's managed role in the default guild (on top of @everyone). */
export const DEFAULT_BOT_PERMISSIONS = permissionString(
  BigInt(DEFAULT_EVERYONE_PERMISSIONS),
  PermissionFlagsBits.ManageMessages,
  PermissionFlagsBits.ManageThreads,
);

/** Options for {@link buildUser}. */
export interface UserSpec {
  /** Login name (lower case, no spaces, as Discord's new usernames). */
  username: string;
  /** Display name; defaults to the username. */
  globalName?: string | null;
  /** Whether the account is a bot. */
  bot?: boolean;
}

/** Builds a user object with the new-username shape (`discriminator: '0'`). */
export function buildUser(id: string, spec: UserSpec): APIUser {
  const user: APIUser = {
    id,
    username: spec.username,
    discriminator: '0',
    global_name: spec.globalName === undefined ? spec.username : spec.globalName,
    avatar: null,
    public_flags: noFlags(),
    flags: noFlags(),
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
  if (spec.bot) user.bot = true;
  return user;
}

/** Builds a role object. */
export function buildRole(spec: {
  id: string;
  name: string;
  permissions: string;
  position: number;
  managed?: boolean;
  botId?: string;
}): APIRole {
  const role: APIRole = {
    id: spec.id,
    name: spec.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: spec.position,
    permissions: spec.permissions,
    managed: spec.managed ?? false,
    mentionable: false,
    flags: noFlags(),
  };
  if (spec.botId !== undefined) role.tags = { bot_id: spec.botId };
  return role;
}

/** Builds a guild member object (with its `user`), as found in GUILD_CREATE and REST answers. */
export function buildMember(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: noFlags(),
    pending: false,
    communication_disabled_until: null,
  };
}

/** Builds a guild text channel. */
export function buildTextChannel(spec: {
  id: string;
  guildId: string;
  name: string;
  position: number;
}): APITextChannel {
  return {
    id: spec.id,
    type: ChannelType.GuildText,
    guild_id: spec.guildId,
    name: spec.name,
    position: spec.position,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
    flags: noFlags(),
  };
}

/** Builds a DM channel between the bot and `recipient`. */
export function buildDmChannel(id: string, recipient: APIUser): APIChannel {
  return {
    id,
    type: ChannelType.DM,
    name: null,
    last_message_id: null,
    recipients: [recipient],
    flags: noFlags(),
  };
}

/** Builds a thread channel object as returned by the start-thread endpoints and THREAD_CREATE. */
export function buildThreadChannel(spec: {
  id: string;
  guildId: string;
  parentId: string;
  ownerId: string;
  name: string;
  type: ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread;
  autoArchiveDuration: ThreadAutoArchiveDuration;
  createdAt: string;
  invitable?: boolean;
}): APIThreadChannel {
  const thread: APIThreadChannel = {
    id: spec.id,
    type: spec.type,
    guild_id: spec.guildId,
    parent_id: spec.parentId,
    owner_id: spec.ownerId,
    name: spec.name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: noFlags(),
    applied_tags: [],
    thread_metadata: {
      archived: false,
      auto_archive_duration: spec.autoArchiveDuration,
      archive_timestamp: spec.createdAt,
      locked: false,
      create_timestamp: spec.createdAt,
    },
    member: { id: spec.id, user_id: spec.ownerId, join_timestamp: spec.createdAt, flags: noFlags() },
  };
  if (spec.invitable !== undefined && thread.thread_metadata)
    thread.thread_metadata.invitable = spec.invitable;
  return thread;
}

/** Builds a bare message; callers fill in mentions, references and interaction metadata. */
export function buildMessage(spec: {
  id: string;
  channelId: string;
  author: APIUser;
  content?: string;
  type?: MessageType;
}): APIMessage {
  return {
    id: spec.id,
    channel_id: spec.channelId,
    author: spec.author,
    content: spec.content ?? '',
    timestamp: snowflakeIso(spec.id),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: spec.type ?? MessageType.Default,
    flags: noFlags(),
  };
}

/** A file received in a multipart request. */
export interface UploadedFile {
  /** The multipart field name, e.g. `files[0]`. */
  field: string;
  /** The file name given by the client. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** MIME type given by the client, if any. */
  contentType: string;
  /** The file content (UTF-8 decoded is usually what a test wants: `data.toString()`). */
  data: Buffer;
}

/** Builds the attachment objects Discord stores for uploaded files. */
export function buildAttachments(
  ids: SnowflakeFactory,
  channelId: string,
  files: readonly UploadedFile[],
  declared: unknown,
): APIAttachment[] {
  const declaredList = Array.isArray(declared) ? (declared as unknown[]) : [];
  return files.map((file, index) => {
    const id = ids.next();
    const meta = declaredList.find(
      (entry): entry is { id: unknown; description?: unknown } =>
        typeof entry === 'object' && entry !== null && 'id' in entry && String(entry.id) === String(index),
    );
    const attachment: APIAttachment = {
      id,
      filename: file.name,
      size: file.size,
      url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`,
      proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`,
      content_type: file.contentType,
    };
    if (typeof meta?.description === 'string') attachment.description = meta.description;
    return attachment;
  });
}

/** Finds the user ids mentioned as `<@id>` or `<@!id>` in message content. */
export function mentionedUserIds(content: string): string[] {
  return [...new Set([...content.matchAll(/<@!?(\d{1,20})>/g)].map((match) => match[1] ?? ''))].filter(
    Boolean,
  );
}

/** Finds the role ids mentioned as `<@&id>` in message content. */
export function mentionedRoleIds(content: string): string[] {
  return [...new Set([...content.matchAll(/<@&(\d{1,20})>/g)].map((match) => match[1] ?? ''))].filter(
    Boolean,
  );
}

/** Whether content contains an @everyone or @here mention. */
export function mentionsEveryone(content: string): boolean {
  return /@(everyone|here)\b/.test(content);
}

/** Deep-copies a JSON value, so stored state never aliases what was handed to a client. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
