/**
 * Faults from Discord's side, with the real bot against the local server: the gateway closing (4000) or the TCP
 * connection dropping in the middle of a burst, 429s on the acknowledgement and on the edit, 500s on an edit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/answer/types.js';
import {
  embed,
  openTestEngine,
  sentPayloads,
  settled,
  shown,
  startWorld,
  stopWorld,
  TOKEN,
} from './world.js';
import type { World } from './world.js';

const QUESTION = 'Which transport hubs connect Kazakhstan and China?';

let engine: Engine;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ engine, cleanup } = await openTestEngine());
});
afterAll(async () => {
  await cleanup();
});

/** Dispatches `n` /ask interactions from distinct users. */
function burst(w: World, n: number, tag: string) {
  return Array.from({ length: n }, (_, k) =>
    w.discord.slashCommand({
      name: 'ask',
      options: { question: QUESTION },
      user: w.discord.createUser({ username: `${tag}${k}` }),
    }),
  );
}

/** Asserts every interaction got its answer with the source excerpt. */
async function expectAllAnswered(w: World, ids: readonly string[]): Promise<void> {
  const records = await Promise.all(ids.map((id) => settled(w.discord, id, 20_000)));
  for (const r of records) expect(embed(shown(r)).description).toContain('**Source excerpt**');
}

describe.each([
  ['the gateway closes with 4000', (w: World) => w.discord.closeGateway(4000)],
  ['the TCP connection drops', (w: World) => w.discord.dropConnection()],
])('when %s in the middle of a burst', (_name, fault) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(engine, { ANSWER_BUDGET_MS: '1500' });
  });
  afterAll(async () => {
    await stopWorld(w);
  });

  it('the bot resumes and answers every interaction dispatched before and after', async () => {
    const resumes = w.discord.gatewayState.resumeCount;
    const before = burst(w, 20, 'before');
    await w.discord.waitUntil(
      () => (w.discord.calls.filter((c) => c.route === 'interactionCallback').length >= 5 ? true : undefined),
      10_000,
      'the first answers',
    );
    expect(fault(w)).toBe(true);
    const after = burst(w, 20, 'after');
    await expectAllAnswered(
      w,
      [...before, ...after].map((i) => i.id),
    );
    expect(w.discord.gatewayState.resumeCount).toBeGreaterThan(resumes);
    expect(w.logs.join('')).toContain('gateway resumed');
  });
});

describe('REST faults', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(engine, { ANSWER_BUDGET_MS: '1500' });
  });
  afterAll(async () => {
    await stopWorld(w);
  });

  it('given a 429 with Retry-After on the acknowledgement, the reply still arrives', async () => {
    w.discord.failNext({ route: 'interactionCallback', status: 429, retryAfterSeconds: 0.3 });
    const i = w.discord.slashCommand({ name: 'ask', options: { question: QUESTION } });
    const r = await settled(w.discord, i.id);
    const callbacks = w.discord.callsFor(i.id).filter((c) => c.route === 'interactionCallback');
    expect(callbacks.map((c) => c.status)).toEqual([429, 204]);
    expect(callbacks[1]!.at - callbacks[0]!.at).toBeGreaterThanOrEqual(250);
    expect(embed(shown(r)).description).toContain('**Source excerpt**');
  });

  it('given a 429 with Retry-After on the edit, or a 500, the edit is retried and the answer arrives; when it keeps failing, one error line is logged and later questions still work', async () => {
    // A budget of 0 ms: every answer is deferred, then edited in.
    const world = await startWorld(engine, { ANSWER_BUDGET_MS: '0' });
    try {
      world.discord.failNext({ route: 'editOriginal', status: 429, retryAfterSeconds: 0.3 });
      const limited = world.discord.slashCommand({ name: 'ask', options: { question: QUESTION } });
      const answered = await settled(world.discord, limited.id);
      const limitedEdits = world.discord.callsFor(limited.id).filter((c) => c.route === 'editOriginal');
      expect(limitedEdits.map((c) => c.status)).toEqual([429, 200]);
      expect(embed(shown(answered)).description).toContain('**Source excerpt**');

      world.discord.failNext({ route: 'editOriginal', status: 500, times: 1 });
      const once = world.discord.slashCommand({ name: 'ask', options: { question: QUESTION } });
      const r = await settled(world.discord, once.id);
      const edits = world.discord.callsFor(once.id).filter((c) => c.route === 'editOriginal');
      expect(edits.map((c) => c.status)).toEqual([500, 200]);
      expect(embed(shown(r)).description).toContain('**Source excerpt**');

      world.discord.failNext({ route: 'editOriginal', status: 500, times: 10 });
      const broken = world.discord.slashCommand({ name: 'ask', options: { question: QUESTION } });
      await world.discord.waitUntil(
        () => (world.logs.some((l) => l.includes(broken.id) && l.includes('"level":50')) ? true : undefined),
        20_000,
        'an error log line for the failed edit',
      );
      const failed = world.discord.callsFor(broken.id).filter((c) => c.route === 'editOriginal');
      expect(failed.length).toBeGreaterThan(1);
      expect(failed.every((c) => c.status === 500)).toBe(true);
      world.discord.clearFaults();

      const next = world.discord.slashCommand({ name: 'ask', options: { question: QUESTION } });
      expect(embed(shown(await settled(world.discord, next.id))).description).toContain('**Source excerpt**');
      expect(world.logs.join('')).not.toContain(TOKEN);
    } finally {
      await stopWorld(world);
    }
  });

  it('pings no one in any payload sent through all of the above', () => {
    for (const { raw } of sentPayloads(w.discord)) expect(raw['allowed_mentions']).toEqual({ parse: [] });
  });
});
