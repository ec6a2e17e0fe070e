import { OAuth2Scopes, PermissionFlagsBits } from 'discord.js';

/**
 * The permissions Footnote needs and nothing more: see channels and their history (to follow reply chains, and for
 * `/check` and the replies of watched channels), send messages with embeds, open and post in public threads
 * ("Discuss in thread"), and add reactions (the 📎 of watched channels).
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AddReactions;

/** The URL that adds the bot to a server, with the `bot` and `applications.commands` scopes. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '),
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
