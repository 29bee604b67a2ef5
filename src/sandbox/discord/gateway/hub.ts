import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { DiscordSandbox } from '../sandbox.js';
import type { SandboxBot } from '../state/model.js';
import { guildCreatePayload, memberPayload, userPayload } from '../state/payloads.js';
import { Intent, Op, opName } from './intents.js';
import { GatewaySession } from './session.js';
import { MAX_GUILDS_PER_SHARD, parseShard, UNSHARDED } from './shards.js';

interface Connection {
  ws: WebSocket;
  session: GatewaySession | null;
}

/**
 * The gateway: HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE, RESUME -> replay +
 * RESUMED, REQUEST_GUILD_MEMBERS, and dispatch to sessions filtered by guild membership,
 * shard (`(guild_id >> 22) % num_shards`, DMs on shard 0) and intents. IDENTIFY with an
 * invalid `shard` is closed with 4010; a session that would hold more than 2,500 guilds
 * with 4011 (Sharding required).
 *
 * @example
 * ```ts
 * const hub = new GatewayHub(sandbox);
 * wss.on('connection', (ws, req) => hub.accept(ws, req));
 * hub.dispatchToGuild(guildId, 'GUILD_MEMBER_ADD', payload, Intent.GuildMembers);
 * ```
 */
export class GatewayHub {
  readonly sessions = new Map<string, GatewaySession>();
  readonly #connections = new Set<Connection>();

  constructor(private readonly sb: DiscordSandbox) {}

  /** Open sockets. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  accept(ws: WebSocket, req: IncomingMessage): void {
    const conn: Connection = { ws, session: null };
    this.#connections.add(conn);
    this.record('CONNECT', req.url ?? '/', undefined, undefined);
    ws.on('message', (data) => this.onMessage(conn, String(data)));
    ws.on('close', (code) => {
      this.#connections.delete(conn);
      conn.session?.detach(ws);
      this.record('DISCONNECT', req.url ?? '/', { code }, conn.session?.bot);
    });
    ws.on('error', () => ws.terminate());
    this.send(ws, { op: Op.Hello, d: { heartbeat_interval: this.sb.options.heartbeatIntervalMs } });
  }

  /**
   * Dispatches to the sessions of a bot. `intent` 0 = always delivered. With `guildId`
   * (`null`: outside guilds), only to the shard that handles it; without, to every shard.
   */
  dispatchToBot(
    botUserId: string,
    t: string,
    d: unknown,
    intent = 0,
    guildId?: string | null,
  ): void {
    for (const s of this.sessions.values()) {
      if (s.bot.userId !== botUserId || (guildId !== undefined && !s.handles(guildId))) continue;
      if (intent === 0 || (s.intents & intent) !== 0) s.dispatch(t, d);
    }
  }

  /** Dispatches to every session whose bot is a member of the guild, on the guild's shard. */
  dispatchToGuild(guildId: string, t: string, d: unknown, intent = 0): void {
    const members = this.sb.store.members.get(guildId);
    for (const s of this.sessions.values()) {
      if (!members?.has(s.bot.userId) || !s.handles(guildId)) continue;
      if (intent === 0 || (s.intents & intent) !== 0) s.dispatch(t, d);
    }
  }

  /** Sends op 7 RECONNECT to every socket: clients reconnect and RESUME. */
  requestReconnect(): void {
    for (const c of this.#connections) this.send(c.ws, { op: Op.Reconnect, d: null });
  }

  /** Closes every socket with `code` (4000 = unknown error: clients resume). */
  disconnectAll(code = 4000): void {
    for (const c of this.#connections) c.ws.close(code, 'sandbox disconnect');
  }

  /** Forcibly ends every socket and forgets sessions. */
  terminateAll(): void {
    for (const c of this.#connections) c.ws.terminate();
    this.#connections.clear();
    this.sessions.clear();
  }

  private onMessage(conn: Connection, text: string): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text) as { op?: unknown; d?: unknown };
    } catch {
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    const d = (payload.d ?? null) as Record<string, unknown> | null;
    this.record(
      opName(op),
      '/',
      op === Op.Identify || op === Op.Resume ? redact(d) : d,
      conn.session?.bot,
    );
    if (op === Op.Heartbeat) {
      this.send(conn.ws, { op: Op.HeartbeatAck });
    } else if (op === Op.Identify) {
      this.identify(conn, d ?? {});
    } else if (op === Op.Resume) {
      this.resume(conn, d ?? {});
    } else if (!conn.session) {
      conn.ws.close(4003, 'Not authenticated.');
    } else if (op === Op.RequestGuildMembers) {
      this.requestMembers(conn.session, d ?? {});
    } else if (op !== Op.PresenceUpdate && op !== Op.VoiceStateUpdate) {
      conn.ws.close(4001, 'Unknown opcode.');
    }
  }

  private botForToken(token: unknown): SandboxBot | undefined {
    if (typeof token !== 'string') return undefined;
    return this.sb.store.botsByToken.get(token.replace(/^Bot /, ''));
  }

  private identify(conn: Connection, d: Record<string, unknown>): void {
    if (conn.session) return void conn.ws.close(4005, 'Already authenticated.');
    const bot = this.botForToken(d.token);
    if (!bot) return void conn.ws.close(4004, 'Authentication failed.');
    if (typeof d.intents !== 'number') return void conn.ws.close(4013, 'Invalid intent(s).');
    const shard = parseShard(d.shard);
    if (shard === null) return void conn.ws.close(4010, 'Invalid shard.');
    const session = new GatewaySession(
      randomBytes(16).toString('hex'),
      bot,
      d.intents,
      this.sb.options.replayBufferSize,
      shard ?? UNSHARDED,
    );
    const guildIds = this.sb.store.guildsOf(bot.userId).filter((id) => session.handles(id));
    if (guildIds.length > MAX_GUILDS_PER_SHARD)
      return void conn.ws.close(4011, 'Sharding required.');
    this.sessions.set(session.id, session);
    session.attach(conn.ws);
    conn.session = session;
    const user = this.sb.store.users.get(bot.userId);
    session.dispatch('READY', {
      v: 10,
      user: {
        ...(user ? userPayload(user) : { id: bot.userId }),
        verified: true,
        mfa_enabled: false,
        email: null,
      },
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: `${this.sb.wsUrl}/resume`,
      shard: [...session.shard],
      application: { id: bot.appId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['["discord-sandbox",{"micros":0}]'],
    });
    const allMembers = (d.intents & Intent.GuildPresences) !== 0;
    for (const id of guildIds) {
      const guild = this.sb.store.guilds.get(id);
      if (guild)
        session.dispatch(
          'GUILD_CREATE',
          guildCreatePayload(this.sb.store, guild, bot.userId, allMembers),
        );
    }
  }

  private resume(conn: Connection, d: Record<string, unknown>): void {
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const bot = this.botForToken(d.token);
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (!session || !bot || session.bot !== bot || !session.canResumeFrom(seq)) {
      this.send(conn.ws, { op: Op.InvalidSession, d: false });
      return;
    }
    if (session.ws && session.ws !== conn.ws) session.ws.close(4009, 'Session resumed elsewhere.');
    session.attach(conn.ws);
    conn.session = session;
    session.replayAfter(seq);
    session.dispatch('RESUMED', { _trace: ['["discord-sandbox",{"micros":0}]'] });
  }

  private requestMembers(session: GatewaySession, d: Record<string, unknown>): void {
    const guildId = typeof d.guild_id === 'string' ? d.guild_id : '';
    const all = [...(this.sb.store.members.get(guildId)?.values() ?? [])];
    const userIds = Array.isArray(d.user_ids)
      ? d.user_ids.map(String)
      : typeof d.user_ids === 'string'
        ? [d.user_ids]
        : null;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    const mayList = (session.intents & Intent.GuildMembers) !== 0;
    let found = userIds
      ? all.filter((m) => userIds.includes(m.userId))
      : mayList
        ? all.filter((m) =>
            (this.sb.store.users.get(m.userId)?.username ?? '').toLowerCase().startsWith(query),
          )
        : [];
    found = found.slice(0, limit);
    session.dispatch('GUILD_MEMBERS_CHUNK', {
      guild_id: guildId,
      members: found.map((m) => memberPayload(this.sb.store, m)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: userIds ? userIds.filter((id) => !found.some((m) => m.userId === id)) : [],
      ...(d.nonce === undefined ? {} : { nonce: d.nonce }),
    });
  }

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  }

  private record(route: string, path: string, body: unknown, bot: SandboxBot | undefined): void {
    this.sb.recorder.add({
      at: this.sb.now(),
      kind: 'gateway',
      method: 'WS',
      path,
      query: '',
      route,
      bucket: null,
      status: 0,
      body,
      auth: bot ? 'bot' : 'none',
      ...(bot ? { botUserId: bot.userId } : {}),
    });
  }
}

function redact(d: Record<string, unknown> | null): unknown {
  return d ? { ...d, token: '[redacted]' } : d;
}
