/**
 * End to end, issue 9 in Discord: Find source as a claim check, `/check` over a discussion and watched channels,
 * with the real discord.js client, the real engine (n-gram embeddings over the bundled corpus) and the local
 * Discord server. Assertions are on the REST calls the bot makes.
 */
import { PermissionFlagsBits } from 'discord.js';
import type { APIEmbed, APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/answer/types.js';
import { openStore } from '../../src/store/open-store.js';
import { expectWithinLimits } from './limits.js';
import {
  EPHEMERAL,
  embed,
  isEphemeral,
  openTestEngine,
  repliesTo,
  responseMessage,
  sentPayloads,
  settled,
  shown,
  startWorld,
  stopWorld,
  waitReplyTo,
} from './world.js';
import type { World } from './world.js';

type Discord = World['discord'];
type Call = Discord['calls'][number];

/** Claims on the bundled corpus whose verdicts the engine gives with high confidence (claims-dev c08, c11, c24, c27). */
const SUPPORTED = 'Transit rail traffic through Kazakhstan went up 17% in 2020.';
const CONTRADICTED =
  'At the Business Council Tokayev said China has invested 50 billion dollars in Kazakhstan since diplomatic relations were established.';
const CONTRADICTED_2 =
  'The joint declaration on a new stage of comprehensive strategic partnership was signed in Beijing in August 2017.';
const UNCOVERED = 'Something like 15,000 Kazakh students are studying at Chinese universities right now.';
const CHIT_CHAT = 'hi all! what do you think?';

/** The other claims of claims-dev on the bundled corpus, to fill long messages. */
const FILLER = [
  'In the first 7 months of 2019 Kazakhstan-China trade topped $8 billion, the best figure in five years.',
  'Manufacturing is only about 25% of all Chinese investment in Kazakhstan.',
  "Hu Jintao's June 2003 visit ended with a $1 billion Chinese loan to Kazakhstan.",
  'Kazakhstan and China set up diplomatic relations on 3 January 1992, pretty much right after independence.',
  'fwiw Chinese investment in Kazakhstan came to about $13.8B in 2023',
  "CNPC picked up ConocoPhillips' 16.8% of Kashagan back in 2013.",
  "2023-2024 was already Kazakhstan's fourth time chairing the SCO.",
  'The Khorgos dry port handles something like 4 million tons of cargo a year.',
  "China's share of Kazakhstan's energy exports dropped from 14% to 6%.",
  'Honestly I am not sure about any of this.',
  'What do the others think?',
];

const MANAGE_CHANNELS = (
  BigInt(PermissionFlagsBits.ManageChannels) |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory
).toString();

let realEngine: Engine;
let cleanupEngine: () => Promise<void>;

beforeAll(async () => {
  ({ engine: realEngine, cleanup: cleanupEngine } = await openTestEngine());
});

afterAll(async () => {
  await cleanupEngine();
});

const description = (m: APIMessage): string => embed(m).description ?? '';

/** Every message the bot created: none may ping anyone, whatever its allowed_mentions. */
function expectNoPings(d: Discord): void {
  for (const { call, payload, raw } of sentPayloads(d)) {
    expect(call.status, `${call.route} ${JSON.stringify(call.response)}`).toBeLessThan(300);
    expect((raw.allowed_mentions as { parse?: unknown } | undefined)?.parse).toEqual([]);
    expectWithinLimits({ ...payload, allowedMentions: { parse: [] } });
    if (call.route === 'createMessage') {
      const m = responseMessage(call);
      expect(m.mentions).toEqual([]);
      expect(m.mention_roles).toEqual([]);
      expect(m.mention_everyone).toBe(false);
    }
  }
}

describe('Find source checks the claims of a message', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(realEngine);
  });
  afterAll(async () => {
    await stopWorld(w);
  });

  async function findSource(content: string): Promise<APIMessage> {
    const d = w.discord;
    const target = d.message({ content });
    const r = await settled(d, d.messageContextMenu({ name: 'Find source', targetMessage: target.id }).id);
    expect(isEphemeral(r)).toBe(true);
    const m = shown(r);
    expect(description(m)).toMatch(
      new RegExp(
        `^Checking \\[this message\\]\\(https://discord\\.com/channels/${d.guildId}/${d.channelId}/${target.id}\\) by `,
      ),
    );
    return m;
  }

  it('registers /check for everyone and /watch for Manage Channels only, in servers', () => {
    const commands = w.discord.commands(w.discord.guildId);
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(['check', 'watch', 'Find source']));
    const watch = commands.find((c) => c.name === 'watch');
    expect(watch?.default_member_permissions).toBe(PermissionFlagsBits.ManageChannels.toString());
    expect(watch?.contexts).toEqual([0]);
    expect(watch?.options?.map((o) => o.name)).toEqual(['on', 'off', 'status']);
    expect(commands.find((c) => c.name === 'check')?.default_member_permissions ?? null).toBeNull();
  });

  it('given a supported claim, replies privately "Supported by the documents" with the quote and citation', async () => {
    const d = description(await findSource(SUPPORTED));
    expect(d).toMatch(/^✅ \*\*Supported by the documents\*\*(?: \(low confidence\))?\n> .*17%.*\n— \*\*/m);
  });

  it('given a contradicted claim, gives the documents’ figure against the claimed one', async () => {
    const d = description(await findSource(CONTRADICTED));
    expect(d).toMatch(/^❌ The documents say \*\*20 billion dollars\*\*, not 50 billion dollars/m);
    expect(d).toMatch(/^> .*\*\*20 billion dollars\*\*.*\n— \*\*/m);
  });

  it('given an uncovered claim, says "Not found in the documents" and labels the closest passage', async () => {
    const d = description(await findSource(UNCOVERED));
    expect(d).toContain('➖ **Not found in the documents**');
    expect(d).toContain('Closest passage (does not settle it)');
  });

  it('given several claims and chit-chat, one line per claim and the skipped sentences counted', async () => {
    const m = await findSource(`${CHIT_CHAT} ${SUPPORTED} ${CONTRADICTED}`);
    const heads = description(m)
      .split('\n')
      .filter((l) => /^(✅|❌|➖) “/.test(l));
    expect(heads).toHaveLength(2);
    expect(heads[0]).toMatch(/^✅ “Transit rail/);
    expect(heads[1]).toMatch(/^❌ “At the Business Council.*The documents say \*\*20 billion dollars\*\*/);
    expect(embed(m).footer?.text).toMatch(/^Not checked: \d \(questions, greetings, opinions\)$/);
  });

  it('pings no one and stays within the limits', () => {
    expectNoPings(w.discord);
  });
});

describe('/check over a discussion', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(realEngine);
  });
  afterAll(async () => {
    await stopWorld(w);
  });

  /**
   * A message of about 1,900 characters: a claim first, then the other claims in turn, each ending with a tag of
   * letters unique to the message and sentence (so that no two sentences of the discussion are the same).
   */
  function longMessage(n: number): string {
    const first = [CONTRADICTED, SUPPORTED, UNCOVERED, CONTRADICTED_2][n % 4] ?? SUPPORTED;
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const parts = [first];
    for (let i = n; parts.join(' ').length < 1800; i++) {
      const tag = `${letters[n % 26]}${letters[Math.floor(n / 26)]}${letters[i % 26]}`;
      const sentence = FILLER[i % FILLER.length] ?? '';
      parts.push(sentence.replace(/([.?!]?)$/, (end) => ` (${tag})${end || '.'}`));
    }
    return parts.join(' ').slice(0, 1950);
  }

  it('over 50 long messages: deferred within 3 s, then one compact list within every limit, private', async () => {
    const d = w.discord;
    const channel = d.createTextChannel('debate');
    const bots = d.createUser({ username: 'otherbot', bot: true });
    const messages = Array.from({ length: 50 }, (_, n) =>
      d.message({
        content: longMessage(n),
        channelId: channel.id,
        author: n === 7 ? bots : d.createUser({ username: `member${n % 5}` }),
      }),
    );
    const i = d.slashCommand({ name: 'check', options: { messages: 50 }, channelId: channel.id });
    const r = await settled(d, i.id, 60_000);
    expect(r.callbackType).toBe(5);
    expect(r.callbackAt! - r.dispatchedAt).toBeLessThan(3000);
    expect(isEphemeral(r)).toBe(true);
    const history = d.calls.find((c) => c.route === 'getMessages' && c.params.channelId === channel.id);
    expect(history?.query.limit).toBe('50');

    const m = shown(r);
    const text = description(m);
    expect(embed(m).title).toBe('Check: the last 50 messages');
    expect(text.split('\n')[0]).toMatch(
      /^\*\*\d+\*\* contradicted · \*\*\d+\*\* supported · \*\*\d+\*\* not found$/,
    );
    // Contradictions first, each with a link to its message and the documents' figure.
    const first = text.split('\n')[2] ?? '';
    expect(first).toMatch(/^❌ “.+” · \[message\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)$/);
    const linked = [
      ...text.matchAll(/\[message\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/(\d+)\)/g),
    ].map((x) => x[1]);
    const ids = new Set(messages.map((x) => x.id));
    for (const id of linked) expect(ids.has(id ?? '')).toBe(true);
    // The bot's message is never checked.
    expect(linked).not.toContain(messages[7]?.id);
    expect(text).toMatch(/^↳ The documents say \*\*20 billion dollars\*\*, not 50 billion dollars — /m);
    expect(embed(m).footer?.text).toMatch(/more sentences not checked \(at most 150 per \/check\)/);
    expectNoPings(d);
  });

  it('with public, posts the list for everyone; the default reads 20 messages', async () => {
    const d = w.discord;
    d.message({ content: CONTRADICTED });
    const r = await settled(d, d.slashCommand({ name: 'check', options: { public: true } }).id, 30_000);
    expect(isEphemeral(r)).toBe(false);
    expect(((r.callbackData as { flags?: number }).flags ?? 0) & EPHEMERAL).toBe(0);
    expect(description(shown(r))).toContain('The documents say **20 billion dollars**');
    const history = d.calls.filter((c) => c.route === 'getMessages' && c.params.channelId === d.channelId);
    expect(history.at(-1)?.query.limit).toBe('20');
  });

  it('without Read Message History, says so privately and reads nothing', async () => {
    const d = w.discord;
    const before = d.calls.filter((c) => c.route === 'getMessages').length;
    const withoutHistory = (
      (BigInt(PermissionFlagsBits.ViewChannel) | PermissionFlagsBits.SendMessages) &
      ~PermissionFlagsBits.ReadMessageHistory
    ).toString();
    const r = await settled(d, d.slashCommand({ name: 'check', appPermissions: withoutHistory }).id);
    expect(isEphemeral(r)).toBe(true);
    expect(shown(r).content).toContain('**Read Message History**');
    expect(d.calls.filter((c) => c.route === 'getMessages')).toHaveLength(before);
  });
});

describe('watched channels', () => {
  let w: World;
  let channelId: string;
  beforeAll(async () => {
    w = await startWorld(realEngine, { WATCH_REPLIES_PER_HOUR: '2' });
    channelId = w.discord.createTextChannel('watched').id;
  });
  afterAll(async () => {
    await stopWorld(w);
  });

  const watchCommand = (subcommand: string, memberPermissions?: string) =>
    settled(
      w.discord,
      w.discord.slashCommand({
        name: 'watch',
        subcommand,
        channelId,
        ...(memberPermissions !== undefined ? { memberPermissions } : {}),
      }).id,
    );
  const reactionsTo = (messageId: string): Call[] =>
    w.discord.calls.filter((c) => c.route === 'addReaction' && c.params.messageId === messageId);
  const say = (content: string, author = w.discord.user) => w.discord.message({ content, channelId, author });
  /** Waits for the 📎 on a supported claim sent last: messages before it have been handled by then. */
  async function sentinel(): Promise<void> {
    const m = say(SUPPORTED);
    await w.discord.waitUntil(() => reactionsTo(m.id)[0], 10_000, `a reaction to ${m.id}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  /** A contradiction sent before the watch was turned on. */
  let beforeWatch: APIMessage;

  it('is off unless a moderator turns it on: a contradiction in an unwatched channel gets nothing', async () => {
    const m = say(CONTRADICTED);
    beforeWatch = m;
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo(w.discord, m.id)).toEqual([]);
    expect(reactionsTo(m.id)).toEqual([]);
  });

  it('/watch is refused without Manage Channels, privately, and changes nothing', async () => {
    for (const sub of ['on', 'status']) {
      const r = await watchCommand(sub);
      expect(isEphemeral(r)).toBe(true);
      expect(shown(r).content).toContain('**Manage Channels**');
    }
    const db = openStore({ dataDir: w.dir, importFeedbackFrom: null });
    try {
      expect(db.settings.watchedChannels(w.discord.guildId)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('a moderator turns it on; status says so; the watch is stored', async () => {
    const on = await watchCommand('on', MANAGE_CHANNELS);
    expect(isEphemeral(on)).toBe(true);
    expect(shown(on).content).toContain('Watching this channel from now on');
    expect(shown(on).content).toContain('confidence ≥ 80 %');
    const status = await watchCommand('status', MANAGE_CHANNELS);
    expect(shown(status).content).toMatch(/^This channel is watched since <t:\d+:f>\./);
    expect(shown(status).content).toContain(`<#${channelId}>`);
    expect(w.bot.context.settings.watched(w.discord.guildId, channelId)).toMatchObject({
      by: w.discord.user.id,
    });
  });

  it('replies once to a contradiction, with the quote and citation, pinging no one', async () => {
    const m = say(CONTRADICTED);
    const call = await waitReplyTo(w.discord, m.id);
    const body = call.body as { embeds: APIEmbed[]; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.embeds[0]?.description).toMatch(
      /^❌ The documents say \*\*20 billion dollars\*\*, not 50 billion dollars\n> .+\n— .+/,
    );
    expect(responseMessage(call).mentions).toEqual([]);
    // The same event delivered again (a gateway replay) gets no second reply.
    w.discord.dispatch('MESSAGE_CREATE', { ...m, guild_id: w.discord.guildId });
    await sentinel();
    expect(repliesTo(w.discord, m.id)).toHaveLength(1);
    expect(reactionsTo(m.id)).toEqual([]);
  });

  it('reacts 📎 to a supported claim and does nothing else', async () => {
    const m = say(SUPPORTED);
    const reaction = await w.discord.waitUntil(() => reactionsTo(m.id)[0], 10_000, 'a reaction');
    expect(reaction.params.emoji).toBe('📎');
    await new Promise((r) => setTimeout(r, 100));
    expect(repliesTo(w.discord, m.id)).toEqual([]);
    expect(w.discord.storedMessage(m.id)?.reactions?.[0]).toMatchObject({ me: true, emoji: { name: '📎' } });
  });

  it('ignores bots, chit-chat, uncovered claims and messages older than the watch', async () => {
    const d = w.discord;
    const bot = d.createUser({ username: 'otherbot', bot: true });
    // Sent before the watch was turned on, delivered again now (a late or replayed event).
    const older = beforeWatch;
    const ignored = [say(CONTRADICTED, bot), say(CHIT_CHAT), say('lol'), say(UNCOVERED)];
    d.dispatch('MESSAGE_CREATE', { ...older, guild_id: d.guildId });
    await sentinel();
    for (const m of [...ignored, older]) {
      expect(repliesTo(d, m.id)).toEqual([]);
      expect(reactionsTo(m.id)).toEqual([]);
    }
  });

  it('stays within its rate limit: 2 replies an hour, then quiet', async () => {
    const first = say(CONTRADICTED_2);
    await waitReplyTo(w.discord, first.id);
    const over = say(CONTRADICTED);
    await sentinel();
    expect(repliesTo(w.discord, over.id)).toEqual([]);
    const replies = w.discord.calls.filter(
      (c) => c.route === 'createMessage' && c.params.channelId === channelId,
    );
    expect(replies).toHaveLength(2);
  });

  it('a moderator turns it off: nothing more', async () => {
    const off = await watchCommand('off', MANAGE_CHANNELS);
    expect(shown(off).content).toBe('Stopped watching this channel.');
    const m = say(SUPPORTED);
    await new Promise((r) => setTimeout(r, 300));
    expect(reactionsTo(m.id)).toEqual([]);
    expect(shown(await watchCommand('status', MANAGE_CHANNELS)).content).toContain('not watched');
  });

  it('pings no one anywhere', () => {
    expectNoPings(w.discord);
  });
});

describe('watched channels without the Message Content intent', () => {
  let w: World | undefined;
  afterAll(async () => {
    await stopWorld(w);
  });

  it('/watch on says the intent is needed and stays off; /check says it cannot read messages', async () => {
    w = await startWorld(realEngine, { MESSAGE_CONTENT_INTENT: 'false' });
    const d = w.discord;
    const r = await settled(
      d,
      d.slashCommand({ name: 'watch', subcommand: 'on', memberPermissions: MANAGE_CHANNELS }).id,
    );
    expect(isEphemeral(r)).toBe(true);
    expect(shown(r).content).toContain('Message Content intent');
    expect(w.bot.context.settings.watched(d.guildId, d.channelId)).toBeNull();
    const c = await settled(d, d.slashCommand({ name: 'check' }).id);
    expect(isEphemeral(c)).toBe(true);
    expect(shown(c).content).toContain('Message Content intent');
  });
});
