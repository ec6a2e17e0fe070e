/**
 * Runs `src/main.ts` (or another entry point) as a child process, as an operator would, for the process-level
 * tests (start-up, signals, exit codes, output) and the Discord section of `npm run bench`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocalDiscord } from './local-discord/index.js';

/** The project folder (this file is in src/testing, or dist/testing once built). */
export const ROOT = join(import.meta.dirname, '..', '..');
/** The bot's entry point in the project's sources (run through tsx). */
export const MAIN = join(ROOT, 'src', 'main.ts');
/** The command registration's entry point (`npm run deploy-commands`). */
export const DEPLOY = join(ROOT, 'src', 'cli', 'deploy-commands.ts');
/** tsx's loader, for `node --import` (file URL). */
export const TSX = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;

/** A child process started by {@link runMain}: its output so far (stdout and stderr) and its end. */
export interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs main.ts (or another entry point) in an empty folder (no .env to pick up) with only the given environment. */
export function runMain(cwd: string, env: Record<string, string>, entry = MAIN): Run {
  const child = spawn(process.execPath, ['--import', TSX, entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  // 'close', not 'exit': 'exit' can come before the last stdout/stderr chunks are read (a loaded machine, a
  // process that prints one line and exits at once), and a test then saw an empty stderr. 'close' follows the
  // end of both streams.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, exited };
}

/** Waits until the output of `run` matches `pattern`; throws with the output when it exits or times out first. */
export async function waitForOutput(run: Run, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.out())) {
    if (Date.now() > deadline || run.child.exitCode !== null || run.child.signalCode !== null) {
      throw new Error(`did not see ${String(pattern)}; output:\n${run.out()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The Discord variables that point the bot at a started local Discord server. */
export function discordEnv(discord: LocalDiscord, apiUrl: string, token: string): Record<string, string> {
  return {
    DISCORD_TOKEN: token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
    DISCORD_API_URL: apiUrl,
  };
}
