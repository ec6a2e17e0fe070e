import { loadConfig, requireBotConfig } from '../config.js';
import { registerCommands } from '../discord/deploy.js';
import { describeError } from '../discord/describe-error.js';
import { isFootnoteError } from '../errors.js';

/** `npm run deploy-commands`: registers the slash and context-menu commands with Discord. */
async function main(): Promise<number> {
  let config;
  try {
    config = requireBotConfig(loadConfig());
  } catch (err) {
    if (isFootnoteError(err, 'CONFIG_INVALID')) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  try {
    const { scope, count } = await registerCommands(config);
    console.log(
      scope === 'guild'
        ? `Registered ${count} commands in server ${config.DISCORD_GUILD_ID ?? ''}; they are usable now.`
        : `Registered ${count} global commands; Discord can take up to an hour to show them everywhere.`,
    );
    return 0;
  } catch (err) {
    const info = describeError(err, [config.DISCORD_TOKEN]);
    console.error(`Could not register the commands: ${String(info.message)}`);
    if (info.status === 401) console.error('Discord refused the token: check DISCORD_TOKEN.');
    if (info.status === 403 || info.status === 404) {
      console.error(
        'Check DISCORD_APPLICATION_ID, and that the bot was invited to DISCORD_GUILD_ID with applications.commands.',
      );
    }
    return 1;
  }
}

process.exitCode = await main();
