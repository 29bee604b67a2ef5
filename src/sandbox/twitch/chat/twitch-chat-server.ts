import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { ChatCore } from './chat-core.js';
import type { ChatRoom } from './chat-rooms.js';
import {
  refreshUserState,
  sendClearChat,
  sendClearMsg,
  sendNotice,
  sendUserNotice,
  viewerProfile,
} from './room-events.js';
import { attachSession } from './session-socket.js';
import type {
  ChatRecord,
  DropReason,
  TwitchChatServerEvents,
  TwitchChatServerOptions,
  ViewerIdentity,
} from './types.js';
import { createDefaultUserResolver, normalizeChannel, normalizeLogin } from './user-directory.js';
import type { UserNoticeFieldsByKind, UserNoticeKind } from './user-notice-tags.js';

/** How long {@link TwitchChatServer.close} waits for clients to answer the close frame. */
const CLOSE_GRACE_MS = 1000;

/**
 * A local Twitch chat server (IRC over WebSocket, subprotocol `irc`) that the real tmi.js
 * talks to: login, JOIN/PART, tagged PRIVMSG, USERNOTICE, Twitch's message and join limits,
 * and a log of everything clients sent.
 *
 * @example
 * ```ts
 * const chat = await TwitchChatServer.start();
 * const client = new tmi.Client({
 *   options: { skipUpdatingEmotesets: true },
 *   connection: { server: '127.0.0.1', port: chat.port, secure: false, reconnect: false },
 *   identity: { username: 'mybot', password: 'oauth:anything' },
 * });
 * await client.connect();
 * await client.join('#streamer');
 * chat.viewerSays('#streamer', { login: 'ronni', badges: { subscriber: 6 } }, '!hello');
 * await client.disconnect();
 * await chat.close();
 * ```
 */
export class TwitchChatServer extends EventEmitter<TwitchChatServerEvents> {
  readonly #core: ChatCore;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  #port = 0;
  #closing: Promise<void> | undefined;

  private constructor(options: TwitchChatServerOptions) {
    super();
    this.#core = new ChatCore({
      users: options.users ?? createDefaultUserResolver(),
      now: options.now ?? Date.now,
      ...(options.validateToken ? { validateToken: options.validateToken } : {}),
      recordLimit: options.recordLimit ?? 10_000,
      limits: options.limits ?? {},
      rateLimitNotice: options.rateLimitNotice ?? false,
      events: this,
    });
    this.#http = createServer((_req, res) => {
      res
        .writeHead(426, { 'content-type': 'text/plain' })
        .end('WebSocket (subprotocol irc) only\n');
    });
    this.#wss = new WebSocketServer({
      server: this.#http,
      path: '/',
      perMessageDeflate: false,
      maxPayload: 64 * 1024,
      handleProtocols: (protocols) => (protocols.has('irc') ? 'irc' : false),
    });
    this.#wss.on('connection', (ws) => this.#accept(ws));
    this.#wss.on('error', () => {
      this.#core.malformedLines++;
    });
  }

  /** Starts a server on 127.0.0.1 (port 0 = a free port) and resolves once it listens. */
  static async start(options: TwitchChatServerOptions = {}): Promise<TwitchChatServer> {
    const server = new TwitchChatServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#http.once('error', reject);
      server.#http.listen(options.port ?? 0, '127.0.0.1', () => {
        server.#http.off('error', reject);
        resolve();
      });
    });
    server.#port = (server.#http.address() as AddressInfo).port;
    return server;
  }

  /** The port it listens on. */
  get port(): number {
    return this.#port;
  }

  /** `ws://127.0.0.1:PORT` */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  /** Lines received from clients, oldest first (the newest `recordLimit`). */
  get received(): readonly ChatRecord[] {
    return this.#core.log.records;
  }

  /** Unparseable or meaningless lines (and binary frames) ignored so far. */
  get malformedLines(): number {
    return this.#core.malformedLines;
  }

  /** Open client connections. */
  get connectionCount(): number {
    return this.#core.sessions.size;
  }

  /** PRIVMSG records of `login` (optionally in one channel), each with `dropped` when not delivered. */
  messagesFrom(login: string, channel?: string): ChatRecord[] {
    return this.#core.log.messagesFrom(
      normalizeLogin(login),
      channel === undefined ? undefined : normalizeChannel(channel),
    );
  }

  /** Lines of `login` that were dropped (one reason, or all); exact even past `recordLimit`. */
  droppedCount(login: string, reason?: DropReason): number {
    return this.#core.log.droppedCount(normalizeLogin(login), reason);
  }

  /** How much of its limits `login` used in the current windows. */
  usage(login: string): { privmsg: number; joins: number } {
    const l = normalizeLogin(login);
    return { privmsg: this.#core.limits.privmsgCount(l), joins: this.#core.limits.joinCount(l) };
  }

  /** Logins of the connections joined to `channel` (anonymous ones included). */
  chatters(channel: string): string[] {
    const room = this.#core.rooms.find(normalizeChannel(channel));
    return room ? [...new Set([...room.members].map((s) => s.login))] : [];
  }

  /**
   * Makes `login` a moderator of `channel` (or not). Raises its limit to 100 per 30 s there,
   * and sends a fresh USERSTATE to its connections already joined.
   */
  setModerator(channel: string, login: string, on = true): void {
    const room = this.#room(channel);
    const l = normalizeLogin(login);
    if (on) room.moderators.add(l);
    else room.moderators.delete(l);
    refreshUserState(this.#core, room, l);
  }

  /** Makes `login` a VIP of `channel` (or not): the `vip/1` badge. */
  setVip(channel: string, login: string, on = true): void {
    const room = this.#room(channel);
    const l = normalizeLogin(login);
    if (on) room.vips.add(l);
    else room.vips.delete(l);
    refreshUserState(this.#core, room, l);
  }

  /** Whether `login` is a moderator of `channel` (set with {@link setModerator}). */
  isModerator(channel: string, login: string): boolean {
    return (
      this.#core.rooms.find(normalizeChannel(channel))?.moderators.has(normalizeLogin(login)) ??
      false
    );
  }

  /**
   * A simulated viewer says `text` in `channel`: every connection joined there gets a tagged
   * PRIVMSG. Badges default to the room's view (broadcaster, moderators and VIPs set here).
   * Returns the message id (the `id` tag). `replyTo` makes it a reply to that message id.
   */
  viewerSays(
    channel: string,
    viewer: ViewerIdentity | string,
    text: string,
    options: { replyTo?: string } = {},
  ): string {
    const room = this.#room(channel);
    const v = typeof viewer === 'string' ? { login: viewer } : viewer;
    return this.#core.deliver(room, viewerProfile(this.#core, room, v), text, {
      source: 'simulated',
      ...(options.replyTo ? { replyParentId: options.replyTo } : {}),
      ...(v.firstMsg === undefined ? {} : { firstMsg: v.firstMsg }),
      ...(v.returningChatter === undefined ? {} : { returningChatter: v.returningChatter }),
    });
  }

  /** Sends a USERNOTICE (sub, resub, subgift, raid) to `channel`; returns its id. */
  userNotice<K extends UserNoticeKind>(
    channel: string,
    kind: K,
    fields: UserNoticeFieldsByKind[K],
  ): string {
    return sendUserNotice(this.#core, this.#room(channel), kind, fields);
  }

  /** CLEARCHAT: the whole chat, or one user's messages (a ban, or a timeout with a duration). */
  clearChat(channel: string, login?: string, options: { durationSeconds?: number } = {}): void {
    sendClearChat(this.#core, this.#room(channel), login, options.durationSeconds);
  }

  /** CLEARMSG for a recent message; returns false (and sends nothing) for an unknown id. */
  deleteMessage(channel: string, messageId: string): boolean {
    return sendClearMsg(this.#core, this.#room(channel), messageId);
  }

  /** NOTICE with a msg-id to the connections in `channel` (only `login`'s when given). */
  notice(channel: string, msgId: string, text: string, options: { login?: string } = {}): number {
    return sendNotice(this.#core, this.#room(channel), msgId, text, options.login);
  }

  /** Sends `PING :tmi.twitch.tv` to every logged-in connection (their PONGs are recorded). */
  pingClients(): number {
    let sent = 0;
    for (const s of this.#core.sessions) {
      if (!s.authenticated) continue;
      s.send('PING :tmi.twitch.tv');
      sent++;
    }
    return sent;
  }

  /** Closes every connection and the listener; resolves once all sockets are gone. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const sockets = [...this.#core.sessions].map((s) => s.ws);
    const gone = Promise.all(
      sockets.map((ws) =>
        ws.readyState === WebSocket.CLOSED
          ? undefined
          : new Promise<void>((resolve) => ws.once('close', () => resolve())),
      ),
    );
    for (const s of this.#core.sessions) s.close(1001, 'server closing');
    const timer = setTimeout(() => sockets.forEach((ws) => ws.terminate()), CLOSE_GRACE_MS);
    timer.unref();
    await gone;
    clearTimeout(timer);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #accept(ws: WebSocket): void {
    if (this.#closing) ws.terminate();
    else attachSession(this.#core, ws);
  }

  #room(channel: string): ChatRoom {
    return this.#core.rooms.get(normalizeChannel(channel));
  }
}
