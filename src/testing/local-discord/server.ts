/**
 * A local imitation of Discord (REST + gateway) to drive the real discord.js client in end-to-end tests
 * and in the Discord section of `npm run bench`.
 *
 * ```ts
 * const discord = new LocalDiscord();
 * const { apiUrl } = await discord.start();
 * const client = new Client({
 *   intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
 *   rest: { api: apiUrl },
 *   ws: { buildIdentifyThrottler: () => ({ waitForIdentify: () => Promise.resolve() }) }, // no 5 s identify wait
 * });
 * await client.login(LocalDiscord.TOKEN);
 * const interaction = discord.slashCommand({ name: 'ask', options: { question: 'What is X?' } });
 * expect(await discord.waitForReply(interaction.id)).toContain('X is');
 * ```
 *
 * One guild with text channels, one bot, any number of users. Every REST request is recorded in
 * {@link LocalDiscord.calls}; faults (HTTP errors, 429s, slow answers, gateway closes and drops) can be injected.
 *
 * Discord behaviours imitated on purpose, because bots get them wrong:
 * - an interaction must get its first response within 3 s of being dispatched (else 404, code 10062), and only one
 *   (a second one gets 400, code 40060);
 * - message limits (2000 chars, embeds, components, autocomplete choices) answer 400 code 50035, an empty message
 *   400 code 50006; command registrations are validated the same way;
 * - the bot's own non-ephemeral messages come back as MESSAGE_CREATE/UPDATE/DELETE (`echoBotMessages`);
 * - without the MessageContent intent, guild messages that do not mention the bot arrive with empty content;
 * - the first follow-up after a deferred reply fills the "thinking" message instead of creating a new one;
 * - `mentions` / `mention_everyone` of the bot's messages reflect who is actually pinged under `allowed_mentions`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  ThreadAutoArchiveDuration,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIChannel,
  type APIChatInputApplicationCommandInteraction,
  type APIGuildMember,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentButtonInteraction,
  type APIMessageComponentSelectMenuInteraction,
  type APIModalSubmitInteraction,
  type APIRole,
  type APIThreadChannel,
  type APIUser,
  type APIUserApplicationCommandInteraction,
  type GatewayReadyDispatchData,
  type InteractionContextType,
  type Locale,
} from 'discord-api-types/v10';
import { GatewayHub, type GatewayLogEntry } from './gateway.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  SnowflakeFactory,
  buildAttachments,
  buildDmChannel,
  buildMember,
  buildMessage,
  buildRole,
  buildTextChannel,
  buildThreadChannel,
  buildUser,
  clone,
  noFlags,
  mentionedRoleIds,
  mentionedUserIds,
  mentionsEveryone,
  randomToken,
  snowflakeIso,
  type UploadedFile,
} from './payloads.js';
import {
  isObject,
  validateAutocompleteChoices,
  validateCommandList,
  validateMessageBody,
  type DiscordErrorBody,
} from './validation.js';

export type { GatewayLogEntry } from './gateway.js';
export type { UploadedFile } from './payloads.js';
export type { DiscordErrorBody } from './validation.js';

/** Normalised names of the REST routes the server knows; `unknown` for everything else (answered 404). */
export type RouteName =
  | 'getGateway'
  | 'getGatewayBot'
  | 'getCurrentUser'
  | 'getUser'
  | 'getApplication'
  | 'getGlobalCommands'
  | 'putGlobalCommands'
  | 'createGlobalCommand'
  | 'getGuildCommands'
  | 'putGuildCommands'
  | 'createGuildCommand'
  | 'interactionCallback'
  | 'getOriginal'
  | 'editOriginal'
  | 'deleteOriginal'
  | 'followup'
  | 'getFollowup'
  | 'editFollowup'
  | 'deleteFollowup'
  | 'getChannel'
  | 'getMessages'
  | 'getMessage'
  | 'createMessage'
  | 'editMessage'
  | 'deleteMessage'
  | 'startThread'
  | 'startThreadWithoutMessage'
  | 'joinThread'
  | 'typing'
  | 'addReaction'
  | 'deleteOwnReaction'
  | 'getGuild'
  | 'getGuildChannels'
  | 'getMember'
  | 'unknown';

/** One recorded REST request and the answer it got. */
export interface RestCall {
  /** HTTP method, upper case. */
  method: string;
  /** Decoded path without the query string, e.g. `/api/v10/webhooks/1/tok/messages/@original`. */
  path: string;
  /** Query string parameters. */
  query: Record<string, string>;
  /** Normalised route name. */
  route: RouteName;
  /** Path parameters of the route (`channelId`, `messageId`, `token`, `interactionId`, ...). */
  params: Record<string, string>;
  /** Parsed JSON body (or multipart `payload_json`); `undefined` without a body. */
  body: unknown;
  /** Files of a multipart body. */
  files: UploadedFile[];
  /** Request headers, lower-cased names. */
  headers: Record<string, string>;
  /** Arrival time, ms since the epoch. */
  at: number;
  /** Status the server answered with. */
  status: number;
  /** JSON body the server answered with (`undefined` for 204). */
  response: unknown;
  /** Whether the answer came from {@link LocalDiscord.failNext}. */
  fault: boolean;
  /** The interaction this request belongs to (callback, @original, follow-ups). */
  interactionId?: string;
}

/** A fault to inject into the next matching REST requests. */
export interface FaultSpec {
  /** Route name, or a predicate over the incoming request. */
  route: RouteName | ((call: Pick<RestCall, 'method' | 'path' | 'route' | 'params' | 'body'>) => boolean);
  /** Status to answer with, e.g. 429, 500, 502, 404. */
  status: number;
  /** For 429: seconds in `Retry-After` and `retry_after` (default 0.25). */
  retryAfterSeconds?: number;
  /** For 429: mark the limit as global (`X-RateLimit-Global`). */
  global?: boolean;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** JSON body to answer with instead of the default Discord-style error. */
  body?: unknown;
}

/** A delay to inject before answering the next matching REST requests. */
export interface DelaySpec {
  /** Route name, or a predicate over the incoming request. */
  route: FaultSpec['route'];
  /** Delay before the normal answer, in ms. */
  delayMs: number;
  /** How many matching requests are delayed (default 1). */
  times?: number;
}

/** What the server knows about one interaction it dispatched. */
export interface InteractionRecord {
  /** Interaction id. */
  id: string;
  /** Interaction token. */
  token: string;
  /** The INTERACTION_CREATE payload. */
  payload: APIInteraction;
  /** When it was dispatched (ms since the epoch); Discord's 3 s deadline counts from here. */
  dispatchedAt: number;
  /** Callback type of the accepted initial response, if any (4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete, 9 modal). */
  callbackType?: InteractionResponseType;
  /** When the initial response was accepted. */
  callbackAt?: number;
  /** `data` of the initial response. */
  callbackData?: unknown;
  /** The message behind `@original` (a reply, a deferred "thinking" message, or the updated component message). */
  original?: APIMessage;
  /** Follow-up messages, oldest first (the first follow-up of a deferred reply fills `@original` instead). */
  followups: APIMessage[];
  /** Autocomplete choices answered (callback type 8). */
  choices?: unknown[];
  /** Modal shown (callback type 9). */
  modal?: unknown;
}

/** Options of {@link LocalDiscord}. */
export interface LocalDiscordOptions {
  /** Bot username (default `footnote`). */
  botUsername?: string;
  /** Guild name (default `Footnote Test`). */
  guildName?: string;
  /** Names of the guild's text channels; the first is {@link LocalDiscord.channelId} (default `general`, `help`). */
  channelNames?: string[];
  /** Heartbeat interval announced in HELLO (default 41 250 ms). */
  heartbeatIntervalMs?: number;
  /** Discord's first-response deadline for interactions (default 3000 ms; `Infinity` disables it). */
  interactionDeadlineMs?: number;
  /** Dispatch MESSAGE_CREATE/UPDATE/DELETE for the bot's own non-ephemeral messages, as Discord does (default true). */
  echoBotMessages?: boolean;
  /** Print unknown routes to stderr (default true). */
  logUnknownRoutes?: boolean;
  /** Permissions of @everyone (decimal string). */
  everyonePermissions?: string;
  /** Permissions of the bot's managed role (decimal string). */
  botPermissions?: string;
}

/** Who acts, and where, for the interaction builders. */
export interface ActorSpec {
  /** The user acting (default {@link LocalDiscord.user}). */
  user?: APIUser;
  /** Channel (default {@link LocalDiscord.channelId}, or the message's channel for message-bound builders). */
  channelId?: string;
  /** Guild id (default the guild); `null` makes a DM interaction. */
  guildId?: string | null;
  /** User locale (default `en-US`). */
  locale?: Locale;
  /** The member's permissions in the channel (default @everyone's). */
  memberPermissions?: string;
  /** The bot's permissions in the channel (default @everyone's + the bot role's). */
  appPermissions?: string;
}

/** Option values for a slash command: a name → value map, or raw interaction options. */
export type CommandOptionsSpec =
  Record<string, string | number | boolean> | APIApplicationCommandInteractionDataOption[];

/** Spec of {@link LocalDiscord.slashCommand}. */
export interface SlashCommandSpec extends ActorSpec {
  /** Command name. */
  name: string;
  /** Option values (types are taken from the registered command when there is one). */
  options?: CommandOptionsSpec;
  /** Subcommand to invoke. */
  subcommand?: string;
  /** Subcommand group of the subcommand. */
  subcommandGroup?: string;
}

/** Spec of {@link LocalDiscord.autocomplete}. */
export interface AutocompleteSpec extends ActorSpec {
  /** Command name. */
  name: string;
  /** Name of the focused option. */
  focused: string;
  /** What the user has typed so far in the focused option. */
  value: string;
  /** Values of the other options already filled in. */
  options?: Record<string, string | number | boolean>;
  /** Subcommand the focused option belongs to. */
  subcommand?: string;
}

/** Spec of {@link LocalDiscord.button}. */
export interface ButtonSpec extends Omit<ActorSpec, 'channelId' | 'guildId'> {
  /** The button's custom id. */
  customId: string;
  /** The message the button is on (a stored message id, or a message object). */
  message: APIMessage | string;
}

/** Spec of {@link LocalDiscord.selectMenu}. */
export interface SelectMenuSpec extends ButtonSpec {
  /** Values chosen in a string select. */
  values: string[];
}

/** Spec of {@link LocalDiscord.messageContextMenu}. */
export interface MessageContextMenuSpec extends Omit<ActorSpec, 'channelId' | 'guildId'> {
  /** Command name. */
  name: string;
  /** The message the command was used on (a stored message id, or a message object). */
  targetMessage: APIMessage | string;
}

/** Spec of {@link LocalDiscord.userContextMenu}. */
export interface UserContextMenuSpec extends ActorSpec {
  /** Command name. */
  name: string;
  /** The user the command was used on. */
  targetUser: APIUser;
}

/** Spec of {@link LocalDiscord.modalSubmit}. */
export interface ModalSubmitSpec extends ActorSpec {
  /** The modal's custom id. */
  customId: string;
  /** Text input values by custom id. */
  fields: Record<string, string>;
  /** The message whose component opened the modal, if any. */
  message?: APIMessage | string;
}

/** Spec of {@link LocalDiscord.message}. */
export interface MessageSpec {
  /** Message text. */
  content: string;
  /** Author (default {@link LocalDiscord.user}); use {@link LocalDiscord.createUser} for others. */
  author?: APIUser;
  /** Channel (default {@link LocalDiscord.channelId}); a thread must exist on the server. */
  channelId?: string;
  /** Send as a DM from the author to the bot. */
  dm?: boolean;
  /** Mentioned users; default: the `<@id>` mentions found in the content. */
  mentions?: APIUser[];
  /** Whether @everyone/@here pings; default: whether the content contains them. */
  mentionEveryone?: boolean;
  /** Make this a reply to that message (a stored message id, or a message object). */
  referencedMessage?: APIMessage | string;
  /** Whether the reply pings the replied-to author (default true). */
  pingRepliedUser?: boolean;
  /** Mark the author as a bot account. */
  isBot?: boolean;
  /** Send as a webhook message with this webhook id. */
  webhookId?: string;
  /** Embeds. */
  embeds?: APIMessage['embeds'];
  /** Attachments. */
  attachments?: APIMessage['attachments'];
}

type JsonObject = Record<string, unknown>;

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface RequestContext {
  call: RestCall;
  param(name: string): string;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

interface RouteDef {
  method: string;
  segments: string[];
  name: RouteName;
  handle: (ctx: RequestContext) => Reply;
}

interface FaultRule {
  kind: 'fault' | 'delay';
  matches: (call: Pick<RestCall, 'method' | 'path' | 'route' | 'params' | 'body'>) => boolean;
  remaining: number;
  fault?: FaultSpec;
  delayMs?: number;
}

interface Waiter {
  check: () => boolean;
}

interface InteractionState extends InteractionRecord {
  /** Message ids this interaction may address through its webhook. */
  messageIds: Set<string>;
  /** A deferred update (type 6) whose message has not been edited yet. */
  updatePending: boolean;
}

const API_PREFIX = '/api/v10';
const LOADING = MessageFlags.Loading;
const EPHEMERAL = MessageFlags.Ephemeral;
const HAS_THREAD = MessageFlags.HasThread;
/** Message flags a bot may set itself when sending. */
const SETTABLE_FLAGS =
  MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;
const DEFAULT_TIMEOUT_MS = 5000;

function error(status: number, code: number, message: string, errors?: Record<string, unknown>): Reply {
  const body: DiscordErrorBody = { message, code };
  if (errors) body.errors = errors;
  return { status, body };
}

function httpError(status: number, text: string): Reply {
  return error(status, 0, `${status}: ${text}`);
}

function invalid(body: DiscordErrorBody): Reply {
  return { status: 400, body };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * A local Discord: REST API on `http://127.0.0.1:PORT/api`, gateway on `ws://127.0.0.1:PORT`.
 * Start it, point discord.js at {@link LocalDiscord.start}'s `apiUrl`, inject events, assert on {@link LocalDiscord.calls}.
 */
export class LocalDiscord {
  /** A token to log in with; the server accepts any non-empty token. */
  static readonly TOKEN = 'local-discord-bot-token';

  /** Every REST request, in arrival order of completion. */
  readonly calls: RestCall[] = [];
  /** The application's id. */
  readonly applicationId: string;
  /** The bot's user. */
  readonly bot: APIUser;
  /** The default human user who issues commands and writes messages. */
  readonly user: APIUser;
  /** The guild owner (a separate user, so {@link LocalDiscord.user} is an ordinary member). */
  readonly owner: APIUser;
  /** The guild's id. */
  readonly guildId: string;
  /** The first text channel's id (default target of builders). */
  readonly channelId: string;
  /** Ids of all initial text channels, by name. */
  readonly channelIds: Readonly<Record<string, string>>;
  /** Id of the bot's managed role. */
  readonly botRoleId: string;

  readonly #options: Required<LocalDiscordOptions>;
  readonly #ids = new SnowflakeFactory();
  readonly #http: Server;
  readonly #gateway: GatewayHub;
  readonly #routes: RouteDef[];
  readonly #users = new Map<string, APIUser>();
  readonly #members = new Map<string, APIGuildMember>();
  readonly #roles: APIRole[];
  readonly #channels = new Map<string, APIChannel>();
  readonly #messages = new Map<string, APIMessage>();
  readonly #channelMessages = new Map<string, string[]>();
  readonly #interactions = new Map<string, InteractionState>();
  readonly #tokens = new Map<string, InteractionState>();
  readonly #commands = new Map<string, APIApplicationCommand[]>();
  readonly #waiters = new Set<Waiter>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #rules: FaultRule[] = [];
  /** One shared poll re-checks waiters every 10 ms while any exist. */
  #poll: NodeJS.Timeout | undefined;
  #joinedAt: string;
  #started = false;
  #stopped = false;
  #baseUrl = '';

  /** Creates the server (nothing listens until {@link LocalDiscord.start}). */
  constructor(options: LocalDiscordOptions = {}) {
    this.#options = {
      botUsername: options.botUsername ?? 'footnote',
      guildName: options.guildName ?? 'Footnote Test',
      channelNames: options.channelNames ?? ['general', 'help'],
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
      echoBotMessages: options.echoBotMessages ?? true,
      logUnknownRoutes: options.logUnknownRoutes ?? true,
      everyonePermissions: options.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
      botPermissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
    };
    this.applicationId = this.#ids.next();
    this.bot = buildUser(this.applicationId, {
      username: this.#options.botUsername,
      globalName: 'Footnote',
      bot: true,
    });
    this.owner = buildUser(this.#ids.next(), { username: 'guild-owner', globalName: 'Guild Owner' });
    this.user = buildUser(this.#ids.next(), { username: 'alice', globalName: 'Alice' });
    this.guildId = this.#ids.next();
    this.botRoleId = this.#ids.next();
    this.#joinedAt = new Date().toISOString();
    this.#roles = [
      buildRole({
        id: this.guildId,
        name: '@everyone',
        permissions: this.#options.everyonePermissions,
        position: 0,
      }),
      buildRole({
        id: this.botRoleId,
        name: 'Footnote',
        permissions: this.#options.botPermissions,
        position: 1,
        managed: true,
        botId: this.bot.id,
      }),
    ];
    for (const user of [this.bot, this.owner, this.user]) this.#addUser(user);
    const names = this.#options.channelNames.length > 0 ? this.#options.channelNames : ['general'];
    const channelIds: Record<string, string> = {};
    names.forEach((name, position) => {
      const channel = buildTextChannel({ id: this.#ids.next(), guildId: this.guildId, name, position });
      this.#channels.set(channel.id, channel);
      channelIds[name] = channel.id;
    });
    this.channelIds = channelIds;
    this.channelId = [...this.#channels.keys()][0] ?? '';

    this.#routes = this.#buildRoutes();
    this.#http = createServer((req, res) => {
      this.#onRequest(req, res).catch((cause: unknown) => {
        process.stderr.write(`[local-discord] handler crashed: ${String(cause)}\n`);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: '500: Internal Server Error', code: 0 }));
        }
      });
    });
    this.#gateway = new GatewayHub(
      this.#http,
      {
        readyData: (sessionId, resumeUrl) => this.#readyData(sessionId, resumeUrl),
        initialEvents: () => [{ t: 'GUILD_CREATE', d: this.#guildCreateData() }],
        prepare: (t, d, intents) => this.#prepareForIntents(t, d, intents),
        membersChunk: (request) => this.#membersChunk(request),
        changed: () => this.#notify(),
      },
      { heartbeatIntervalMs: this.#options.heartbeatIntervalMs },
    );
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Listens on 127.0.0.1 with an ephemeral port.
   *
   * @returns `apiUrl` for `new Client({ rest: { api: apiUrl } })`, and the gateway URL.
   */
  async start(): Promise<{ apiUrl: string; gatewayUrl: string; port: number }> {
    if (this.#started || this.#stopped) throw new Error('LocalDiscord can be started once; create a new one');
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(0, '127.0.0.1', () => {
        this.#http.off('error', reject);
        resolve();
      });
    });
    this.#started = true;
    const { port } = this.#http.address() as AddressInfo;
    this.#baseUrl = `http://127.0.0.1:${port}`;
    this.#gateway.setBaseUrl(`ws://127.0.0.1:${port}`);
    return { apiUrl: `${this.#baseUrl}/api`, gatewayUrl: this.#gateway.url, port };
  }

  /** Closes every socket and the HTTP server; pending waits reject. Safe to call twice. */
  async stop(): Promise<void> {
    const wasStarted = this.#started;
    this.#started = false;
    this.#stopped = true;
    for (const waiter of [...this.#waiters]) waiter.check();
    this.#waiters.clear();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = undefined;
    if (!wasStarted) return;
    await this.#gateway.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  /**
   * Forgets recorded calls, pending faults, interactions and messages. Channels, users, commands and the gateway
   * session are kept, so a connected client stays usable.
   */
  reset(): void {
    this.calls.length = 0;
    this.#rules = [];
    this.#interactions.clear();
    this.#tokens.clear();
    this.#messages.clear();
    this.#channelMessages.clear();
  }

  // ---------------------------------------------------------------- state accessors

  /** `<@botId>`, to put in message content. */
  get botMention(): string {
    return `<@${this.bot.id}>`;
  }

  /** The gateway log (connections, payloads, closes). */
  get gatewayLog(): readonly GatewayLogEntry[] {
    return this.#gateway.log;
  }

  /** Gateway counters and state: identifies, resumes, whether a client is attached. */
  get gatewayState(): {
    connected: boolean;
    identifyCount: number;
    resumeCount: number;
    sessionId?: string;
    intents?: number;
  } {
    const state: {
      connected: boolean;
      identifyCount: number;
      resumeCount: number;
      sessionId?: string;
      intents?: number;
    } = {
      connected: this.#gateway.connected,
      identifyCount: this.#gateway.identifyCount,
      resumeCount: this.#gateway.resumeCount,
    };
    if (this.#gateway.sessionId !== undefined) state.sessionId = this.#gateway.sessionId;
    if (this.#gateway.intents !== undefined) state.intents = this.#gateway.intents;
    return state;
  }

  /** Whether op 1 heartbeats are acknowledged (turn off to simulate a zombie connection). */
  get ackHeartbeats(): boolean {
    return this.#gateway.ackHeartbeats;
  }

  set ackHeartbeats(value: boolean) {
    this.#gateway.ackHeartbeats = value;
  }

  /** A copy of a channel (text channel, thread or DM) known to the server. */
  channel(id: string): APIChannel | undefined {
    const channel = this.#channels.get(id);
    return channel ? clone(channel) : undefined;
  }

  /** Copies of the threads created so far, optionally only those under `parentId`. */
  threads(parentId?: string): APIThreadChannel[] {
    return [...this.#channels.values()]
      .filter(
        (c): c is APIThreadChannel => isThread(c) && (parentId === undefined || c.parent_id === parentId),
      )
      .map((c) => clone(c));
  }

  /** A copy of a stored message (bot messages, injected messages, interaction responses). */
  storedMessage(id: string): APIMessage | undefined {
    const message = this.#messages.get(id);
    return message ? clone(message) : undefined;
  }

  /** Copies of the non-ephemeral messages of a channel, oldest first. */
  channelMessages(channelId: string): APIMessage[] {
    return (this.#channelMessages.get(channelId) ?? [])
      .map((id) => this.#messages.get(id))
      .filter((m): m is APIMessage => m !== undefined)
      .map((m) => clone(m));
  }

  /** Copies of the commands registered globally (no argument) or for a guild. */
  commands(guildId?: string): APIApplicationCommand[] {
    return clone(this.#commands.get(guildId ?? 'global') ?? []);
  }

  /** A snapshot of what happened to an interaction (payload, initial response, @original, follow-ups). */
  interaction(interactionId: string): InteractionRecord | undefined {
    const state = this.#interactions.get(interactionId);
    if (!state) return undefined;
    const { messageIds: _ids, updatePending: _pending, ...record } = state;
    return clone(record);
  }

  /** REST calls belonging to an interaction, by interaction id or token. */
  callsFor(interactionIdOrToken: string): RestCall[] {
    const state = this.#interactions.get(interactionIdOrToken) ?? this.#tokens.get(interactionIdOrToken);
    const id = state?.id ?? interactionIdOrToken;
    return this.calls.filter((call) => call.interactionId === id);
  }

  /**
   * The reply the user currently sees for an interaction: the content of `@original` (a type 4 reply, an edited
   * deferral, a first follow-up, or the updated component message). `undefined` while nothing is visible yet
   * (no response, a deferral still "thinking", autocomplete or modal).
   */
  replyTo(interactionId: string): string | undefined {
    const state = this.#interactions.get(interactionId);
    const original = state?.original;
    if (!original || ((original.flags ?? 0) & LOADING) !== 0) return undefined;
    if (state.updatePending) return undefined;
    return original.content;
  }

  /** Creates a user (and guild member) the builders can use as author or actor. */
  createUser(spec: { username: string; globalName?: string | null; bot?: boolean }): APIUser {
    const user = buildUser(this.#ids.next(), spec);
    this.#addUser(user);
    return clone(user);
  }

  /** Creates another text channel and dispatches CHANNEL_CREATE. */
  createTextChannel(name: string): APIChannel {
    const position = [...this.#channels.values()].filter((c) => c.type === ChannelType.GuildText).length;
    const channel = buildTextChannel({ id: this.#ids.next(), guildId: this.guildId, name, position });
    this.#channels.set(channel.id, channel);
    this.#gateway.dispatch('CHANNEL_CREATE', clone(channel));
    return clone(channel);
  }

  // ---------------------------------------------------------------- waiting

  /**
   * Resolves with the first recorded call matching `predicate` (or route name), including calls already recorded.
   * Rejects after `timeoutMs` with a summary of the latest calls.
   */
  waitFor(
    predicate: RouteName | ((call: RestCall) => boolean),
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<RestCall> {
    const match = typeof predicate === 'string' ? (call: RestCall) => call.route === predicate : predicate;
    const label = typeof predicate === 'string' ? `a ${predicate} call` : 'a matching call';
    return this.waitUntil(() => this.calls.find(match), timeoutMs, label);
  }

  /** Resolves with the visible reply to an interaction (see {@link LocalDiscord.replyTo}) once there is one. */
  waitForReply(interactionId: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    return this.waitUntil(
      () => this.replyTo(interactionId),
      timeoutMs,
      `a visible reply to interaction ${interactionId}`,
    );
  }

  /** Resolves once a client is attached to the gateway (identified or resumed). */
  waitForGateway(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.waitUntil(
      () => (this.#gateway.connected ? true : undefined),
      timeoutMs,
      'a gateway connection',
    ).then(() => undefined);
  }

  /**
   * Resolves with the first non-`undefined` value of `check`, re-evaluated after every REST call and gateway event
   * and every 10 ms (so conditions on the test's own state work too). Rejects after `timeoutMs`, or on stop.
   */
  waitUntil<T>(check: () => T | undefined, timeoutMs = DEFAULT_TIMEOUT_MS, what = 'a condition'): Promise<T> {
    const first = check();
    if (first !== undefined) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          if (!this.#started) {
            finish();
            reject(new Error(`LocalDiscord stopped while waiting for ${what}`));
            return true;
          }
          let value: T | undefined;
          try {
            value = check();
          } catch (cause) {
            finish();
            reject(cause instanceof Error ? cause : new Error(String(cause)));
            return true;
          }
          if (value === undefined) return false;
          finish();
          resolve(value);
          return true;
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for ${what}. Latest calls:\n${this.#describeCalls()}`,
          ),
        );
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        this.#waiters.delete(waiter);
        if (this.#waiters.size === 0 && this.#poll) {
          clearInterval(this.#poll);
          this.#poll = undefined;
        }
      };
      this.#timers.add(timer);
      this.#waiters.add(waiter);
      this.#poll ??= setInterval(() => this.#notify(), 10);
    });
  }

  // ---------------------------------------------------------------- fault injection

  /** Answers the next `times` (default 1) requests matching `route` with `status` (429s carry Discord's headers). */
  failNext(spec: FaultSpec): void {
    this.#rules.push({
      kind: 'fault',
      matches: matcher(spec.route),
      remaining: spec.times ?? 1,
      fault: spec,
    });
  }

  /** Delays the answer to the next `times` (default 1) requests matching `route` by `delayMs`. */
  delayNext(spec: DelaySpec): void {
    this.#rules.push({
      kind: 'delay',
      matches: matcher(spec.route),
      remaining: spec.times ?? 1,
      delayMs: spec.delayMs,
    });
  }

  /** Drops every pending fault and delay. */
  clearFaults(): void {
    this.#rules = [];
  }

  /**
   * Closes the gateway socket with a close frame. discord.js resumes after 4000-ish codes and re-identifies after 1000;
   * events dispatched meanwhile are queued and delivered after RESUME (or to the new session).
   *
   * @returns Whether a client was connected.
   */
  closeGateway(code = 4000, reason = 'Closed by LocalDiscord'): boolean {
    return this.#gateway.closeCurrent(code, reason);
  }

  /** Destroys the gateway TCP connection without a close frame (the client sees 1006 and resumes). */
  dropConnection(): boolean {
    return this.#gateway.dropCurrent();
  }

  /** Sends op 7 RECONNECT (the client closes and resumes). */
  requestReconnect(): boolean {
    return this.#gateway.sendOp(7, null);
  }

  /** Sends op 9 INVALID_SESSION (`resumable` false makes the client identify anew). */
  invalidateSession(resumable = false): boolean {
    return this.#gateway.sendOp(9, resumable);
  }

  // ---------------------------------------------------------------- event injection

  /**
   * Dispatches a gateway event (queued while no client is attached). INTERACTION_CREATE payloads are registered so
   * their callbacks, edits and follow-ups are accepted; MESSAGE_CREATE payloads are stored.
   */
  dispatch(type: string, data: unknown): void {
    if (isObject(data)) {
      if (type === 'INTERACTION_CREATE') this.#registerInteraction(data as unknown as APIInteraction);
      if (type === 'MESSAGE_CREATE') this.#storeMessage(data as unknown as APIMessage);
      const isChannelEvent = type.startsWith('CHANNEL_') || type.startsWith('THREAD_');
      if (isChannelEvent && typeof data.id === 'string' && typeof data.type === 'number') {
        if (type.endsWith('_DELETE')) this.#channels.delete(data.id);
        else if (type.endsWith('_CREATE') || type.endsWith('_UPDATE')) {
          const { newly_created: _new, ...channel } = data;
          this.#channels.set(data.id, clone(channel) as unknown as APIChannel);
        }
      }
    }
    this.#gateway.dispatch(type, data);
  }

  /**
   * Creates a public thread as if a user had opened it (optionally from a stored message), dispatches THREAD_CREATE,
   * and returns it, so messages can then be injected into it.
   */
  createThread(spec: {
    name: string;
    parentId?: string;
    owner?: APIUser;
    fromMessageId?: string;
  }): APIThreadChannel {
    const parentId = spec.parentId ?? this.channelId;
    const starter = spec.fromMessageId === undefined ? undefined : this.#resolveMessage(spec.fromMessageId);
    const id = starter?.id ?? this.#ids.next();
    const thread = buildThreadChannel({
      id,
      guildId: this.guildId,
      parentId,
      ownerId: (spec.owner ?? this.user).id,
      name: spec.name,
      type: ChannelType.PublicThread,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      createdAt: new Date().toISOString(),
    });
    delete thread.member;
    if (starter) {
      starter.thread = clone(thread);
      starter.flags = (starter.flags ?? 0) | HAS_THREAD;
    }
    this.dispatch('THREAD_CREATE', { ...clone(thread), newly_created: true });
    return clone(thread);
  }

  /** Dispatches a chat-input (slash) command interaction and returns its payload (with `id` and `token`). */
  slashCommand(spec: SlashCommandSpec): APIChatInputApplicationCommandInteraction {
    const guildId = this.#guildOf(spec);
    const command = this.#findCommand(spec.name, ApplicationCommandType.ChatInput, guildId);
    let definitions = command?.options;
    let options = this.#commandOptions(spec.options, definitions);
    if (spec.subcommand !== undefined) {
      const group =
        spec.subcommandGroup === undefined
          ? undefined
          : definitions?.find((o) => o.name === spec.subcommandGroup);
      const groupOptions =
        group && 'options' in group
          ? (group.options as APIApplicationCommandOption[] | undefined)
          : undefined;
      const sub = (groupOptions ?? definitions)?.find((o) => o.name === spec.subcommand);
      definitions = sub && 'options' in sub ? sub.options : undefined;
      options = this.#commandOptions(spec.options, definitions);
      const subOption = {
        name: spec.subcommand,
        type: ApplicationCommandOptionType.Subcommand,
        options,
      } as APIApplicationCommandInteractionDataOption;
      options =
        spec.subcommandGroup === undefined
          ? [subOption]
          : [
              {
                name: spec.subcommandGroup,
                type: ApplicationCommandOptionType.SubcommandGroup,
                options: [subOption],
              } as APIApplicationCommandInteractionDataOption,
            ];
    }
    const resolved = this.#resolvedFor(options);
    const data: APIChatInputApplicationCommandInteraction['data'] = {
      id: command?.id ?? this.#ids.next(),
      type: ApplicationCommandType.ChatInput,
      name: spec.name,
      options,
    };
    if (resolved) data.resolved = resolved;
    if (command?.guild_id !== undefined) data.guild_id = command.guild_id;
    const payload = {
      ...this.#interactionBase(spec, InteractionType.ApplicationCommand),
      data,
    } as APIChatInputApplicationCommandInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches an autocomplete interaction (type 4) with `focused` as the focused option. */
  autocomplete(spec: AutocompleteSpec): APIApplicationCommandAutocompleteInteraction {
    const guildId = this.#guildOf(spec);
    const command = this.#findCommand(spec.name, ApplicationCommandType.ChatInput, guildId);
    let definitions = command?.options;
    if (spec.subcommand !== undefined) {
      const sub = definitions?.find((o) => o.name === spec.subcommand);
      definitions = sub && 'options' in sub ? sub.options : undefined;
    }
    const others = this.#commandOptions(spec.options, definitions);
    const focusedDef = definitions?.find((o) => o.name === spec.focused);
    const focusedType =
      focusedDef?.type === ApplicationCommandOptionType.Integer ||
      focusedDef?.type === ApplicationCommandOptionType.Number
        ? focusedDef.type
        : ApplicationCommandOptionType.String;
    let options = [
      ...others,
      { name: spec.focused, type: focusedType, value: spec.value, focused: true },
    ] as APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommandAutocomplete>[];
    if (spec.subcommand !== undefined) {
      options = [
        { name: spec.subcommand, type: ApplicationCommandOptionType.Subcommand, options },
      ] as APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommandAutocomplete>[];
    }
    const data: APIApplicationCommandAutocompleteInteraction['data'] = {
      id: command?.id ?? this.#ids.next(),
      type: ApplicationCommandType.ChatInput,
      name: spec.name,
      options,
    };
    if (command?.guild_id !== undefined) data.guild_id = command.guild_id;
    const payload = {
      ...this.#interactionBase(spec, InteractionType.ApplicationCommandAutocomplete),
      data,
    } as APIApplicationCommandAutocompleteInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a button click (type 3, component_type 2) on `message`. */
  button(spec: ButtonSpec): APIMessageComponentButtonInteraction {
    const message = this.#resolveMessage(spec.message);
    const payload = {
      ...this.#interactionBase(this.#actorForMessage(spec, message), InteractionType.MessageComponent),
      message: clone(message),
      data: { custom_id: spec.customId, component_type: ComponentType.Button },
    } as APIMessageComponentButtonInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a string-select choice (type 3, component_type 3) on `message`. */
  selectMenu(spec: SelectMenuSpec): APIMessageComponentSelectMenuInteraction {
    const message = this.#resolveMessage(spec.message);
    const payload = {
      ...this.#interactionBase(this.#actorForMessage(spec, message), InteractionType.MessageComponent),
      message: clone(message),
      data: { custom_id: spec.customId, component_type: ComponentType.StringSelect, values: spec.values },
    } as APIMessageComponentSelectMenuInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a message context-menu command (type 2, data.type 3) used on `targetMessage`. */
  messageContextMenu(spec: MessageContextMenuSpec): APIMessageApplicationCommandInteraction {
    const target = this.#resolveMessage(spec.targetMessage);
    const actor = this.#actorForMessage(spec, target);
    const command = this.#findCommand(spec.name, ApplicationCommandType.Message, this.#guildOf(actor));
    const data: APIMessageApplicationCommandInteraction['data'] = {
      id: command?.id ?? this.#ids.next(),
      type: ApplicationCommandType.Message,
      name: spec.name,
      target_id: target.id,
      resolved: { messages: { [target.id]: clone(target) } },
    };
    if (command?.guild_id !== undefined) data.guild_id = command.guild_id;
    const payload = {
      ...this.#interactionBase(actor, InteractionType.ApplicationCommand),
      data,
    } as APIMessageApplicationCommandInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a user context-menu command (type 2, data.type 2) used on `targetUser`. */
  userContextMenu(spec: UserContextMenuSpec): APIUserApplicationCommandInteraction {
    const guildId = this.#guildOf(spec);
    const command = this.#findCommand(spec.name, ApplicationCommandType.User, guildId);
    const target = spec.targetUser;
    const resolved: APIUserApplicationCommandInteraction['data']['resolved'] = {
      users: { [target.id]: clone(target) },
    };
    const member = this.#members.get(target.id);
    if (guildId !== null && member) {
      const { user: _user, ...rest } = member;
      resolved.members = { [target.id]: { ...clone(rest), permissions: this.#options.everyonePermissions } };
    }
    const data: APIUserApplicationCommandInteraction['data'] = {
      id: command?.id ?? this.#ids.next(),
      type: ApplicationCommandType.User,
      name: spec.name,
      target_id: target.id,
      resolved,
    };
    if (command?.guild_id !== undefined) data.guild_id = command.guild_id;
    const payload = {
      ...this.#interactionBase(spec, InteractionType.ApplicationCommand),
      data,
    } as APIUserApplicationCommandInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a modal submission (type 5) with text-input values. */
  modalSubmit(spec: ModalSubmitSpec): APIModalSubmitInteraction {
    const message = spec.message === undefined ? undefined : this.#resolveMessage(spec.message);
    const actor = message ? { channelId: message.channel_id, ...spec } : spec;
    const payload = {
      ...this.#interactionBase(actor, InteractionType.ModalSubmit),
      data: {
        custom_id: spec.customId,
        components: Object.entries(spec.fields).map(([customId, value]) => ({
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.TextInput, custom_id: customId, value }],
        })),
      },
      ...(message ? { message: clone(message) } : {}),
    } as APIModalSubmitInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /**
   * Dispatches MESSAGE_CREATE for a message written by a user (or bot, or webhook) and stores it, so that
   * `message.fetchReference()` and `channel.messages.fetch(id)` work. Returns the stored message.
   */
  message(spec: MessageSpec): APIMessage {
    let author = spec.author ?? this.user;
    if (spec.isBot && !author.bot) author = { ...author, bot: true };
    if (spec.webhookId !== undefined) {
      author = {
        ...buildUser(spec.webhookId, { username: author.username, globalName: null }),
        bot: true,
        discriminator: '0000',
      };
    }
    let channelId = spec.channelId ?? this.channelId;
    if (spec.dm) channelId = this.#dmChannelFor(author).id;
    const channel = this.#channels.get(channelId);
    if (!channel)
      throw new Error(
        `LocalDiscord.message: unknown channel ${channelId}; create threads through the bot first`,
      );
    const message = buildMessage({ id: this.#ids.next(), channelId, author, content: spec.content });
    if (spec.webhookId !== undefined) message.webhook_id = spec.webhookId;
    if (spec.embeds) message.embeds = clone(spec.embeds);
    if (spec.attachments) message.attachments = clone(spec.attachments);
    const mentions =
      spec.mentions ?? mentionedUserIds(spec.content).flatMap((id) => this.#users.get(id) ?? []);
    message.mentions = clone(mentions);
    message.mention_roles = mentionedRoleIds(spec.content).filter((id) =>
      this.#roles.some((r) => r.id === id),
    );
    message.mention_everyone = spec.mentionEveryone ?? mentionsEveryone(spec.content);
    if (spec.referencedMessage !== undefined) {
      const referenced = this.#resolveMessage(spec.referencedMessage);
      message.type = MessageType.Reply;
      message.message_reference = { type: 0, message_id: referenced.id, channel_id: referenced.channel_id };
      if (!spec.dm) message.message_reference.guild_id = this.guildId;
      message.referenced_message = stripReference(referenced);
      if ((spec.pingRepliedUser ?? true) && !message.mentions.some((u) => u.id === referenced.author.id)) {
        message.mentions.push(clone(referenced.author));
      }
    }
    this.dispatch('MESSAGE_CREATE', this.#gatewayMessage(message));
    return clone(message);
  }

  // ---------------------------------------------------------------- internals: state

  #addUser(user: APIUser): void {
    this.#users.set(user.id, user);
    const roles = user.id === this.bot.id ? [this.botRoleId] : [];
    this.#members.set(user.id, buildMember(user, roles, this.#joinedAt));
  }

  #guildOf(actor: ActorSpec): string | null {
    return actor.guildId === undefined ? this.guildId : actor.guildId;
  }

  #dmChannelFor(user: APIUser): APIChannel {
    for (const channel of this.#channels.values()) {
      if (channel.type === ChannelType.DM && channel.recipients?.some((r) => r.id === user.id))
        return channel;
    }
    const channel = buildDmChannel(this.#ids.next(), user);
    this.#channels.set(channel.id, channel);
    return channel;
  }

  #findCommand(
    name: string,
    type: ApplicationCommandType,
    guildId: string | null,
  ): APIApplicationCommand | undefined {
    const scopes = guildId === null ? ['global'] : [guildId, 'global'];
    for (const scope of scopes) {
      const found = this.#commands.get(scope)?.find((c) => c.name === name && c.type === type);
      if (found) return found;
    }
    return undefined;
  }

  #commandOptions(
    spec: CommandOptionsSpec | undefined,
    definitions: APIApplicationCommandOption[] | undefined,
  ): APIApplicationCommandInteractionDataOption[] {
    if (spec === undefined) return [];
    if (Array.isArray(spec)) return clone(spec);
    return Object.entries(spec).map(([name, value]) => {
      const declared = definitions?.find((o) => o.name === name)?.type;
      let type: ApplicationCommandOptionType;
      if (declared !== undefined) type = declared;
      else if (typeof value === 'boolean') type = ApplicationCommandOptionType.Boolean;
      else if (typeof value === 'number') {
        type = Number.isInteger(value)
          ? ApplicationCommandOptionType.Integer
          : ApplicationCommandOptionType.Number;
      } else type = ApplicationCommandOptionType.String;
      return { name, type, value } as APIApplicationCommandInteractionDataOption;
    });
  }

  #resolvedFor(
    options: APIApplicationCommandInteractionDataOption[],
  ): APIInteractionDataResolved | undefined {
    const resolved: APIInteractionDataResolved = {};
    const visit = (list: APIApplicationCommandInteractionDataOption[]): void => {
      for (const option of list) {
        if ('options' in option && Array.isArray(option.options)) {
          visit(option.options);
          continue;
        }
        if (!('value' in option) || typeof option.value !== 'string') continue;
        const id = option.value;
        const userLike =
          option.type === ApplicationCommandOptionType.User ||
          option.type === ApplicationCommandOptionType.Mentionable;
        const user = userLike ? this.#users.get(id) : undefined;
        if (user) {
          (resolved.users ??= {})[id] = clone(user);
          const member = this.#members.get(id);
          if (member) {
            const { user: _user, ...rest } = member;
            (resolved.members ??= {})[id] = {
              ...clone(rest),
              permissions: this.#options.everyonePermissions,
            };
          }
        }
        const roleLike =
          option.type === ApplicationCommandOptionType.Role ||
          option.type === ApplicationCommandOptionType.Mentionable;
        const role = roleLike ? this.#roles.find((r) => r.id === id) : undefined;
        if (role) (resolved.roles ??= {})[id] = clone(role);
        const channel =
          option.type === ApplicationCommandOptionType.Channel ? this.#channels.get(id) : undefined;
        if (channel) {
          (resolved.channels ??= {})[id] = {
            id: channel.id,
            type: channel.type,
            name: channel.name ?? '',
            permissions: this.#options.everyonePermissions,
          };
        }
      }
    };
    visit(options);
    return Object.keys(resolved).length > 0 ? resolved : undefined;
  }

  #resolveMessage(message: APIMessage | string): APIMessage {
    if (typeof message !== 'string') return this.#messages.get(message.id) ?? message;
    const stored = this.#messages.get(message);
    if (!stored) throw new Error(`LocalDiscord: no stored message ${message}`);
    return stored;
  }

  #actorForMessage(spec: Omit<ActorSpec, 'channelId' | 'guildId'>, message: APIMessage): ActorSpec {
    const channel = this.#channels.get(message.channel_id);
    const guildId =
      channel && 'guild_id' in channel && channel.guild_id !== undefined ? channel.guild_id : null;
    return {
      ...spec,
      channelId: message.channel_id,
      guildId: channel?.type === ChannelType.DM ? null : guildId,
    };
  }

  #interactionBase(actor: ActorSpec, type: InteractionType): JsonObject {
    const user = actor.user ?? this.user;
    if (!this.#users.has(user.id)) this.#addUser(user);
    const guildId = this.#guildOf(actor);
    const channel =
      guildId === null
        ? actor.channelId !== undefined && this.#channels.has(actor.channelId)
          ? (this.#channels.get(actor.channelId) as APIChannel)
          : this.#dmChannelFor(user)
        : this.#channels.get(actor.channelId ?? this.channelId);
    if (!channel) throw new Error(`LocalDiscord: unknown channel ${actor.channelId ?? ''}`);
    const appPermissions =
      actor.appPermissions ??
      (BigInt(this.#options.everyonePermissions) | BigInt(this.#options.botPermissions)).toString();
    const base: JsonObject = {
      id: this.#ids.next(),
      application_id: this.applicationId,
      type,
      token: randomToken('itok'),
      version: 1,
      channel: clone(channel),
      channel_id: channel.id,
      app_permissions: appPermissions,
      locale: actor.locale ?? 'en-US',
      entitlements: [],
      attachment_size_limit: 10_485_760,
    };
    if (guildId === null) {
      base.user = clone(user);
      base.context = 1 satisfies InteractionContextType.BotDM;
      base.authorizing_integration_owners = { '1': user.id };
    } else {
      const member = this.#members.get(user.id) ?? buildMember(user, [], this.#joinedAt);
      const interactionMember: APIInteractionGuildMember = {
        ...clone(member),
        user: clone(user),
        permissions: actor.memberPermissions ?? this.#options.everyonePermissions,
      };
      base.guild_id = guildId;
      base.guild = { id: guildId, locale: 'en-US', features: [] };
      base.guild_locale = 'en-US';
      base.member = interactionMember;
      base.context = 0 satisfies InteractionContextType.Guild;
      base.authorizing_integration_owners = { '0': guildId };
    }
    return base;
  }

  #registerInteraction(payload: APIInteraction): void {
    const state: InteractionState = {
      id: payload.id,
      token: payload.token,
      payload: clone(payload),
      dispatchedAt: Date.now(),
      followups: [],
      messageIds: new Set(),
      updatePending: false,
    };
    this.#interactions.set(state.id, state);
    this.#tokens.set(state.token, state);
  }

  #storeMessage(message: APIMessage): void {
    const stored = clone(message);
    delete (stored as Partial<APIMessage> & { guild_id?: string; member?: unknown }).member;
    delete (stored as { guild_id?: string }).guild_id;
    const isNew = !this.#messages.has(stored.id);
    this.#messages.set(stored.id, stored);
    if (isNew && ((stored.flags ?? 0) & EPHEMERAL) === 0) {
      const list = this.#channelMessages.get(stored.channel_id) ?? [];
      list.push(stored.id);
      this.#channelMessages.set(stored.channel_id, list);
      const channel = this.#channels.get(stored.channel_id);
      if (channel && 'last_message_id' in channel) channel.last_message_id = stored.id;
      if (channel && isThread(channel)) {
        channel.message_count = (channel.message_count ?? 0) + 1;
        channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
      }
    }
  }

  /** Adds `guild_id` and `member` as MESSAGE_CREATE carries them for guild messages. */
  #gatewayMessage(message: APIMessage): JsonObject {
    const payload: JsonObject = { ...clone(message) };
    const channel = this.#channels.get(message.channel_id);
    if (channel && channel.type !== ChannelType.DM) {
      payload.guild_id = this.guildId;
      const member = this.#members.get(message.author.id);
      if (member && message.webhook_id === undefined) {
        const { user: _user, ...rest } = member;
        payload.member = clone(rest);
      }
    }
    return payload;
  }

  #echo(type: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: APIMessage): void {
    if (!this.#options.echoBotMessages || ((message.flags ?? 0) & EPHEMERAL) !== 0) return;
    this.#gateway.dispatch(type, this.#gatewayMessage(message));
  }

  #echoDelete(message: APIMessage): void {
    if (!this.#options.echoBotMessages || ((message.flags ?? 0) & EPHEMERAL) !== 0) return;
    const channel = this.#channels.get(message.channel_id);
    const d: JsonObject = { id: message.id, channel_id: message.channel_id };
    if (channel && channel.type !== ChannelType.DM) d.guild_id = this.guildId;
    this.#gateway.dispatch('MESSAGE_DELETE', d);
  }

  #deleteMessage(message: APIMessage): void {
    this.#messages.delete(message.id);
    const list = this.#channelMessages.get(message.channel_id);
    if (list)
      this.#channelMessages.set(
        message.channel_id,
        list.filter((id) => id !== message.id),
      );
    this.#echoDelete(message);
  }

  /** Mentions a bot-sent message produces, honouring `allowed_mentions` (who actually gets pinged). */
  #applyMentions(message: APIMessage, body: JsonObject, isReply: boolean): void {
    const allowed = isObject(body.allowed_mentions) ? body.allowed_mentions : undefined;
    const parse = Array.isArray(allowed?.parse)
      ? (allowed.parse as unknown[])
      : allowed
        ? []
        : ['users', 'roles', 'everyone'];
    const users = Array.isArray(allowed?.users) ? (allowed.users as unknown[]).map(String) : [];
    const roles = Array.isArray(allowed?.roles) ? (allowed.roles as unknown[]).map(String) : [];
    const content = message.content;
    message.mentions = mentionedUserIds(content)
      .filter((id) => parse.includes('users') || users.includes(id))
      .flatMap((id) => (this.#users.get(id) ? [clone(this.#users.get(id) as APIUser)] : []));
    message.mention_roles = mentionedRoleIds(content).filter(
      (id) => parse.includes('roles') || roles.includes(id),
    );
    message.mention_everyone = mentionsEveryone(content) && parse.includes('everyone');
    const repliedUser = allowed ? allowed.replied_user === true : true;
    const referenced = message.referenced_message;
    if (
      isReply &&
      referenced &&
      repliedUser &&
      !message.mentions.some((u) => u.id === referenced.author.id)
    ) {
      message.mentions.push(clone(referenced.author));
    }
  }

  /** Applies a create/edit body to a message. */
  #applyBody(message: APIMessage, body: JsonObject, files: UploadedFile[], creating: boolean): void {
    if ('content' in body) message.content = str(body.content) ?? '';
    if ('embeds' in body)
      message.embeds = Array.isArray(body.embeds) ? (clone(body.embeds) as APIMessage['embeds']) : [];
    if ('components' in body) {
      message.components = Array.isArray(body.components)
        ? (clone(body.components) as NonNullable<APIMessage['components']>)
        : [];
    }
    if ('poll' in body && isObject(body.poll))
      message.poll = clone(body.poll) as unknown as NonNullable<APIMessage['poll']>;
    if (typeof body.tts === 'boolean') message.tts = body.tts;
    if (typeof body.nonce === 'string' || typeof body.nonce === 'number') message.nonce = body.nonce;
    if (typeof body.flags === 'number') {
      const keep = (message.flags ?? 0) & ~SETTABLE_FLAGS;
      message.flags = keep | (body.flags & SETTABLE_FLAGS);
    }
    const uploaded = buildAttachments(this.#ids, message.channel_id, files, body.attachments);
    if (!creating && Array.isArray(body.attachments)) {
      const keepIds = new Set(
        (body.attachments as unknown[]).flatMap((a) =>
          isObject(a) && (typeof a.id === 'string' || typeof a.id === 'number') ? [String(a.id)] : [],
        ),
      );
      message.attachments = message.attachments.filter((a) => keepIds.has(a.id));
    }
    message.attachments = [...message.attachments, ...uploaded];
    if (!creating) message.edited_timestamp = new Date().toISOString();
    if (creating || 'content' in body || 'allowed_mentions' in body) {
      this.#applyMentions(message, body, message.message_reference !== undefined);
    }
  }

  // ---------------------------------------------------------------- internals: gateway payloads

  #readyData(sessionId: string, resumeUrl: string): Record<string, unknown> {
    const ready: GatewayReadyDispatchData & Record<string, unknown> = {
      v: 10,
      user: { ...clone(this.bot), verified: true, mfa_enabled: false },
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: sessionId,
      resume_gateway_url: resumeUrl,
      shard: [0, 1],
      application: { id: this.applicationId, flags: noFlags(), flags_new: '0' },
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    };
    return ready;
  }

  #guildCreateData(): JsonObject {
    const channels = [...this.#channels.values()].filter(
      (c) => c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement,
    );
    const threads = [...this.#channels.values()].filter(
      (c) => isThread(c) && c.thread_metadata?.archived !== true,
    );
    return {
      id: this.guildId,
      name: this.#options.guildName,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.owner.id,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      roles: clone(this.#roles),
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: this.channelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500_000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
      hub_type: null,
      joined_at: this.#joinedAt,
      large: false,
      unavailable: false,
      lazy: true,
      member_count: this.#members.size,
      voice_states: [],
      members: clone([...this.#members.values()]),
      channels: clone(channels),
      threads: clone(threads),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  #membersChunk(request: unknown): Record<string, unknown> {
    const req = isObject(request) ? request : {};
    const ids = Array.isArray(req.user_ids)
      ? (req.user_ids as unknown[]).map(String)
      : typeof req.user_ids === 'string'
        ? [req.user_ids]
        : undefined;
    const query = str(req.query)?.toLowerCase() ?? '';
    const limit = typeof req.limit === 'number' && req.limit > 0 ? req.limit : Infinity;
    const members = [...this.#members.values()]
      .filter((m) => (ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query)))
      .slice(0, limit);
    const chunk: Record<string, unknown> = {
      guild_id: this.guildId,
      members: clone(members),
      chunk_index: 0,
      chunk_count: 1,
    };
    if (req.nonce !== undefined) chunk.nonce = req.nonce;
    if (ids) chunk.not_found = ids.filter((id) => !this.#members.has(id));
    return chunk;
  }

  /** Drops or trims events the way Discord does for the session's intents. */
  #prepareForIntents(t: string, d: unknown, intents: number): unknown {
    const has = (bit: number): boolean => (intents & bit) !== 0;
    if (t === 'MESSAGE_CREATE' || t === 'MESSAGE_UPDATE' || t === 'MESSAGE_DELETE') {
      const inGuild = isObject(d) && typeof d.guild_id === 'string';
      if (!has(inGuild ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages)) return null;
      if (t === 'MESSAGE_DELETE' || !isObject(d) || has(GatewayIntentBits.MessageContent) || !inGuild)
        return d;
      const author = isObject(d.author) ? d.author : {};
      const mentionsBot =
        Array.isArray(d.mentions) && d.mentions.some((u) => isObject(u) && u.id === this.bot.id);
      if (author.id === this.bot.id || mentionsBot) return d;
      return { ...d, content: '', embeds: [], attachments: [], components: [], poll: undefined };
    }
    if (t.startsWith('THREAD_') || t.startsWith('CHANNEL_') || t.startsWith('GUILD_ROLE_')) {
      return has(GatewayIntentBits.Guilds) ? d : null;
    }
    if (t.startsWith('MESSAGE_REACTION_')) {
      const inGuild = isObject(d) && typeof d.guild_id === 'string';
      return has(inGuild ? GatewayIntentBits.GuildMessageReactions : GatewayIntentBits.DirectMessageReactions)
        ? d
        : null;
    }
    if (t === 'GUILD_MEMBER_ADD' || t === 'GUILD_MEMBER_UPDATE' || t === 'GUILD_MEMBER_REMOVE') {
      return has(GatewayIntentBits.GuildMembers) ? d : null;
    }
    return d;
  }

  // ---------------------------------------------------------------- internals: HTTP

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', this.#baseUrl || 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const rawSegments = url.pathname.split('/').filter((s) => s.length > 0);
    const segments = rawSegments.map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    const path = `/${segments.join('/')}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const raw = await readBody(req);
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
    });

    const call: RestCall = {
      method,
      path,
      query,
      route: 'unknown',
      params: {},
      body: undefined,
      files: [],
      headers,
      at,
      status: 0,
      response: undefined,
      fault: false,
    };

    let reply: Reply | undefined;
    try {
      const parsed = await parseBody(raw, headers['content-type'] ?? '');
      call.body = parsed.body;
      call.files = parsed.files;
    } catch {
      reply = error(400, 50109, 'The request body contains invalid JSON.');
    }

    const matched = this.#match(method, segments);
    if (matched) {
      call.route = matched.route.name;
      call.params = matched.params;
      const state = this.#stateForParams(matched.params);
      if (state) call.interactionId = state.id;
    }

    if (!reply) {
      const rule = this.#takeRule(call);
      if (rule?.kind === 'delay' && rule.delayMs !== undefined) {
        await this.#sleep(rule.delayMs);
        if (!this.#started) return;
      } else if (rule?.kind === 'fault' && rule.fault) {
        reply = faultReply(rule.fault);
        call.fault = true;
      }
    }

    if (!reply) {
      if (!matched) {
        reply = httpError(404, 'Not Found');
        if (this.#options.logUnknownRoutes) {
          process.stderr.write(
            `[local-discord] unhandled route ${method} ${path} -> 404 (add it to src/testing/local-discord/server.ts)\n`,
          );
        }
      } else if (
        !isUnauthenticated(matched.route.name) &&
        !(headers.authorization ?? '').startsWith('Bot ')
      ) {
        reply = httpError(401, 'Unauthorized');
      } else {
        const params = matched.params;
        reply = matched.route.handle({
          call,
          query: url.searchParams,
          body: call.body,
          files: call.files,
          param: (name) => {
            const value = params[name];
            if (value === undefined) throw new Error(`route ${matched.route.name} has no parameter ${name}`);
            return value;
          },
        });
      }
    }

    call.status = reply.status;
    call.response = reply.body;
    this.calls.push(call);
    writeReply(res, reply);
    this.#notify();
  }

  #match(
    method: string,
    segments: string[],
  ): { route: RouteDef; params: Record<string, string> } | undefined {
    const prefix = API_PREFIX.split('/').filter(Boolean);
    if (segments.length < prefix.length || prefix.some((p, i) => segments[i] !== p)) return undefined;
    const rest = segments.slice(prefix.length);
    for (const route of this.#routes) {
      if (route.method !== method || route.segments.length !== rest.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      route.segments.forEach((pattern, i) => {
        const actual = rest[i] ?? '';
        if (pattern.startsWith(':')) params[pattern.slice(1)] = actual;
        else if (pattern !== actual) ok = false;
      });
      if (ok) return { route, params };
    }
    return undefined;
  }

  #stateForParams(params: Record<string, string>): InteractionState | undefined {
    if (params.token !== undefined) return this.#tokens.get(params.token);
    if (params.interactionId !== undefined) return this.#interactions.get(params.interactionId);
    return undefined;
  }

  #takeRule(call: RestCall): FaultRule | undefined {
    const rule = this.#rules.find((r) => r.remaining > 0 && r.matches(call));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return rule;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  #describeCalls(): string {
    const lines = this.calls.slice(-10).map((c) => `  ${c.status} ${c.method} ${c.path} (${c.route})`);
    return lines.length > 0 ? lines.join('\n') : '  (none)';
  }

  // ---------------------------------------------------------------- internals: routes

  #buildRoutes(): RouteDef[] {
    const route = (
      method: string,
      pattern: string,
      name: RouteName,
      handle: (ctx: RequestContext) => Reply,
    ): RouteDef => ({
      method,
      segments: pattern.split('/').filter(Boolean),
      name,
      handle,
    });
    return [
      route('GET', '/gateway', 'getGateway', () => ({ status: 200, body: { url: this.#gateway.url } })),
      route('GET', '/gateway/bot', 'getGatewayBot', () => ({
        status: 200,
        body: {
          url: this.#gateway.url,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      })),
      route('GET', '/users/@me', 'getCurrentUser', () => ({ status: 200, body: clone(this.bot) })),
      route('GET', '/users/:userId', 'getUser', (ctx) => {
        const user = this.#users.get(ctx.param('userId'));
        return user ? { status: 200, body: clone(user) } : error(404, 10013, 'Unknown User');
      }),
      route('GET', '/applications/@me', 'getApplication', () => ({
        status: 200,
        body: this.#applicationObject(),
      })),
      route('GET', '/applications/:appId/commands', 'getGlobalCommands', (ctx) =>
        this.#getCommands(ctx, 'global'),
      ),
      route('PUT', '/applications/:appId/commands', 'putGlobalCommands', (ctx) =>
        this.#putCommands(ctx, 'global'),
      ),
      route('POST', '/applications/:appId/commands', 'createGlobalCommand', (ctx) =>
        this.#createCommand(ctx, 'global'),
      ),
      route('GET', '/applications/:appId/guilds/:guildId/commands', 'getGuildCommands', (ctx) =>
        this.#getCommands(ctx, ctx.param('guildId')),
      ),
      route('PUT', '/applications/:appId/guilds/:guildId/commands', 'putGuildCommands', (ctx) =>
        this.#putCommands(ctx, ctx.param('guildId')),
      ),
      route('POST', '/applications/:appId/guilds/:guildId/commands', 'createGuildCommand', (ctx) =>
        this.#createCommand(ctx, ctx.param('guildId')),
      ),
      route('POST', '/interactions/:interactionId/:token/callback', 'interactionCallback', (ctx) =>
        this.#callback(ctx),
      ),
      route('GET', '/webhooks/:appId/:token/messages/@original', 'getOriginal', (ctx) =>
        this.#getWebhookMessage(ctx, '@original'),
      ),
      route('PATCH', '/webhooks/:appId/:token/messages/@original', 'editOriginal', (ctx) =>
        this.#editWebhookMessage(ctx, '@original'),
      ),
      route('DELETE', '/webhooks/:appId/:token/messages/@original', 'deleteOriginal', (ctx) =>
        this.#deleteWebhookMessage(ctx, '@original'),
      ),
      route('POST', '/webhooks/:appId/:token', 'followup', (ctx) => this.#followup(ctx)),
      route('GET', '/webhooks/:appId/:token/messages/:messageId', 'getFollowup', (ctx) =>
        this.#getWebhookMessage(ctx, ctx.param('messageId')),
      ),
      route('PATCH', '/webhooks/:appId/:token/messages/:messageId', 'editFollowup', (ctx) =>
        this.#editWebhookMessage(ctx, ctx.param('messageId')),
      ),
      route('DELETE', '/webhooks/:appId/:token/messages/:messageId', 'deleteFollowup', (ctx) =>
        this.#deleteWebhookMessage(ctx, ctx.param('messageId')),
      ),
      route('GET', '/channels/:channelId', 'getChannel', (ctx) => {
        const channel = this.#channels.get(ctx.param('channelId'));
        return channel ? { status: 200, body: clone(channel) } : error(404, 10003, 'Unknown Channel');
      }),
      route('GET', '/channels/:channelId/messages', 'getMessages', (ctx) => this.#listMessages(ctx)),
      route('GET', '/channels/:channelId/messages/:messageId', 'getMessage', (ctx) => {
        const message = this.#channelMessage(ctx);
        return message ? { status: 200, body: clone(message) } : error(404, 10008, 'Unknown Message');
      }),
      route('POST', '/channels/:channelId/messages', 'createMessage', (ctx) => this.#createMessage(ctx)),
      route('PATCH', '/channels/:channelId/messages/:messageId', 'editMessage', (ctx) =>
        this.#editChannelMessage(ctx),
      ),
      route('DELETE', '/channels/:channelId/messages/:messageId', 'deleteMessage', (ctx) => {
        const message = this.#channelMessage(ctx);
        if (!message) return error(404, 10008, 'Unknown Message');
        this.#deleteMessage(message);
        return { status: 204 };
      }),
      route('POST', '/channels/:channelId/messages/:messageId/threads', 'startThread', (ctx) =>
        this.#startThread(ctx, true),
      ),
      route('POST', '/channels/:channelId/threads', 'startThreadWithoutMessage', (ctx) =>
        this.#startThread(ctx, false),
      ),
      route('PUT', '/channels/:channelId/thread-members/@me', 'joinThread', (ctx) =>
        this.#channels.has(ctx.param('channelId')) ? { status: 204 } : error(404, 10003, 'Unknown Channel'),
      ),
      route('POST', '/channels/:channelId/typing', 'typing', (ctx) =>
        this.#channels.has(ctx.param('channelId')) ? { status: 204 } : error(404, 10003, 'Unknown Channel'),
      ),
      route('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', 'addReaction', (ctx) =>
        this.#react(ctx, 1),
      ),
      route(
        'DELETE',
        '/channels/:channelId/messages/:messageId/reactions/:emoji/@me',
        'deleteOwnReaction',
        (ctx) => this.#react(ctx, -1),
      ),
      route('GET', '/guilds/:guildId', 'getGuild', (ctx) => {
        if (ctx.param('guildId') !== this.guildId) return error(404, 10004, 'Unknown Guild');
        const {
          members: _m,
          channels: _c,
          threads: _t,
          voice_states: _v,
          presences: _p,
          ...guild
        } = this.#guildCreateData();
        return { status: 200, body: guild };
      }),
      route('GET', '/guilds/:guildId/channels', 'getGuildChannels', (ctx) => {
        if (ctx.param('guildId') !== this.guildId) return error(404, 10004, 'Unknown Guild');
        return {
          status: 200,
          body: clone([...this.#channels.values()].filter((c) => c.type === ChannelType.GuildText)),
        };
      }),
      route('GET', '/guilds/:guildId/members/:userId', 'getMember', (ctx) => {
        if (ctx.param('guildId') !== this.guildId) return error(404, 10004, 'Unknown Guild');
        const member = this.#members.get(ctx.param('userId'));
        return member ? { status: 200, body: clone(member) } : error(404, 10007, 'Unknown Member');
      }),
    ];
  }

  #applicationObject(): JsonObject {
    return {
      id: this.applicationId,
      name: 'Footnote',
      icon: null,
      description: 'Answers questions from documents.',
      summary: '',
      type: null,
      bot_public: true,
      bot_require_code_grant: false,
      bot: clone(this.bot),
      owner: clone(this.owner),
      team: null,
      verify_key: '0'.repeat(64),
      flags: 0,
      flags_new: '0',
      hook: true,
      is_monetized: false,
      integration_types_config: { '0': {}, '1': {} },
      approximate_guild_count: 1,
      interactions_endpoint_url: null,
      redirect_uris: [],
    };
  }

  #getCommands(ctx: RequestContext, scope: string): Reply {
    if (ctx.param('appId') !== this.applicationId) return error(404, 10002, 'Unknown Application');
    return { status: 200, body: clone(this.#commands.get(scope) ?? []) };
  }

  #normaliseCommand(
    input: JsonObject,
    scope: string,
    existing: APIApplicationCommand[],
  ): APIApplicationCommand {
    const type =
      typeof input.type === 'number'
        ? (input.type as ApplicationCommandType)
        : ApplicationCommandType.ChatInput;
    const name = str(input.name) ?? '';
    const previous = existing.find((c) => c.name === name && c.type === type);
    const command = {
      default_member_permissions: null,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      description_localizations: null,
      name_localizations: null,
      ...clone(input),
      id: previous?.id ?? this.#ids.next(),
      application_id: this.applicationId,
      type,
      name,
      description: str(input.description) ?? '',
      version: this.#ids.next(),
    } as APIApplicationCommand;
    if (scope !== 'global') command.guild_id = scope;
    return command;
  }

  #putCommands(ctx: RequestContext, scope: string): Reply {
    if (ctx.param('appId') !== this.applicationId) return error(404, 10002, 'Unknown Application');
    if (scope !== 'global' && scope !== this.guildId) return error(403, 50001, 'Missing Access');
    const problem = validateCommandList(ctx.body);
    if (problem) return invalid(problem);
    const existing = this.#commands.get(scope) ?? [];
    const list = (ctx.body as unknown[]).map((c) => this.#normaliseCommand(c as JsonObject, scope, existing));
    this.#commands.set(scope, list);
    return { status: 200, body: clone(list) };
  }

  #createCommand(ctx: RequestContext, scope: string): Reply {
    if (ctx.param('appId') !== this.applicationId) return error(404, 10002, 'Unknown Application');
    if (scope !== 'global' && scope !== this.guildId) return error(403, 50001, 'Missing Access');
    const problem = validateCommandList([ctx.body]);
    if (problem) return invalid(problem);
    const existing = this.#commands.get(scope) ?? [];
    const command = this.#normaliseCommand(ctx.body as JsonObject, scope, existing);
    const isNew = !existing.some((c) => c.id === command.id);
    this.#commands.set(scope, [...existing.filter((c) => c.id !== command.id), command]);
    return { status: isNew ? 201 : 200, body: clone(command) };
  }

  #callback(ctx: RequestContext): Reply {
    const state = this.#interactions.get(ctx.param('interactionId'));
    if (!state || state.token !== ctx.param('token')) return error(404, 10062, 'Unknown interaction');
    if (state.callbackType !== undefined)
      return error(400, 40060, 'Interaction has already been acknowledged.');
    if (Date.now() - state.dispatchedAt > this.#options.interactionDeadlineMs) {
      return error(404, 10062, 'Unknown interaction');
    }
    const body = isObject(ctx.body) ? ctx.body : {};
    const type = body.type as InteractionResponseType;
    const data = isObject(body.data) ? body.data : {};
    const interactionType = state.payload.type;
    const allowed = allowedCallbacks(interactionType, state.payload.message !== undefined);
    if (!allowed.includes(type)) {
      return error(400, 50035, 'Invalid Form Body', {
        type: {
          _errors: [
            {
              code: 'INTERACTION_RESPONSE_TYPE_INVALID',
              message: `Response type ${String(body.type)} is not valid here`,
            },
          ],
        },
      });
    }

    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const problem = validateMessageBody(data, { fileCount: ctx.files.length, requireContent: true });
        if (problem) return invalid(problem);
        const message = this.#newInteractionMessage(
          state,
          (typeof data.flags === 'number' ? data.flags : 0) & EPHEMERAL,
        );
        this.#applyBody(message, data, ctx.files, true);
        this.#storeMessage(message);
        this.#echo('MESSAGE_CREATE', message);
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = ((typeof data.flags === 'number' ? data.flags : 0) & EPHEMERAL) | LOADING;
        const message = this.#newInteractionMessage(state, flags);
        this.#storeMessage(message);
        this.#echo('MESSAGE_CREATE', message);
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        const source = state.payload.message;
        if (!source) return error(400, 50035, 'Invalid Form Body');
        const message = this.#messages.get(source.id) ?? clone(source);
        if (type === InteractionResponseType.UpdateMessage) {
          const problem = validateMessageBody(data, { fileCount: ctx.files.length, requireContent: false });
          if (problem) return invalid(problem);
          this.#applyBody(message, data, ctx.files, false);
        }
        this.#storeMessage(message);
        state.original = message;
        state.messageIds.add(message.id);
        state.updatePending = type === InteractionResponseType.DeferredMessageUpdate;
        if (type === InteractionResponseType.UpdateMessage) this.#echo('MESSAGE_UPDATE', message);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const problem = validateAutocompleteChoices(data);
        if (problem) return invalid(problem);
        state.choices = clone(data.choices as unknown[]);
        break;
      }
      case InteractionResponseType.Modal: {
        const title = str(data.title) ?? '';
        const customId = str(data.custom_id) ?? '';
        if (title.length === 0 || [...title].length > 45 || customId.length === 0 || customId.length > 100) {
          return error(400, 50035, 'Invalid Form Body', {
            data: {
              _errors: [
                { code: 'BASE_TYPE_BAD_LENGTH', message: 'Modal title (1-45) or custom_id (1-100) invalid' },
              ],
            },
          });
        }
        state.modal = clone(data);
        break;
      }
      default:
        break;
    }
    state.callbackType = type;
    state.callbackAt = Date.now();
    state.callbackData = clone(data);

    if (ctx.query.get('with_response') !== 'true') return { status: 204 };
    const original = state.original;
    const interaction: JsonObject = { id: state.id, type: interactionType };
    if (original && type !== InteractionResponseType.DeferredMessageUpdate) {
      interaction.response_message_id = original.id;
      interaction.response_message_loading = ((original.flags ?? 0) & LOADING) !== 0;
      interaction.response_message_ephemeral = ((original.flags ?? 0) & EPHEMERAL) !== 0;
    }
    const resource: JsonObject = { type };
    if (original && type !== InteractionResponseType.DeferredMessageUpdate)
      resource.message = clone(original);
    return { status: 200, body: { interaction, resource } };
  }

  #newInteractionMessage(state: InteractionState, flags: number): APIMessage {
    const payload = state.payload;
    const isCommand = payload.type === InteractionType.ApplicationCommand;
    const commandType = isCommand ? payload.data.type : undefined;
    const type = !isCommand
      ? MessageType.Default
      : commandType === ApplicationCommandType.ChatInput
        ? MessageType.ChatInputCommand
        : MessageType.ContextMenuCommand;
    const message = buildMessage({
      id: this.#ids.next(),
      channelId: payload.channel?.id ?? this.channelId,
      author: this.bot,
      type,
    });
    message.flags = flags;
    message.webhook_id = this.applicationId;
    message.application_id = this.applicationId;
    message.interaction_metadata = this.#interactionMetadata(state);
    const user = payload.member?.user ?? payload.user;
    if (user) {
      message.interaction = {
        id: state.id,
        type: payload.type,
        name: isCommand ? payload.data.name : '',
        user: clone(user),
      };
    }
    state.original = message;
    state.messageIds.add(message.id);
    return message;
  }

  #interactionMetadata(
    state: InteractionState,
    originalResponseId?: string,
  ): NonNullable<APIMessage['interaction_metadata']> {
    const payload = state.payload;
    const user = clone(payload.member?.user ?? payload.user ?? this.user);
    const owners = clone(payload.authorizing_integration_owners);
    let metadata: JsonObject;
    if (payload.type === InteractionType.MessageComponent) {
      metadata = {
        id: state.id,
        type: payload.type,
        user,
        authorizing_integration_owners: owners,
        interacted_message_id: payload.message.id,
      };
    } else if (payload.type === InteractionType.ApplicationCommand) {
      metadata = {
        id: state.id,
        type: payload.type,
        user,
        authorizing_integration_owners: owners,
        name: payload.data.name,
        command_type: payload.data.type,
      };
      if (payload.data.type === ApplicationCommandType.Message)
        metadata.target_message_id = payload.data.target_id;
      if (payload.data.type === ApplicationCommandType.User) {
        const target = payload.data.resolved.users[payload.data.target_id];
        if (target) metadata.target_user = clone(target);
      }
    } else {
      metadata = { id: state.id, type: payload.type, user, authorizing_integration_owners: owners };
      if (payload.type === InteractionType.ModalSubmit) {
        metadata.triggering_interaction_metadata = {
          id: state.id,
          type: InteractionType.ApplicationCommand,
          user,
          authorizing_integration_owners: owners,
        };
      }
    }
    if (originalResponseId !== undefined) metadata.original_response_message_id = originalResponseId;
    return metadata as unknown as NonNullable<APIMessage['interaction_metadata']>;
  }

  #webhookState(ctx: RequestContext): InteractionState | undefined {
    const state = this.#tokens.get(ctx.param('token'));
    return state && ctx.param('appId') === this.applicationId ? state : undefined;
  }

  #webhookMessage(state: InteractionState, id: string): APIMessage | undefined {
    if (id === '@original') return state.original;
    return state.messageIds.has(id) ? this.#messages.get(id) : undefined;
  }

  #getWebhookMessage(ctx: RequestContext, id: string): Reply {
    const state = this.#webhookState(ctx);
    if (!state) return error(404, 10015, 'Unknown Webhook');
    const message = this.#webhookMessage(state, id);
    return message ? { status: 200, body: clone(message) } : error(404, 10008, 'Unknown Message');
  }

  #editWebhookMessage(ctx: RequestContext, id: string): Reply {
    const state = this.#webhookState(ctx);
    if (!state) return error(404, 10015, 'Unknown Webhook');
    const message = this.#webhookMessage(state, id);
    if (!message) return error(404, 10008, 'Unknown Message');
    const body = isObject(ctx.body) ? ctx.body : {};
    const problem = validateMessageBody(body, { fileCount: ctx.files.length, requireContent: false });
    if (problem) return invalid(problem);
    const wasLoading = ((message.flags ?? 0) & LOADING) !== 0;
    const next = clone(message);
    this.#applyBody(next, body, ctx.files, false);
    if (wasLoading) {
      next.flags = (next.flags ?? 0) & ~LOADING;
      next.edited_timestamp = null;
      if (validateMessageBody(next, { fileCount: 0, requireContent: true })) {
        return error(400, 50006, 'Cannot send an empty message');
      }
    }
    Object.assign(message, next);
    this.#storeMessage(message);
    if (id === '@original' || state.original?.id === message.id) {
      state.original = message;
      state.updatePending = false;
    }
    this.#echo('MESSAGE_UPDATE', message);
    return { status: 200, body: clone(message) };
  }

  #deleteWebhookMessage(ctx: RequestContext, id: string): Reply {
    const state = this.#webhookState(ctx);
    if (!state) return error(404, 10015, 'Unknown Webhook');
    const message = this.#webhookMessage(state, id);
    if (!message) return error(404, 10008, 'Unknown Message');
    this.#deleteMessage(message);
    if (state.original?.id === message.id) delete state.original;
    state.followups = state.followups.filter((m) => m.id !== message.id);
    state.messageIds.delete(message.id);
    return { status: 204 };
  }

  #followup(ctx: RequestContext): Reply {
    const state = this.#webhookState(ctx);
    if (!state || state.callbackType === undefined) return error(404, 10015, 'Unknown Webhook');
    const body = isObject(ctx.body) ? ctx.body : {};
    const problem = validateMessageBody(body, { fileCount: ctx.files.length, requireContent: true });
    if (problem) return invalid(problem);
    const wait = ctx.query.get('wait') === 'true';
    const original = state.original;
    let message: APIMessage;
    if (
      state.callbackType === InteractionResponseType.DeferredChannelMessageWithSource &&
      original &&
      ((original.flags ?? 0) & LOADING) !== 0
    ) {
      // Discord: the first follow-up after a deferred reply replaces the "thinking" message and keeps its ephemerality.
      message = original;
      this.#applyBody(message, body, ctx.files, true);
      message.flags = (message.flags ?? 0) & ~LOADING;
      this.#storeMessage(message);
      this.#echo('MESSAGE_UPDATE', message);
    } else {
      const flags = typeof body.flags === 'number' ? body.flags & EPHEMERAL : 0;
      const previousOriginal = state.original;
      message = this.#newInteractionMessage(state, flags);
      if (previousOriginal) state.original = previousOriginal;
      else delete state.original;
      message.type = MessageType.Default;
      message.interaction_metadata = this.#interactionMetadata(state, previousOriginal?.id);
      this.#applyBody(message, body, ctx.files, true);
      this.#storeMessage(message);
      state.followups.push(message);
      this.#echo('MESSAGE_CREATE', message);
    }
    return wait ? { status: 200, body: clone(message) } : { status: 204 };
  }

  #channelMessage(ctx: RequestContext): APIMessage | undefined {
    const message = this.#messages.get(ctx.param('messageId'));
    if (!message || message.channel_id !== ctx.param('channelId') || ((message.flags ?? 0) & EPHEMERAL) !== 0)
      return undefined;
    return message;
  }

  #listMessages(ctx: RequestContext): Reply {
    const channelId = ctx.param('channelId');
    if (!this.#channels.has(channelId)) return error(404, 10003, 'Unknown Channel');
    const limit = Math.min(100, Math.max(1, Number(ctx.query.get('limit') ?? 50) || 50));
    const before = ctx.query.get('before');
    const after = ctx.query.get('after');
    const around = ctx.query.get('around');
    let list = this.channelMessages(channelId);
    const id = (m: APIMessage): bigint => BigInt(m.id);
    if (before) list = list.filter((m) => id(m) < BigInt(before));
    if (after) list = list.filter((m) => id(m) > BigInt(after));
    if (around) {
      const pivot = list.findIndex((m) => m.id === around);
      const start = Math.max(0, (pivot === -1 ? list.length : pivot) - Math.floor(limit / 2));
      list = list.slice(start, start + limit);
    } else if (after && !before) {
      list = list.slice(0, limit);
    } else {
      list = list.slice(-limit);
    }
    return { status: 200, body: list.reverse() };
  }

  #createMessage(ctx: RequestContext): Reply {
    const channelId = ctx.param('channelId');
    const channel = this.#channels.get(channelId);
    if (!channel) return error(404, 10003, 'Unknown Channel');
    if (isThread(channel) && channel.thread_metadata?.locked) return error(403, 50083, 'Thread is archived');
    const body = isObject(ctx.body) ? ctx.body : {};
    const problem = validateMessageBody(body, { fileCount: ctx.files.length, requireContent: true });
    if (problem) return invalid(problem);
    const message = buildMessage({ id: this.#ids.next(), channelId, author: this.bot });
    const reference = isObject(body.message_reference) ? body.message_reference : undefined;
    const referencedId = typeof reference?.message_id === 'string' ? reference.message_id : undefined;
    if (reference && referencedId !== undefined && (reference.type === undefined || reference.type === 0)) {
      const referenced = this.#messages.get(referencedId);
      const sameChannel = referenced && referenced.channel_id === str(reference.channel_id ?? channelId);
      if (!referenced || !sameChannel) {
        if (reference.fail_if_not_exists !== false) {
          return error(400, 50035, 'Invalid Form Body', {
            message_reference: {
              _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }],
            },
          });
        }
      } else {
        message.type = MessageType.Reply;
        message.message_reference = { type: 0, message_id: referenced.id, channel_id: referenced.channel_id };
        if (channel.type !== ChannelType.DM) message.message_reference.guild_id = this.guildId;
        message.referenced_message = stripReference(referenced);
      }
    }
    this.#applyBody(message, body, ctx.files, true);
    this.#storeMessage(message);
    this.#echo('MESSAGE_CREATE', message);
    return { status: 200, body: clone(message) };
  }

  #editChannelMessage(ctx: RequestContext): Reply {
    const message = this.#channelMessage(ctx);
    if (!message) return error(404, 10008, 'Unknown Message');
    if (message.author.id !== this.bot.id)
      return error(403, 50005, 'Cannot edit a message authored by another user');
    const body = isObject(ctx.body) ? ctx.body : {};
    const problem = validateMessageBody(body, { fileCount: ctx.files.length, requireContent: false });
    if (problem) return invalid(problem);
    this.#applyBody(message, body, ctx.files, false);
    this.#echo('MESSAGE_UPDATE', message);
    return { status: 200, body: clone(message) };
  }

  #startThread(ctx: RequestContext, fromMessage: boolean): Reply {
    const parentId = ctx.param('channelId');
    const parent = this.#channels.get(parentId);
    if (!parent) return error(404, 10003, 'Unknown Channel');
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
      return error(400, 50024, 'Cannot execute action on this channel type');
    }
    const body = isObject(ctx.body) ? ctx.body : {};
    const name = str(body.name) ?? '';
    if (name.length === 0 || [...name].length > 100) {
      return error(400, 50035, 'Invalid Form Body', {
        name: {
          _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
        },
      });
    }
    let starter: APIMessage | undefined;
    if (fromMessage) {
      starter = this.#channelMessage(ctx);
      if (!starter) return error(404, 10008, 'Unknown Message');
      if (starter.thread || ((starter.flags ?? 0) & HAS_THREAD) !== 0) {
        return error(400, 160004, 'A thread has already been created for this message');
      }
    }
    const announcement = parent.type === ChannelType.GuildAnnouncement;
    const requestedType =
      typeof body.type === 'number' ? (body.type as ChannelType) : ChannelType.PrivateThread;
    const type = announcement
      ? ChannelType.AnnouncementThread
      : fromMessage || requestedType === ChannelType.PublicThread
        ? ChannelType.PublicThread
        : ChannelType.PrivateThread;
    const archive =
      typeof body.auto_archive_duration === 'number'
        ? (body.auto_archive_duration as ThreadAutoArchiveDuration)
        : (('default_auto_archive_duration' in parent ? parent.default_auto_archive_duration : undefined) ??
          ThreadAutoArchiveDuration.OneDay);
    const id = starter ? starter.id : this.#ids.next();
    const thread = buildThreadChannel({
      id,
      guildId: this.guildId,
      parentId,
      ownerId: this.bot.id,
      name,
      type,
      autoArchiveDuration: archive,
      createdAt: starter ? new Date().toISOString() : snowflakeIso(id),
      ...(type === ChannelType.PrivateThread ? { invitable: body.invitable !== false } : {}),
    });
    this.#channels.set(thread.id, thread);
    if (starter) {
      starter.thread = clone(thread);
      starter.flags = (starter.flags ?? 0) | HAS_THREAD;
    }
    this.#gateway.dispatch('THREAD_CREATE', { ...clone(thread), newly_created: true });
    return { status: 201, body: clone(thread) };
  }

  #react(ctx: RequestContext, delta: 1 | -1): Reply {
    const message = this.#channelMessage(ctx);
    if (!message) return error(404, 10008, 'Unknown Message');
    const emoji = ctx.param('emoji');
    const [name = emoji, emojiId] = emoji.split(':');
    const reactions = message.reactions ?? [];
    const existing = reactions.find((r) => (r.emoji.id ?? r.emoji.name) === (emojiId ?? name));
    if (delta > 0 && !existing?.me) {
      if (existing) {
        existing.count += 1;
        existing.me = true;
      } else {
        reactions.push({
          count: 1,
          me: true,
          me_burst: false,
          burst_colors: [],
          count_details: { burst: 0, normal: 1 },
          emoji: { id: emojiId ?? null, name },
        });
      }
    } else if (delta < 0 && existing?.me) {
      existing.count -= 1;
      existing.me = false;
    }
    message.reactions = reactions.filter((r) => r.count > 0);
    return { status: 204 };
  }
}

// ---------------------------------------------------------------- module helpers

function isThread(channel: APIChannel): channel is APIThreadChannel {
  return (
    channel.type === ChannelType.PublicThread ||
    channel.type === ChannelType.PrivateThread ||
    channel.type === ChannelType.AnnouncementThread
  );
}

/** A referenced message as Discord embeds it: one level deep. */
function stripReference(message: APIMessage): APIMessage {
  const copy = clone(message);
  delete copy.referenced_message;
  return copy;
}

function isUnauthenticated(route: RouteName): boolean {
  return (
    route === 'interactionCallback' ||
    route === 'followup' ||
    route.endsWith('Original') ||
    route.endsWith('Followup')
  );
}

function allowedCallbacks(type: InteractionType, hasMessage: boolean): InteractionResponseType[] {
  switch (type) {
    case InteractionType.ApplicationCommand:
      return [
        InteractionResponseType.ChannelMessageWithSource,
        InteractionResponseType.DeferredChannelMessageWithSource,
        InteractionResponseType.Modal,
        InteractionResponseType.LaunchActivity,
      ];
    case InteractionType.MessageComponent:
      return [
        InteractionResponseType.ChannelMessageWithSource,
        InteractionResponseType.DeferredChannelMessageWithSource,
        InteractionResponseType.DeferredMessageUpdate,
        InteractionResponseType.UpdateMessage,
        InteractionResponseType.Modal,
        InteractionResponseType.LaunchActivity,
      ];
    case InteractionType.ApplicationCommandAutocomplete:
      return [InteractionResponseType.ApplicationCommandAutocompleteResult];
    case InteractionType.ModalSubmit:
      return hasMessage
        ? [
            InteractionResponseType.ChannelMessageWithSource,
            InteractionResponseType.DeferredChannelMessageWithSource,
            InteractionResponseType.DeferredMessageUpdate,
            InteractionResponseType.UpdateMessage,
          ]
        : [
            InteractionResponseType.ChannelMessageWithSource,
            InteractionResponseType.DeferredChannelMessageWithSource,
          ];
    default:
      return [InteractionResponseType.Pong];
  }
}

function matcher(route: FaultSpec['route']): FaultRule['matches'] {
  return typeof route === 'string' ? (call) => call.route === route : route;
}

function faultReply(spec: FaultSpec): Reply {
  if (spec.status === 429) {
    const retryAfter = spec.retryAfterSeconds ?? 0.25;
    const headers: Record<string, string> = {
      'retry-after': String(retryAfter),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': retryAfter.toFixed(3),
      'x-ratelimit-bucket': 'local0discord0bucket',
      'x-ratelimit-scope': spec.global ? 'global' : 'user',
    };
    if (spec.global) headers['x-ratelimit-global'] = 'true';
    return {
      status: 429,
      headers,
      body: spec.body ?? {
        message: 'You are being rate limited.',
        retry_after: retryAfter,
        global: spec.global ?? false,
      },
    };
  }
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return {
    status: spec.status,
    body: spec.body ?? { message: `${spec.status}: ${texts[spec.status] ?? 'Error'}`, code: 0 },
  };
}

function writeReply(res: ServerResponse, reply: Reply): void {
  if (reply.status === 204 || reply.body === undefined) {
    // No content-type on empty answers: @discordjs/rest would try to parse an empty JSON body.
    res.writeHead(reply.status, reply.headers ?? {});
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let body: JsonObject = {};
    const fields: JsonObject = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value) as JsonObject;
        else fields[field] = value;
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({
          field,
          name: value.name,
          size: data.length,
          contentType: value.type || 'application/octet-stream',
          data,
        });
      }
    }
    return { body: { ...fields, ...body }, files };
  }
  const text = raw.toString('utf8');
  if (contentType.startsWith('application/json') || /^\s*[[{]/.test(text)) {
    return { body: JSON.parse(text) as unknown, files: [] };
  }
  return { body: text, files: [] };
}
