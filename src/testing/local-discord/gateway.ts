/**
 * A single-guild imitation of Discord's gateway (JSON encoding, no compression) for the local Discord server.
 *
 * It keeps one "current" session: dispatches get consecutive sequence numbers, are written to the session's socket
 * when one is attached, and are kept so that a RESUME replays whatever the client missed, as Discord does.
 */
import type { IncomingMessage, Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { GatewayOpcodes } from 'discord-api-types/v10';

/** What the gateway needs from the server that owns it. */
export interface GatewayHost {
  /** The `d` of the READY dispatch for a new session. */
  readyData(sessionId: string, resumeUrl: string): Record<string, unknown>;
  /** Dispatches sent right after READY (GUILD_CREATE for every guild). */
  initialEvents(): { t: string; d: unknown }[];
  /** Adapts an event to a session's intents; `null` drops it (the session did not subscribe to it). */
  prepare(t: string, d: unknown, intents: number): unknown;
  /** Answers op 8 REQUEST_GUILD_MEMBERS with the `d` of one GUILD_MEMBERS_CHUNK. */
  membersChunk(request: unknown): Record<string, unknown>;
  /** Called whenever gateway state changes (so waiters re-check their conditions). */
  changed(): void;
}

/** One entry of the gateway log: connections, payloads in both directions, closes. */
export interface GatewayLogEntry {
  /** Milliseconds since the epoch. */
  at: number;
  /** What happened. */
  kind: 'connect' | 'recv' | 'send' | 'close' | 'drop';
  /** Opcode of a payload. */
  op?: number;
  /** Dispatch type of an op 0 payload. */
  t?: string;
  /** Sequence number of an op 0 payload. */
  s?: number;
  /** Close code. */
  code?: number;
  /** Request path of a connection (`/` for the gateway URL, `/resume` for the resume URL). */
  path?: string;
  /** Session the entry belongs to, once known. */
  sessionId?: string;
  /** For op 6 RESUME: the sequence the client said it had. */
  resumeSeq?: number;
}

interface DispatchRecord {
  s: number;
  t: string;
  d: unknown;
  /** READY and RESUMED are never replayed. */
  replay: boolean;
}

interface Session {
  id: string;
  intents: number;
  seq: number;
  log: DispatchRecord[];
  socket: WebSocket | null;
  /** Highest sequence written to any socket of this session. */
  sentUpTo: number;
}

interface Connection {
  path: string;
  session: Session | null;
}

/** Options for {@link GatewayHub}. */
export interface GatewayOptions {
  /** Heartbeat interval announced in HELLO, in ms. */
  heartbeatIntervalMs: number;
}

/** The gateway half of the local Discord server. */
export class GatewayHub {
  /** Every connection, payload and close, in order. */
  readonly log: GatewayLogEntry[] = [];
  /** Answer op 1 heartbeats with op 11 (set to false to make discord.js see a zombie connection). */
  ackHeartbeats = true;
  /** Number of IDENTIFY payloads received. */
  identifyCount = 0;
  /** Number of successful RESUMEs. */
  resumeCount = 0;

  readonly #wss: WebSocketServer;
  readonly #host: GatewayHost;
  readonly #options: GatewayOptions;
  readonly #connections = new Map<WebSocket, Connection>();
  readonly #sessions = new Map<string, Session>();
  #current: Session | null = null;
  /** Dispatches made before any client identified. */
  #pending: { t: string; d: unknown }[] = [];
  #baseUrl = '';

  constructor(server: Server, host: GatewayHost, options: GatewayOptions) {
    this.#host = host;
    this.#options = options;
    this.#wss = new WebSocketServer({ server });
    this.#wss.on('connection', (ws, req) => this.#onConnection(ws, req));
  }

  /** Sets the `ws://host:port` base once the HTTP server listens. */
  setBaseUrl(url: string): void {
    this.#baseUrl = url;
  }

  /** The URL announced by `GET /gateway/bot`. */
  get url(): string {
    return this.#baseUrl;
  }

  /** The URL announced as `resume_gateway_url` in READY. */
  get resumeUrl(): string {
    return `${this.#baseUrl}/resume`;
  }

  /** Id of the current session, if a client has identified. */
  get sessionId(): string | undefined {
    return this.#current?.id;
  }

  /** Intents the current session identified with. */
  get intents(): number | undefined {
    return this.#current?.intents;
  }

  /** Whether the current session has an open, identified (or resumed) socket. */
  get connected(): boolean {
    return this.#current?.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends (or queues, while no client is attached) a dispatch event. */
  dispatch(t: string, d: unknown): void {
    const session = this.#current;
    if (!session) {
      this.#pending.push({ t, d });
      return;
    }
    this.#append(session, t, d, true);
    this.#flush(session);
  }

  /** Closes the current socket with a close frame; the session survives so the client can resume. */
  closeCurrent(code: number, reason = ''): boolean {
    const socket = this.#detachCurrent();
    if (!socket) return false;
    socket.close(code, reason);
    return true;
  }

  /** Destroys the current TCP connection without a close frame. */
  dropCurrent(): boolean {
    const socket = this.#detachCurrent();
    if (!socket) return false;
    this.#record({ kind: 'drop' });
    socket.terminate();
    return true;
  }

  /** Sends a raw non-dispatch payload (e.g. op 7 RECONNECT or op 9 INVALID_SESSION) on the current socket. */
  sendOp(op: number, d: unknown): boolean {
    const socket = this.#current?.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    this.#send(socket, { op, d, s: null, t: null });
    return true;
  }

  /** Forgets all sessions and queued events (the next client must identify). */
  reset(): void {
    this.#pending = [];
    this.#current = null;
    this.#sessions.clear();
    this.identifyCount = 0;
    this.resumeCount = 0;
    this.log.length = 0;
  }

  /** Terminates every socket and stops accepting connections. */
  async close(): Promise<void> {
    for (const socket of this.#connections.keys()) socket.terminate();
    this.#connections.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #detachCurrent(): WebSocket | null {
    const session = this.#current;
    const socket = session?.socket;
    if (!session || !socket || socket.readyState !== WebSocket.OPEN) return null;
    session.socket = null;
    this.#host.changed();
    return socket;
  }

  #onConnection(ws: WebSocket, req: IncomingMessage): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    this.#connections.set(ws, { path, session: null });
    this.#record({ kind: 'connect', path });
    ws.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(ws, data, isBinary));
    ws.on('close', (code: number) => this.#onClose(ws, code));
    ws.on('error', () => {
      // A terminated or reset socket; 'close' follows and does the bookkeeping.
    });
    this.#send(ws, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.#options.heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }

  #onClose(ws: WebSocket, code: number): void {
    const connection = this.#connections.get(ws);
    this.#connections.delete(ws);
    const sessionId = connection?.session?.id;
    this.#record({ kind: 'close', code, ...(sessionId === undefined ? {} : { sessionId }) });
    if (connection?.session?.socket === ws) connection.session.socket = null;
    this.#host.changed();
  }

  #onMessage(ws: WebSocket, data: RawData, isBinary: boolean): void {
    const connection = this.#connections.get(ws);
    if (!connection) return;
    let payload: unknown;
    try {
      const buffer = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      const text = buffer.toString('utf8');
      payload = isBinary ? undefined : JSON.parse(text);
    } catch {
      payload = undefined;
    }
    if (
      typeof payload !== 'object' ||
      payload === null ||
      !('op' in payload) ||
      typeof payload.op !== 'number'
    ) {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const op = payload.op as GatewayOpcodes;
    const d = 'd' in payload ? payload.d : undefined;
    const resumeSeq =
      op === GatewayOpcodes.Resume && isRecord(d) && typeof d.seq === 'number' ? d.seq : undefined;
    this.#record({
      kind: 'recv',
      op,
      ...(connection.session ? { sessionId: connection.session.id } : {}),
      ...(resumeSeq === undefined ? {} : { resumeSeq }),
    });

    switch (op) {
      case GatewayOpcodes.Heartbeat:
        if (this.ackHeartbeats)
          this.#send(ws, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(ws, connection, d);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(ws, connection, d);
        return;
      default:
        break;
    }
    if (!connection.session) {
      ws.close(4003, 'Not authenticated.');
      return;
    }
    switch (op) {
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        return;
      case GatewayOpcodes.RequestGuildMembers:
        this.#append(connection.session, 'GUILD_MEMBERS_CHUNK', this.#host.membersChunk(d), true);
        this.#flush(connection.session);
        return;
      default:
        ws.close(4001, 'Unknown opcode.');
    }
  }

  #identify(ws: WebSocket, connection: Connection, d: unknown): void {
    if (connection.session) {
      ws.close(4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || typeof d.token !== 'string' || d.token.length === 0) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    this.identifyCount += 1;
    const intents = typeof d.intents === 'number' ? d.intents : 0;
    const previous = this.#current;
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      intents,
      seq: 0,
      log: [],
      socket: null,
      sentUpTo: 0,
    };
    this.#sessions.set(session.id, session);
    this.#current = session;
    connection.session = session;

    this.#append(session, 'READY', this.#host.readyData(session.id, this.resumeUrl), false);
    for (const event of this.#host.initialEvents()) this.#append(session, event.t, event.d, true);
    // Events nobody ever received (dispatched before the first identify, or while a dead session had no socket)
    // are delivered to the new session rather than lost, so tests need not care when the client is connected.
    const carried = [...this.#pending];
    this.#pending = [];
    if (previous) {
      for (const record of previous.log) {
        if (record.s > previous.sentUpTo && record.replay) carried.push({ t: record.t, d: record.d });
      }
    }
    for (const event of carried) this.#append(session, event.t, event.d, true);
    session.socket = ws;
    this.#flush(session);
    this.#host.changed();
  }

  #resume(ws: WebSocket, connection: Connection, d: unknown): void {
    const session =
      isRecord(d) && typeof d.session_id === 'string' ? this.#sessions.get(d.session_id) : undefined;
    const seq = isRecord(d) && typeof d.seq === 'number' ? d.seq : -1;
    if (!session || session !== this.#current || seq < 0 || seq > session.seq) {
      this.#send(ws, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (session.socket && session.socket !== ws) {
      session.socket.close(4000, 'Session resumed elsewhere.');
    }
    this.resumeCount += 1;
    connection.session = session;
    session.socket = ws;
    // Replay everything after what the client has, including events written to a socket that died.
    for (const record of session.log) {
      if (record.s <= seq || !record.replay) continue;
      this.#send(ws, { op: GatewayOpcodes.Dispatch, t: record.t, s: record.s, d: record.d }, session.id);
    }
    session.sentUpTo = session.seq;
    this.#append(session, 'RESUMED', { _trace: ['local-discord'] }, false);
    this.#flush(session);
    this.#host.changed();
  }

  #append(session: Session, t: string, d: unknown, replay: boolean): void {
    const prepared = replay ? this.#host.prepare(t, d, session.intents) : d;
    if (prepared === null) return;
    session.seq += 1;
    session.log.push({ s: session.seq, t, d: prepared, replay });
  }

  #flush(session: Session): void {
    const socket = session.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    for (const record of session.log) {
      if (record.s <= session.sentUpTo) continue;
      this.#send(socket, { op: GatewayOpcodes.Dispatch, t: record.t, s: record.s, d: record.d }, session.id);
      session.sentUpTo = record.s;
    }
  }

  #send(
    socket: WebSocket,
    payload: { op: number; d: unknown; s: number | null; t: string | null },
    sessionId?: string,
  ): void {
    this.#record({
      kind: 'send',
      op: payload.op,
      ...(payload.t === null ? {} : { t: payload.t }),
      ...(payload.s === null ? {} : { s: payload.s }),
      ...(sessionId === undefined ? {} : { sessionId }),
    });
    socket.send(JSON.stringify(payload));
  }

  #record(entry: Omit<GatewayLogEntry, 'at'>): void {
    this.log.push({ at: Date.now(), ...entry });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
