import tmi from 'tmi.js';
import type { ChatMessage, Disposer, Logger, TwitchChat } from '../../core/index.js';
import type { Endpoints } from '../endpoints.js';
import { ChatLimiter } from './chat-limiter.js';
import { chatUserFromTags } from './chat-user.js';

/** Options of {@link ChatConnection}. */
export interface ChatConnectionOptions {
  endpoints: Endpoints;
  channels: readonly string[];
  log: Logger;
  /** The bot's login and a function returning a current user access token; omit for read-only. */
  identity?: { login: string; token: () => Promise<string> };
  limiter?: ChatLimiter;
}

interface RawMessage {
  command: string;
  params: string[];
  tags: { badges?: string; mod?: string };
}

type Handler = (message: ChatMessage) => unknown;

const strip = (channel: string): string => channel.replace(/^#/, '').toLowerCase();

/**
 * The bot's Twitch chat over tmi.js: joins its channels (paced), reconnects with
 * backoff and rejoins, and sends through one outgoing limiter. Without an identity it
 * joins read-only (anonymous) and says so.
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

  constructor(private readonly options: ChatConnectionOptions) {
    this.#log = options.log.child({ component: 'chat' });
    this.#channels = new Set(options.channels.map(strip));
    this.#anonymous = !options.identity;
    this.limiter =
      options.limiter ??
      new ChatLimiter({
        onDrop: (channel) =>
          this.#log.warn({ channel }, 'outgoing chat queue full: dropped the oldest message'),
      });
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
    // USERSTATE (on join and after each message) says whether the bot is mod/broadcaster.
    this.client.on('raw_message', (_copy, raw) => {
      const msg = raw as RawMessage;
      if (msg.command !== 'USERSTATE' || !msg.params[0]) return;
      const badges = msg.tags.badges ?? '';
      const elevated = msg.tags.mod === '1' || /(^|,)(broadcaster|moderator)\//.test(badges);
      this.limiter.setElevated(strip(msg.params[0]), elevated);
    });
    this.client.on('connected', () => {
      this.#state = 'connected';
      this.#log.info(
        { anonymous: this.#anonymous },
        this.#anonymous
          ? 'chat connected read-only (no token): the bot cannot send'
          : 'chat connected',
      );
      // On a reconnect tmi.js rejoins the channels it had, paced by its own queue.
    });
    this.client.on('disconnected', (reason) => {
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
  }

  async disconnect(): Promise<void> {
    this.limiter.close();
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

  say(channel: string, text: string): Promise<void> {
    const c = strip(channel);
    return this.limiter.send(c, text, async () => {
      await this.client.say(c, text);
    });
  }

  reply(channel: string, parentId: string, text: string): Promise<void> {
    const c = strip(channel);
    const line = `@reply-parent-msg-id=${parentId} PRIVMSG #${c} :${text.replace(/[\r\n]+/g, ' ')}`;
    return this.limiter.send(c, text, async () => {
      await this.client.raw(line);
    });
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
    const c = strip(channel);
    const message: ChatMessage = {
      id: tags.id ?? '',
      channel: c,
      text,
      user: chatUserFromTags(c, tags),
      self,
      at: new Date(Number(tags['tmi-sent-ts'] ?? Date.now())),
      reply: (t) => (tags.id ? this.reply(c, tags.id, t) : this.say(c, t)),
    };
    for (const h of this.#handlers) void Promise.resolve().then(() => h(message));
  }
}
