import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type Message,
} from 'discord.js';
import { InteractionResponseType, type APIMessage } from 'discord-api-types/v10';
import { LocalDiscord, type RestCall } from '../../../src/testing/local-discord/index.js';

/**
 * A tiny bot wired to the real discord.js client, just enough to exercise every server feature end to end.
 */
function attachBot(
  client: Client,
  errors: unknown[],
  seen: { threadMessages: string[]; withResponse: string[] },
): void {
  const onInteraction = async (interaction: Interaction): Promise<void> => {
    if (interaction.isAutocomplete()) {
      const typed = interaction.options.getFocused();
      await interaction.respond([
        { name: `${typed} one`, value: 'one' },
        { name: `${typed} two`, value: 'two' },
      ]);
      return;
    }
    if (interaction.isChatInputCommand()) {
      switch (interaction.commandName) {
        case 'ask':
          await interaction.reply({
            content: `Answer: ${interaction.options.getString('question', true)}`,
            allowedMentions: { parse: [] },
          });
          return;
        case 'slow':
          await interaction.deferReply();
          await interaction.editReply({ content: 'Slow answer', allowedMentions: { parse: [] } });
          return;
        case 'feedback': {
          const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder().setCustomId('helpful').setLabel('Helpful').setStyle(ButtonStyle.Success),
            new ButtonBuilder()
              .setCustomId('private')
              .setLabel('Tell me privately')
              .setStyle(ButtonStyle.Secondary),
          );
          await interaction.reply({ content: 'Was this helpful?', components: [row] });
          return;
        }
        case 'fetched': {
          const response = await interaction.reply({ content: 'With response', withResponse: true });
          seen.withResponse.push(response.resource?.message?.content ?? '(none)');
          return;
        }
        case 'report': {
          const input = new TextInputBuilder()
            .setCustomId('details')
            .setLabel('Details')
            .setStyle(TextInputStyle.Short);
          await interaction.showModal(
            new ModalBuilder()
              .setCustomId('report-modal')
              .setTitle('Report')
              .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
          );
          return;
        }
        default:
          return;
      }
    }
    if (interaction.isButton()) {
      if (interaction.customId === 'helpful')
        await interaction.update({ content: 'Thanks!', components: [] });
      else await interaction.reply({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
      return;
    }
    if (interaction.isMessageContextMenuCommand()) {
      await interaction.reply({
        content: `Quoted: ${interaction.targetMessage.content}`,
        allowedMentions: { parse: [] },
      });
      return;
    }
    if (interaction.isModalSubmit()) {
      await interaction.reply({ content: `Reported: ${interaction.fields.getTextInputValue('details')}` });
    }
  };

  const onMessage = async (message: Message): Promise<void> => {
    if (message.author.bot || !client.user) return;
    if (message.channel.isThread() && message.channel.ownerId === client.user.id) {
      seen.threadMessages.push(message.content);
      await message.channel.send({
        content: `Follow-up: ${message.content}`,
        allowedMentions: { parse: [] },
      });
      return;
    }
    if (message.reference) {
      const referenced = await message.fetchReference();
      await message.reply({
        content: `You replied to: ${referenced.content}`,
        allowedMentions: { repliedUser: false },
      });
      return;
    }
    if (message.mentions.has(client.user, { ignoreEveryone: true })) {
      await message.reply({ content: 'On it', allowedMentions: { repliedUser: false } });
      const thread = await message.startThread({ name: 'Question' });
      await thread.send('Ask follow-ups here');
    }
  };

  client.on(Events.InteractionCreate, (interaction) => {
    onInteraction(interaction).catch((cause: unknown) => errors.push(cause));
  });
  client.on(Events.MessageCreate, (message) => {
    onMessage(message).catch((cause: unknown) => errors.push(cause));
  });
}

function statuses(calls: RestCall[], route: RestCall['route']): number[] {
  return calls.filter((c) => c.route === route).map((c) => c.status);
}

describe('LocalDiscord driven by the real discord.js client', () => {
  const discord = new LocalDiscord();
  const botErrors: unknown[] = [];
  const seen = { threadMessages: [] as string[], withResponse: [] as string[] };
  let client: Client;

  beforeAll(async () => {
    const { apiUrl } = await discord.start();
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      rest: { api: apiUrl },
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: () => Promise.resolve() }) },
    });
    attachBot(client, botErrors, seen);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(LocalDiscord.TOKEN);
    await ready;
  });

  afterEach(() => {
    expect(botErrors).toEqual([]);
  });

  afterAll(async () => {
    await client.destroy();
    await discord.stop();
  });

  it('logs in: READY + GUILD_CREATE give the client its user, application, guild and channels', async () => {
    expect(client.user?.id).toBe(discord.bot.id);
    expect(client.application?.id).toBe(discord.applicationId);
    const guild = client.guilds.cache.get(discord.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(discord.channelId)?.isTextBased()).toBe(true);
    expect(guild?.members.me?.id).toBe(discord.bot.id);
    expect(discord.calls.map((c) => c.route)).toContain('getGatewayBot');

    const registered = await client.application?.commands.set(
      [
        {
          name: 'ask',
          description: 'Ask the documents',
          options: [
            { name: 'question', description: 'Your question', type: 3, required: true, autocomplete: true },
          ],
        },
        { name: 'Quote', type: 3 },
      ],
      discord.guildId,
    );
    expect(registered?.size).toBe(2);
    expect(discord.commands(discord.guildId).map((c) => c.name)).toEqual(['ask', 'Quote']);
    const interaction = discord.slashCommand({ name: 'ask', options: { question: 'ids?' } });
    expect(interaction.data.id).toBe(registered?.find((c) => c.name === 'ask')?.id);
    await discord.waitForReply(interaction.id);
  });

  it('captures a slash command answered with reply(), including allowed_mentions', async () => {
    const interaction = discord.slashCommand({ name: 'ask', options: { question: 'What is a footnote?' } });
    expect(await discord.waitForReply(interaction.id)).toBe('Answer: What is a footnote?');
    const [callback] = discord.callsFor(interaction.id);
    expect(callback?.route).toBe('interactionCallback');
    expect(callback?.status).toBe(204);
    expect(callback?.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'Answer: What is a footnote?', allowed_mentions: { parse: [] } },
    });
    expect(discord.interaction(interaction.id)?.original?.interaction_metadata?.id).toBe(interaction.id);
  });

  it('captures deferReply() + editReply() on @original, and with_response=true', async () => {
    const interaction = discord.slashCommand({ name: 'slow' });
    expect(await discord.waitForReply(interaction.id)).toBe('Slow answer');
    const calls = discord.callsFor(interaction.id);
    expect(calls.map((c) => c.route)).toEqual(['interactionCallback', 'editOriginal']);
    expect(calls[0]?.body).toMatchObject({ type: InteractionResponseType.DeferredChannelMessageWithSource });
    expect(calls[1]?.path).toMatch(/\/messages\/@original$/);
    expect(calls[1]?.response).toMatchObject({
      content: 'Slow answer',
      interaction_metadata: { authorizing_integration_owners: { '0': discord.guildId } },
    });

    const fetched = discord.slashCommand({ name: 'fetched' });
    await discord.waitForReply(fetched.id);
    await discord.waitUntil(() => seen.withResponse[0]);
    expect(seen.withResponse).toEqual(['With response']);
    expect(discord.callsFor(fetched.id)[0]?.status).toBe(200);
  });

  it('captures button clicks answered with update() and an ephemeral reply()', async () => {
    const command = discord.slashCommand({ name: 'feedback' });
    await discord.waitForReply(command.id);
    const original = discord.interaction(command.id)?.original as APIMessage;
    expect(original.components).toHaveLength(1);

    const click = discord.button({ customId: 'helpful', message: original });
    expect(await discord.waitForReply(click.id)).toBe('Thanks!');
    expect(discord.callsFor(click.id)[0]?.body).toMatchObject({
      type: InteractionResponseType.UpdateMessage,
    });
    expect(discord.storedMessage(original.id)).toMatchObject({ content: 'Thanks!', components: [] });

    const privately = discord.button({ customId: 'private', message: original.id });
    expect(await discord.waitForReply(privately.id)).toBe('Only you can see this');
    expect((discord.interaction(privately.id)?.original?.flags ?? 0) & MessageFlags.Ephemeral).toBe(
      MessageFlags.Ephemeral,
    );
  });

  it('captures autocomplete respond(), context-menu and modal interactions', async () => {
    const auto = discord.autocomplete({ name: 'ask', focused: 'question', value: 'foot' });
    const choices = await discord.waitUntil(() => discord.interaction(auto.id)?.choices);
    expect(choices).toEqual([
      { name: 'foot one', value: 'one' },
      { name: 'foot two', value: 'two' },
    ]);

    const target = discord.message({ content: 'Footnotes go at the bottom of the page.' });
    const quote = discord.messageContextMenu({ name: 'Quote', targetMessage: target });
    expect(await discord.waitForReply(quote.id)).toBe('Quoted: Footnotes go at the bottom of the page.');

    const report = discord.slashCommand({ name: 'report' });
    const modal = await discord.waitUntil(() => discord.interaction(report.id)?.modal);
    expect(modal).toMatchObject({ custom_id: 'report-modal', title: 'Report' });
    const submit = discord.modalSubmit({ customId: 'report-modal', fields: { details: 'typo on page 3' } });
    expect(await discord.waitForReply(submit.id)).toBe('Reported: typo on page 3');
  });

  it('answers a mention with message.reply(), starts a thread, and receives messages in that thread', async () => {
    const question = discord.message({ content: `${discord.botMention} where are the docs?` });
    const reply = await discord.waitFor((c) => c.route === 'createMessage' && isReplyTo(c.body, question.id));
    expect(reply.body).toMatchObject({ content: 'On it', allowed_mentions: { replied_user: false } });
    expect(reply.response).toMatchObject({
      type: 19,
      referenced_message: { id: question.id },
      author: { id: discord.bot.id },
    });

    await discord.waitFor((c) => c.route === 'startThread' && c.params.messageId === question.id);
    const [thread] = discord.threads(discord.channelId);
    expect(thread?.id).toBe(question.id);
    await discord.waitFor((c) => c.route === 'createMessage' && c.params.channelId === thread?.id);
    expect(client.channels.cache.get(question.id)?.isThread()).toBe(true);

    discord.message({ content: 'and the changelog?', channelId: question.id });
    const followUp = await discord.waitFor(
      (c) =>
        c.route === 'createMessage' &&
        c.params.channelId === question.id &&
        hasContent(c.body, 'Follow-up: and the changelog?'),
    );
    expect(followUp.status).toBe(200);
    expect(seen.threadMessages).toEqual(['and the changelog?']);

    // message.fetchReference() (served from the cache here, as discord.js caches referenced messages).
    const botReply = reply.response as APIMessage;
    discord.message({ content: 'thanks', referencedMessage: botReply.id, pingRepliedUser: false });
    const answer = await discord.waitFor(
      (c) => c.route === 'createMessage' && hasContent(c.body, 'You replied to: On it'),
    );
    expect(answer.status).toBe(200);

    // Stored messages are served by GET /channels/{id}/messages/{id} and GET /channels/{id}/messages.
    const channel = client.channels.cache.get(discord.channelId);
    if (!channel?.isTextBased()) throw new Error('general is not cached');
    const fetched = await channel.messages.fetch({ message: question.id, force: true });
    expect(fetched.content).toBe(`${discord.botMention} where are the docs?`);
    expect(fetched.hasThread).toBe(true);
    const latest = await channel.messages.fetch({ limit: 2 });
    expect([...latest.values()].map((m) => m.content)).toEqual(['You replied to: On it', 'thanks']);
  });

  it('retries after a 429 with Retry-After and after a 500 on an edit; the user still gets the answer', async () => {
    discord.failNext({ route: 'interactionCallback', status: 429, retryAfterSeconds: 0.3 });
    const limited = discord.slashCommand({ name: 'ask', options: { question: 'rate limited?' } });
    expect(await discord.waitForReply(limited.id)).toBe('Answer: rate limited?');
    const [first, second] = discord.callsFor(limited.id);
    expect([first?.status, first?.fault, second?.status]).toEqual([429, true, 204]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(290);

    discord.failNext({ route: 'editOriginal', status: 500 });
    const failing = discord.slashCommand({ name: 'slow' });
    expect(await discord.waitForReply(failing.id)).toBe('Slow answer');
    expect(statuses(discord.callsFor(failing.id), 'editOriginal')).toEqual([500, 200]);
  });

  it.each([
    ['close 4000', () => discord.closeGateway(4000)],
    ['a dropped TCP connection', () => discord.dropConnection()],
  ])(
    'resumes after %s and answers interactions dispatched before and during the outage',
    async (_label, fault) => {
      const before = discord.gatewayState;
      const first = discord.slashCommand({ name: 'ask', options: { question: 'before' } });
      expect(await discord.waitForReply(first.id)).toBe('Answer: before');

      expect(fault()).toBe(true);
      const second = discord.slashCommand({ name: 'ask', options: { question: 'during' } });
      expect(await discord.waitForReply(second.id)).toBe('Answer: during');

      const after = discord.gatewayState;
      expect(after.resumeCount).toBe(before.resumeCount + 1);
      expect(after.identifyCount).toBe(before.identifyCount);
      expect(after.sessionId).toBe(before.sessionId);
      expect(discord.gatewayLog.some((e) => e.kind === 'connect' && e.path === '/resume')).toBe(true);
    },
  );

  it('re-identifies after close 1000 and still delivers the queued interaction', async () => {
    const before = discord.gatewayState;
    expect(discord.closeGateway(1000)).toBe(true);
    const queued = discord.slashCommand({ name: 'ask', options: { question: 'after 1000' } });
    expect(await discord.waitForReply(queued.id)).toBe('Answer: after 1000');
    const after = discord.gatewayState;
    expect(after.identifyCount).toBe(before.identifyCount + 1);
    expect(after.sessionId).not.toBe(before.sessionId);
  });
});

describe('LocalDiscord without a client (raw REST)', () => {
  const discord = new LocalDiscord({ interactionDeadlineMs: 100, logUnknownRoutes: false });
  let api = '';

  beforeAll(async () => {
    api = `${(await discord.start()).apiUrl}/v10`;
  });

  afterAll(async () => {
    await discord.stop();
  });

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('enforces Discord rules: one acknowledgement, limits, empty messages, deadline, unknown routes', async () => {
    const interaction = discord.slashCommand({ name: 'raw' });
    const callback = `/interactions/${interaction.id}/${interaction.token}/callback`;

    const tooLong = await post(callback, { type: 4, data: { content: 'x'.repeat(2001) } });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({
      code: 50035,
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });

    const empty = await post(callback, { type: 4, data: { content: '' } });
    expect(await empty.json()).toMatchObject({ code: 50006 });

    const ok = await post(callback, { type: 4, data: { content: 'fine' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('content-type')).toBeNull();
    const again = await post(callback, { type: 4, data: { content: 'twice' } });
    expect(await again.json()).toMatchObject({ code: 40060 });
    expect(discord.replyTo(interaction.id)).toBe('fine');

    const late = discord.slashCommand({ name: 'raw' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const expired = await post(`/interactions/${late.id}/${late.token}/callback`, { type: 5 });
    expect(expired.status).toBe(404);
    expect(await expired.json()).toMatchObject({ code: 10062 });

    const unknown = await fetch(`${api}/nowhere/at/all`, { headers: { authorization: 'Bot x' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect(discord.calls.at(-1)).toMatchObject({
      route: 'unknown',
      path: '/api/v10/nowhere/at/all',
      status: 404,
    });

    const unauthenticated = await post(`/channels/${discord.channelId}/messages`, { content: 'hi' });
    expect(unauthenticated.status).toBe(401);
  });
});

function isReplyTo(body: unknown, messageId: string): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    'message_reference' in body &&
    typeof body.message_reference === 'object' &&
    body.message_reference !== null &&
    'message_id' in body.message_reference &&
    body.message_reference.message_id === messageId
  );
}

function hasContent(body: unknown, content: string): boolean {
  return typeof body === 'object' && body !== null && 'content' in body && body.content === content;
}
