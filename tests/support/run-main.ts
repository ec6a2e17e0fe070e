/**
 * Runs `src/main.ts` (or another entry point) as a child process, as an operator would, for the process-level
 * tests: start-up, signals, exit codes, output.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocalDiscord } from './discord-server.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'src', 'main.ts');
export const DEPLOY = join(ROOT, 'src', 'cli', 'deploy-commands.ts');
export const TSX = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;

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
