import type { ChatMessage, Disposer, Logger, TwitchChat } from '../../core/index.js';
import { describeError } from '../../core/errors.js';
import type { Endpoints } from '../endpoints.js';
import { ChatConnection } from '../twitch/chat-connection.js';
import type { ChatLimiterOptions } from '../twitch/chat-limiter.js';

/** Who chat logs in as. */
export interface ChatLogin {
  login: string;
  token: () => Promise<string>;
}

/** Options of {@link ChatSupervisor}. */
export interface ChatSupervisorOptions {
  endpoints: Endpoints;
  channels: readonly string[];
  log: Logger;
  /** Outgoing limits (default Twitch's). */
  limits?: ChatLimiterOptions;
  /** The identity to log in with now; undefined joins read-only (anonymous). */
  identity(): ChatLogin | undefined;
  /** Chat refused the token: refresh it; resolve false when the bot is no longer authorised. */
  onLoginRefused?(): Promise<boolean>;
}

type Handler = (message: ChatMessage) => unknown;

/** tmi.js gives up (no reconnect) after these. */
const REFUSED =
  /Login authentication failed|Login unsuccessful|Improperly formatted auth|Could not get a token/i;
const MAX_REFUSALS = 3;

/**
 * The bot's chat across identity changes: one {@link ChatConnection} (tmi.js, reconnect
 * with backoff and rejoin) at a time, logged in with the bot's current token, or
 * read-only while it has none. When the bot gains or loses its token, or chat refuses
 * the token (it is refreshed first), the connection is replaced; handlers stay.
 *
 * @example
 * ```ts
 * const chat = new ChatSupervisor({ endpoints, channels: ['alice'], log, identity: () => keeper.chatLogin() });
 * await chat.connect();
 * keeper.onChange(() => void chat.reconnect('token changed'));
 * ```
 */
export class ChatSupervisor implements TwitchChat {
  readonly #o: ChatSupervisorOptions;
  readonly #log: Logger;
  readonly #handlers = new Set<Handler>();
  #channels: readonly string[];
  #conn: ChatConnection | undefined;
  #login: string | undefined;
  #chain: Promise<void> = Promise.resolve();
  #refusals = 0;
  #forcedAnonymous = false;
  #refusal: Promise<void> | undefined;
  #stopped = false;

  constructor(options: ChatSupervisorOptions) {
    this.#o = options;
    this.#log = options.log;
    this.#channels = options.channels;
  }

  get connected(): boolean {
    return this.#conn?.connected ?? false;
  }

  /** `anonymous` while connected read-only. */
  get state(): ChatConnection['state'] {
    return this.#conn?.state ?? 'disconnected';
  }

  get anonymous(): boolean {
    return this.#conn?.anonymous ?? true;
  }

  /** Connects the first time, with the identity current then. */
  async connect(): Promise<void> {
    this.#conn ??= this.#create();
    try {
      await this.#conn.connect();
    } catch (err) {
      // Chat refused the token: the refusal handler refreshes it or goes read-only.
      if (!this.#refusal) throw err;
      await this.#refusal;
    }
  }

  /** Replaces the connection with one using the current identity (serialised). */
  reconnect(reason: string): Promise<void> {
    this.#chain = this.#chain.then(async () => {
      if (this.#stopped) return;
      const old = this.#conn;
      const next = this.#create();
      this.#conn = next;
      this.#log.info(
        { reason, anonymous: next.anonymous },
        'chat: reconnecting with a new identity',
      );
      await old?.disconnect();
      await next
        .connect()
        .catch((err: unknown) =>
          this.#log.warn({ err: describeError(err) }, 'chat: connect failed; retrying'),
        );
    });
    return this.#chain;
  }

  /** The identity changed (authorised again, or lost): reconnect unless nothing changes. */
  identityChanged(): Promise<void> {
    this.#forcedAnonymous = false;
    this.#refusals = 0;
    const next = this.#o.identity();
    if (!this.#conn) return this.#chain;
    if (!!next === !this.#conn.anonymous && (!next || next.login === this.#login))
      return this.#chain;
    return this.reconnect(next ? 'the bot is authorised' : 'the bot lost its Twitch token');
  }

  say(channel: string, text: string): Promise<void> {
    return this.#current().say(channel, text);
  }

  reply(channel: string, parentId: string, text: string): Promise<void> {
    return this.#current().reply(channel, parentId, text);
  }

  onMessage(handler: Handler): Disposer {
    this.#handlers.add(handler);
    return () => {
      this.#handlers.delete(handler);
    };
  }

  async setChannels(channels: readonly string[]): Promise<void> {
    this.#channels = channels;
    await this.#conn?.setChannels(channels);
  }

  async disconnect(): Promise<void> {
    this.#stopped = true;
    await this.#chain;
    await this.#conn?.disconnect();
  }

  #current(): ChatConnection {
    if (!this.#conn) throw new Error('chat is not connected yet (it connects when the bot starts)');
    return this.#conn;
  }

  #create(): ChatConnection {
    const identity = this.#forcedAnonymous ? undefined : this.#o.identity();
    this.#login = identity?.login;
    const conn = new ChatConnection({
      endpoints: this.#o.endpoints,
      channels: this.#channels,
      log: this.#log,
      identity,
      limits: this.#o.limits,
    });
    conn.onMessage((message) =>
      Promise.all([...this.#handlers].map((h) => Promise.resolve().then(() => h(message)))),
    );
    conn.client.on('connected', () => {
      if (conn === this.#conn) this.#refusals = 0;
    });
    conn.client.on('disconnected', (reason: string) => {
      if (conn !== this.#conn || this.#stopped || !REFUSED.test(String(reason))) return;
      this.#refusal = this.#refused(String(reason)).finally(() => {
        this.#refusal = undefined;
      });
    });
    return conn;
  }

  async #refused(reason: string): Promise<void> {
    this.#refusals++;
    this.#log.warn({ reason, attempt: this.#refusals }, 'chat refused the bot token');
    const authorised = this.#o.onLoginRefused ? await this.#o.onLoginRefused() : false;
    if (!authorised || this.#refusals >= MAX_REFUSALS) {
      if (authorised)
        this.#log.error(
          'chat keeps refusing a token Twitch says is valid (does it have chat:read and chat:edit?); joining read-only',
        );
      this.#forcedAnonymous = true;
    }
    await this.reconnect(authorised ? 'refreshed the refused token' : 'no valid token: read-only');
  }
}
