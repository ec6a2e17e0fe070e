import { REST, Routes } from 'discord.js';
import type { BotConfig } from '../config.js';
import { commandData } from './commands/index.js';

/** Where the commands went. */
export interface DeployResult {
  readonly scope: 'guild' | 'global';
  readonly count: number;
}

/**
 * Registers every command, replacing the application's previous set: in `DISCORD_GUILD_ID` when set (instant),
 * else globally (Discord may take a while to show them). Honours `DISCORD_API_URL`.
 */
export async function registerCommands(config: BotConfig): Promise<DeployResult> {
  const rest = new REST(config.DISCORD_API_URL !== undefined ? { api: config.DISCORD_API_URL } : {}).setToken(
    config.DISCORD_TOKEN,
  );
  const body = commandData();
  const guild = config.DISCORD_GUILD_ID;
  const route =
    guild !== undefined
      ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, guild)
      : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  await rest.put(route, { body });
  return { scope: guild !== undefined ? 'guild' : 'global', count: body.length };
}
