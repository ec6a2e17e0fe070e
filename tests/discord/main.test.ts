/**
 * `src/main.ts` as a child process: configuration errors, start-up against the local Discord server, an answer,
 * and a clean exit on SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDiscord } from '../../src/testing/local-discord/index.js';
import { DEPLOY, discordEnv, ROOT, runMain, waitForOutput } from '../../src/testing/run-main.js';
import type { Run } from '../../src/testing/run-main.js';

const TOKEN = `main.${'s3cret'.repeat(12)}`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-main-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('main', () => {
  it('given invalid configuration, names the variable and where to get it, and exits 1 without a stack trace', async () => {
    const run = runMain(dir, { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '12', LOG_LEVEL: 'loud' });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.out()).toContain('DISCORD_APPLICATION_ID: must be a Discord id');
    expect(run.out()).toContain('General Information → Application ID');
    expect(run.out()).toContain('LOG_LEVEL');
    expect(run.out()).not.toMatch(/^\s+at /m);
    expect(run.out()).not.toContain(TOKEN);
  });

  it('given no token, says which variables are missing and exits 1', async () => {
    const run = runMain(dir, { DISCORD_APPLICATION_ID: '123456789012345678' });
    expect((await run.exited).code).toBe(1);
    expect(run.out()).toContain('DISCORD_TOKEN is not set');
    expect(run.out()).not.toMatch(/^\s+at /m);
  });

  describe('against the local Discord server', () => {
    const discord = new LocalDiscord();
    let run: Run | undefined;
    afterAll(async () => {
      if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
      await discord.stop();
    });

    it('starts, prints the invite URL, answers, and exits 0 on SIGTERM', async () => {
      const { apiUrl } = await discord.start();
      const env = {
        ...discordEnv(discord, apiUrl, TOKEN),
        EMBEDDINGS: 'ngram',
        CORPUS_DIR: join(ROOT, 'corpus'),
        INDEX_DIR: join(dir, 'index'),
        DATA_DIR: dir,
      };
      const deploy = runMain(dir, env, DEPLOY);
      expect((await deploy.exited).code).toBe(0);
      expect(deploy.out()).toContain('Registered 10 commands in server');
      expect(discord.commands(discord.guildId).map((c) => c.name)).toContain('Find source');
      run = runMain(dir, env);
      await waitForOutput(run, /Invite Footnote to a server: (\S+)/);
      const url = new URL(/Invite Footnote to a server: (\S+)/.exec(run.out())![1]!);
      expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
      expect(url.searchParams.get('client_id')).toBe(discord.applicationId);
      expect(url.searchParams.get('scope')).toBe('bot applications.commands');
      // View Channels, Send Messages, Send Messages in Threads, Create Public Threads, Read Message History, Embed Links,
      // Add Reactions (the 📎 of watched channels).
      expect(BigInt(url.searchParams.get('permissions')!)).toBe(
        (1n << 10n) | (1n << 11n) | (1n << 38n) | (1n << 35n) | (1n << 16n) | (1n << 14n) | (1n << 6n),
      );
      expect(run.out()).toContain('"event":"ready"');

      const i = discord.slashCommand({ name: 'ask', options: { question: 'What about oil pipelines?' } });
      await discord.waitUntil(() => discord.interaction(i.id)?.original);
      expect(discord.interaction(i.id)?.original?.embeds[0]?.description).toMatch(/^> .*\n— /m);

      // SIGHUP reloads the index and swaps it in; the bot keeps answering.
      run.child.kill('SIGHUP');
      await waitForOutput(run, /"event":"reloaded"/);
      const after = discord.slashCommand({ name: 'ask', options: { question: 'What about trade?' } });
      await discord.waitUntil(() => discord.interaction(after.id)?.original);

      const stopAt = Date.now();
      run.child.kill('SIGTERM');
      const { code } = await run.exited;
      expect(code).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(10_000);
      expect(run.out()).toContain('"event":"stopped"');
      expect(run.out()).not.toContain(TOKEN);
    });
  });
});
