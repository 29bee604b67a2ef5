import tmi from 'tmi.js';
import type { ChatMessage, Disposer, Logger, TwitchChat } from '../../core/index.js';
import type { Endpoints } from '../endpoints.js';
import { ChatLimiter, ChatMessageDropped, type ChatLimiterOptions } from './chat-limiter.js';
import { splitChatText } from './chat-text.js';
import { TmiChatMessage } from './chat-message.js';

/** Options of {@link ChatConnection}. */
export interface ChatConnectionOptions {
  endpoints: Endpoints;
  channels: readonly string[];
  log: Logger;
  /** The bot's login and a function returning a current user access token; omit for read-only. */
  identity?: { login: string; token: () => Promise<string> };
  /**
   * A limiter to share with the connections that replace this one (same account), so the
   * rate history survives the swap. It is paused, not closed, when this one disconnects.
   */
  limiter?: ChatLimiter;
  /** Options of the limiter built when `limiter` is not given (Twitch's limits by default). */
  limits?: ChatLimiterOptions;
}

type Handler = (message: ChatMessage) => unknown;

/** tmi.js state its typings leave out. */
interface TmiInternals {
  userstate?: Record<string, tmi.ChatUserstate | undefined>;
  channels: string[];
  opts: { channels?: string[] };
  reconnect: boolean;
}

const strip = (channel: string): string => channel.replace(/^#/, '').toLowerCase();

/** A dropped message was already logged by the limiter (or at shutdown): not an error. */
function ignoreDropped(err: unknown): void {
  if (!(err instanceof ChatMessageDropped)) throw err;
}

/**
 * The bot's Twitch chat over tmi.js: joins its channels (paced), reconnects with
 * backoff and rejoins, and sends through one outgoing limiter (held while disconnected).
 * Text longer than a chat line is split; line breaks become spaces. Without an identity
 * it joins read-only (anonymous) and says so.
 *
 * @example
 * ```ts
 * const chat = new ChatConnection({ endpoints, channels: ['alice'], log, identity });
 * await chat.connect();
 * chat.onMessage((m) => m.text === '!ping' && m.reply('pong'));
 * ```
 */
export class ChatConnection implements TwitchChat {
  readonly client: tmi.Client;
  readonly limiter: ChatLimiter;
  readonly #handlers = new Set<Handler>();
  readonly #log: Logger;
  #channels: Set<string>;
  #state: 'connected' | 'connecting' | 'disconnected' = 'disconnected';
  readonly #anonymous: boolean;
  #connectedOnce = false;
  #stopped = false;
  readonly #ownLimiter: boolean;

  constructor(private readonly options: ChatConnectionOptions) {
    this.#log = options.log.child({ component: 'chat' });
    this.#channels = new Set(options.channels.map(strip));
    this.#anonymous = !options.identity;
    this.#ownLimiter = !options.limiter;
    this.limiter =
      options.limiter ??
      new ChatLimiter({
        onDrop: (channel) =>
          this.#log.warn({ channel }, 'outgoing chat queue full: dropped the oldest message'),
        ...options.limits,
      });
    this.limiter.elevatedBy((channel) => this.#elevated(channel));
    this.limiter.pause();
    const { server, port, secure } = options.endpoints.twitchChat;
    this.client = new tmi.Client({
      options: { skipUpdatingEmotesets: true, joinInterval: 600 },
      connection: {
        server,
        port,
        secure,
        reconnect: true,
        reconnectInterval: 1000,
        maxReconnectInterval: 30_000,
        reconnectDecay: 1.5,
      },
      identity: options.identity
        ? {
            username: options.identity.login,
            password: async () => `oauth:${await options.identity!.token()}`,
          }
        : undefined,
      channels: [],
      logger: { info: () => {}, warn: (m) => this.#log.debug(m), error: (m) => this.#log.debug(m) },
    });
    this.client.on('message', (channel, tags, text, self) =>
      this.#dispatch(channel, tags, text, self),
    );
    this.client.on('connected', () => {
      if (this.#stopped) {
        // A reconnect timer tmi.js had already set fired after disconnect(): close again.
        void this.client.disconnect().catch(() => {});
        return;
      }
      this.#state = 'connected';
      // tmi.js would rejoin what it had, outside our JOIN limiter and blind to channels
      // changed while we were away: empty its lists so it joins nothing, and rejoin here.
      const internals = this.client as unknown as TmiInternals;
      internals.channels.length = 0;
      internals.opts.channels = [];
      // Messages wait until the channels are joined again.
      if (this.#connectedOnce) void this.#joinAll().finally(() => this.limiter.resume());
      this.#connectedOnce = true;
      this.#log.info(
        { anonymous: this.#anonymous },
        this.#anonymous
          ? 'chat connected read-only (no token): the bot cannot send'
          : 'chat connected',
      );
    });
    this.client.on('disconnected', (reason) => {
      this.limiter.pause();
      if (this.#state === 'disconnected') return;
      this.#state = 'connecting';
      this.#log.warn({ reason }, 'chat disconnected; reconnecting');
    });
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  get anonymous(): boolean {
    return this.#anonymous;
  }

  get state(): 'connected' | 'connecting' | 'disconnected' | 'anonymous' {
    return this.#state === 'connected' && this.#anonymous ? 'anonymous' : this.#state;
  }

  get channels(): readonly string[] {
    return [...this.#channels];
  }

  async connect(): Promise<void> {
    this.#state = 'connecting';
    await this.client.connect();
    await this.#joinAll();
    this.limiter.resume();
  }

  async disconnect(): Promise<void> {
    this.#stopped = true;
    (this.client as unknown as TmiInternals).reconnect = false;
    if (this.#ownLimiter) {
      const discarded = this.limiter.close();
      if (discarded > 0)
        this.#log.warn({ discarded }, `stopping: ${discarded} queued chat message(s) not sent`);
    } else this.limiter.pause();
    this.#state = 'disconnected';
    if (this.client.readyState() === 'OPEN') await this.client.disconnect().catch(() => {});
  }

  /** Joins and parts so the joined channels equal `channels`. */
  async setChannels(channels: readonly string[]): Promise<void> {
    const next = new Set(channels.map(strip));
    const leave = [...this.#channels].filter((c) => !next.has(c));
    const join = [...next].filter((c) => !this.#channels.has(c));
    this.#channels = next;
    if (!this.connected) return;
    for (const c of leave)
      await this.client
        .part(c)
        .catch((err: unknown) => this.#log.warn({ err, channel: c }, 'part failed'));
    for (const c of join) await this.#join(c);
  }

  /**
   * Sends `text` to a channel; each chat line of it takes one slot of the limiter. Resolves
   * once written, or once dropped (a full queue or shutdown: logged once, not thrown).
   */
  async say(channel: string, text: string): Promise<void> {
    const c = strip(channel);
    await Promise.all(
      splitChatText(text).map((part) =>
        this.limiter
          .send(c, part, async () => {
            await this.client.say(c, part);
          })
          .catch(ignoreDropped),
      ),
    );
  }

  /** Replies in the thread of message `parentId`; long text becomes several replies. */
  async reply(channel: string, parentId: string, text: string): Promise<void> {
    const c = strip(channel);
    const parent = parentId.replace(/[^0-9a-zA-Z-]/g, '');
    await Promise.all(
      splitChatText(text).map((part) =>
        this.limiter
          .send(c, part, async () => {
            await this.client.raw(`@reply-parent-msg-id=${parent} PRIVMSG #${c} :${part}`);
          })
          .catch(ignoreDropped),
      ),
    );
  }

  onMessage(handler: Handler): Disposer {
    this.#handlers.add(handler);
    return () => {
      this.#handlers.delete(handler);
    };
  }

  async #joinAll(): Promise<void> {
    for (const c of this.#channels) await this.#join(c);
  }

  async #join(channel: string): Promise<void> {
    await this.limiter
      .join(async () => {
        await this.client.join(channel);
      })
      .catch((err: unknown) => this.#log.warn({ err, channel }, 'join failed'));
  }

  #dispatch(channel: string, tags: tmi.ChatUserstate, text: string, self: boolean): void {
    const message = new TmiChatMessage(strip(channel), tags, text, self, this);
    // Handlers run right away, in order (a cog's handler is guarded by its scope); one that
    // throws or rejects is logged and never stops the others or tmi.js.
    for (const h of this.#handlers) {
      try {
        const result = h(message);
        if (result instanceof Promise) result.catch(this.#handlerFailed);
      } catch (err) {
        this.#handlerFailed(err);
      }
    }
  }

  readonly #handlerFailed = (err: unknown): void => {
    this.#log.error({ err }, 'chat handler failed');
  };

  /** Moderator or broadcaster in `channel`, from the last USERSTATE tmi.js kept. */
  #elevated(channel: string): boolean {
    const state = (this.client as unknown as TmiInternals).userstate?.[`#${channel}`];
    if (!state) return false;
    const badges = state.badges ?? {};
    return state.mod === true || 'broadcaster' in badges || 'moderator' in badges;
  }
}
