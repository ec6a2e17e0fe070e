/**
 * Faults from Discord's side, with the real bot (discord.js client, engine over the bundled corpus) against the
 * local Discord server: the gateway closing (4000) or the TCP connection dropping in the middle of a burst, 429s
 * with Retry-After on the acknowledgement and on the edit, 500s on an edit (retried, then one log line), and the
 * security checks over everything these runs captured: no bot loop, no ping, no token.
 */
import { InteractionResponseType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/answer/types.js';
import type { InteractionRecord, LocalDiscord } from '../../src/testing/local-discord/index.js';
import {
  embed,
  openTestEngine,
  repliesTo,
  responseMessage,
  sentPayloads,
  settled,
  shown,
  startWorld,
  stopWorld,
  TOKEN,
  waitReplyTo,
} from './world.js';
import type { World } from './world.js';

const QUESTION = 'Which transport hubs connect Kazakhstan and China?';
/** An answer card: the quoted answer, then its source line. */
const SOURCE = /^> .*\n— /m;

let engine: Engine;
let cleanup: () => Promise<void>;
/** Every world this file started, for the security checks at the end. */
const worlds: World[] = [];

beforeAll(async () => {
  ({ engine, cleanup } = await openTestEngine());
});
afterAll(async () => {
  for (const w of worlds) await stopWorld(w);
  await cleanup();
});

async function world(env: Record<string, string> = {}): Promise<World> {
  const w = await startWorld(engine, env);
  worlds.push(w);
  return w;
}

/** Dispatches `n` /ask interactions from distinct users. */
function burst(d: LocalDiscord, n: number, tag: string): string[] {
  return Array.from(
    { length: n },
    (_, k) =>
      d.slashCommand({
        name: 'ask',
        options: { question: QUESTION },
        user: d.createUser({ username: `${tag}${k}` }),
      }).id,
  );
}

function callbacks(d: LocalDiscord): number {
  return d.calls.filter((c) => c.route === 'interactionCallback').length;
}

/** Waits for every interaction's final answer and checks it shows the source excerpt, answered exactly once. */
async function expectAllAnswered(d: LocalDiscord, ids: readonly string[]): Promise<void> {
  const records = await Promise.all(ids.map((id) => settled(d, id, 20_000)));
  for (const r of records) {
    expect(embed(shown(r)).description).toMatch(SOURCE);
    // One accepted acknowledgement each: a replayed event after RESUME is not answered twice.
    const accepted = d.callsFor(r.id).filter((c) => c.route === 'interactionCallback' && c.status < 300);
    expect(accepted).toHaveLength(1);
  }
}

/** The structured log lines (pino JSON) of a world. */
function logLines(w: World): Record<string, unknown>[] {
  return w.logs
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function lastAnswer(d: LocalDiscord, id: string): Promise<InteractionRecord> {
  return settled(d, id, 10_000);
}

describe.each([
  ['the gateway closes with 4000', (d: LocalDiscord) => d.closeGateway(4000)],
  ['the TCP connection drops', (d: LocalDiscord) => d.dropConnection()],
])('when %s in the middle of a burst of 40 /ask', (_name, fault) => {
  it('the bot resumes and answers every interaction dispatched before and after, each once', async () => {
    const w = await world();
    const d = w.discord;
    const resumes = d.gatewayState.resumeCount;
    const before = burst(d, 40, 'before');
    await d.waitUntil(() => (callbacks(d) >= 10 ? true : undefined), 10_000, '10 acknowledgements');
    expect(fault(d)).toBe(true);
    expect(callbacks(d)).toBeLessThan(40); // truly in the middle of the burst
    // Dispatched while the bot is disconnected: queued by the server, replayed after RESUME.
    const after = burst(d, 40, 'after');
    await expectAllAnswered(d, [...before, ...after]);
    expect(d.gatewayState.resumeCount).toBe(resumes + 1);
    expect(logLines(w).map((l) => l.event)).toContain('gateway-resume');
  });
});

describe('429 and 500 from Discord', () => {
  it('given a 429 with Retry-After on the acknowledgement, waits that long and the reply still arrives', async () => {
    const w = await world({ ANSWER_BUDGET_MS: '1500' });
    const d = w.discord;
    d.failNext({ route: 'interactionCallback', status: 429, retryAfterSeconds: 0.4 });
    const id = d.slashCommand({ name: 'ask', options: { question: QUESTION } }).id;
    const r = await lastAnswer(d, id);
    expect(r.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(embed(shown(r)).description).toMatch(SOURCE);
    const acks = d.callsFor(id).filter((c) => c.route === 'interactionCallback');
    expect(acks.map((c) => c.status)).toEqual([429, 204]);
    expect(acks[1]!.at - acks[0]!.at).toBeGreaterThanOrEqual(350);
  });

  it('given a 429 with Retry-After on the edit of a deferred answer, the answer still arrives', async () => {
    // A budget of 0 ms: every answer is deferred at once, then edited in.
    const w = await world({ ANSWER_BUDGET_MS: '0' });
    const d = w.discord;
    d.failNext({ route: 'editOriginal', status: 429, retryAfterSeconds: 0.4 });
    const id = d.slashCommand({ name: 'ask', options: { question: QUESTION } }).id;
    const r = await lastAnswer(d, id);
    expect(r.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(embed(shown(r)).description).toMatch(SOURCE);
    const edits = d.callsFor(id).filter((c) => c.route === 'editOriginal');
    expect(edits.map((c) => c.status)).toEqual([429, 200]);
    expect(edits[1]!.at - edits[0]!.at).toBeGreaterThanOrEqual(350);
  });

  it('given a 500 on the edit, retries it and the answer arrives; when every retry fails, logs one structured line, crashes nothing, and later questions work', async () => {
    const w = await world({ ANSWER_BUDGET_MS: '0' });
    const d = w.discord;

    d.failNext({ route: 'editOriginal', status: 500, times: 2 });
    const flaky = d.slashCommand({ name: 'ask', options: { question: QUESTION } }).id;
    expect(embed(shown(await lastAnswer(d, flaky))).description).toMatch(SOURCE);
    const flakyEdits = d.callsFor(flaky).filter((c) => c.route === 'editOriginal');
    expect(flakyEdits.map((c) => c.status)).toEqual([500, 500, 200]);

    // More failures than discord.js retries (3 retries: 4 attempts), for the answer and for the error notice.
    d.failNext({ route: 'editOriginal', status: 500, times: 50 });
    const broken = d.slashCommand({ name: 'ask', options: { question: QUESTION } }).id;
    const line = await d.waitUntil(
      () => logLines(w).find((l) => l.id === broken),
      20_000,
      'the log line of the failed interaction',
    );
    const edits = d.callsFor(broken).filter((c) => c.route === 'editOriginal');
    expect(edits.length).toBeGreaterThanOrEqual(4);
    expect(edits.every((c) => c.status === 500)).toBe(true);
    d.clearFaults();
    expect(line).toMatchObject({ level: 50, event: 'interaction', command: 'ask', outcome: 'error' });
    expect(line.error).toMatchObject({ status: 500 });
    // One line for the failed interaction: nothing else mentions it at warn or error level.
    await new Promise((r) => setTimeout(r, 100));
    const about = logLines(w).filter((l) => JSON.stringify(l).includes(broken) && Number(l.level) >= 40);
    expect(about).toHaveLength(1);

    // The bot is still up and answering.
    const next = burst(d, 5, 'later');
    await expectAllAnswered(d, next);
    expect(w.bot.client.isReady()).toBe(true);
  });
});

describe('security over every run above', () => {
  it('does not answer another bot that mentions it, nor its own echoed messages: two bots cannot loop', async () => {
    const w = await world();
    const d = w.discord;
    const other = d.createUser({ username: 'chattybot', bot: true });
    // A person asks; Footnote answers; the other bot answers Footnote's answer with a mention, as a looping bot would.
    const asked = d.message({ content: `${d.botMention} ${QUESTION}` });
    const answer = responseMessage(await waitReplyTo(d, asked.id));
    const baits = [
      d.message({ content: `${d.botMention} ${QUESTION}`, author: other }),
      d.message({ content: `${d.botMention} and more?`, author: other, referencedMessage: answer.id }),
      d.message({ content: `<@${other.id}> ${d.botMention} ping pong`, author: other }),
    ];
    // A person's question after the baits: once it is answered, the baits have been handled too.
    const sentinel = d.message({ content: `${d.botMention} ${QUESTION}` });
    const sentinelAnswer = responseMessage(await waitReplyTo(d, sentinel.id));
    await new Promise((r) => setTimeout(r, 200));
    for (const m of baits) expect(repliesTo(d, m.id)).toEqual([]);
    // Footnote's own answers came back through the gateway and were not answered.
    expect(repliesTo(d, answer.id)).toEqual([]);
    expect(repliesTo(d, sentinelAnswer.id)).toEqual([]);
    expect(d.calls.filter((c) => c.route === 'createMessage')).toHaveLength(2);
  });

  it('pinged no one: every payload sent in this file carries allowed_mentions parse []', () => {
    let count = 0;
    for (const w of worlds) {
      for (const { call, raw } of sentPayloads(w.discord)) {
        expect(raw['allowed_mentions'], `${call.route} ${call.path}`).toEqual({ parse: [] });
        count++;
      }
    }
    expect(count).toBeGreaterThan(150);
  });

  it('never put the token in a log line, a reply or any request body', () => {
    for (const w of worlds) {
      expect(w.logs.join('')).not.toContain(TOKEN);
      for (const call of w.discord.calls) {
        expect(JSON.stringify(call.body ?? null)).not.toContain(TOKEN);
        expect(JSON.stringify(call.response ?? null)).not.toContain(TOKEN);
        expect(call.path).not.toContain(TOKEN);
      }
    }
  });
});
