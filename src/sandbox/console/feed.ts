/**
 * The console's event feed: everything the sandbox saw, normalized into small JSON
 * records, kept in a bounded ring and pushed to listeners (the SSE streams).
 *
 * @module
 */

/**
 * A chat line delivered to a channel (a viewer's or a bot's).
 *
 * @example
 * ```ts
 * const bot = (e: ChatFeedItem): boolean => e.bot;
 * ```
 */
export interface ChatFeedItem {
  kind: 'chat';
  channel: string;
  login: string;
  displayName: string;
  text: string;
  msgId: string;
  /** Sent by one of the configured bots. */
  bot: boolean;
  /** Badge names, e.g. `['moderator', 'subscriber']`. */
  badges: string[];
  /** The message id this line answers, if it is a threaded reply. */
  replyTo?: string;
}

/**
 * A line a client sent that chat dropped (rate limit, anonymous, ...).
 *
 * @example
 * ```ts
 * const why = (e: DroppedFeedItem): string => e.reason; // 'rate_limit'
 * ```
 */
export interface DroppedFeedItem {
  kind: 'chat-dropped';
  channel: string;
  login: string;
  text: string;
  reason: string;
}

/**
 * A system line in chat: a USERNOTICE the console sent, a bot joining.
 *
 * @example
 * ```ts
 * const n: NoticeFeedItem = { kind: 'chat-notice', channel: '#amy', text: 'bot joined the chat' };
 * ```
 */
export interface NoticeFeedItem {
  kind: 'chat-notice';
  channel: string;
  text: string;
}

/**
 * A stream went live, went offline or changed its info.
 *
 * @example
 * ```ts
 * const live = (e: StreamFeedItem): boolean => e.live;
 * ```
 */
export interface StreamFeedItem {
  kind: 'stream';
  channel: string;
  live: boolean;
  title: string;
  game: string;
  viewers: number;
}

/**
 * Something happened on Twitch (an EventSub notification was raised).
 *
 * @example
 * ```ts
 * const e: TwitchEventFeedItem = { kind: 'twitch-event', type: 'channel.raid', summary: 'bob → amy · 5 viewers' };
 * ```
 */
export interface TwitchEventFeedItem {
  kind: 'twitch-event';
  type: string;
  summary: string;
}

/**
 * One EventSub delivery attempt to a bot's callback.
 *
 * @example
 * ```ts
 * const failed = (e: EventSubFeedItem): boolean => !e.ok;
 * ```
 */
export interface EventSubFeedItem {
  kind: 'eventsub';
  type: string;
  messageType: string;
  status: number | null;
  ok: boolean;
  retry: number;
  /** The callback path (host left out). */
  path: string;
  latencyMs: number;
  error?: string;
}

/**
 * A Discord message in a channel or a DM (created or edited).
 *
 * @example
 * ```ts
 * const isWebhookPost = (e: DiscordMessageFeedItem): boolean => e.webhook !== undefined;
 * ```
 */
export interface DiscordMessageFeedItem {
  kind: 'discord-message';
  messageId: string;
  /** `#general · Guild name` or `DM to alice`. */
  where: string;
  dm: boolean;
  author: string;
  authorBot: boolean;
  /** The webhook's display name for webhook posts. */
  webhook?: string;
  content: string;
  embeds: { title?: string; description?: string }[];
  edited: boolean;
}

/**
 * A Discord message was deleted.
 *
 * @example
 * ```ts
 * const e: DiscordDeleteFeedItem = { kind: 'discord-delete', messageId: '123' };
 * ```
 */
export interface DiscordDeleteFeedItem {
  kind: 'discord-delete';
  messageId: string;
}

/**
 * A member got or lost a role.
 *
 * @example
 * ```ts
 * const e: DiscordRoleFeedItem = { kind: 'discord-role', guild: 'G', user: 'judy', role: 'Tier 1', added: true };
 * ```
 */
export interface DiscordRoleFeedItem {
  kind: 'discord-role';
  guild: string;
  user: string;
  role: string;
  added: boolean;
}

/**
 * Any feed record without its id and time.
 *
 * @example
 * ```ts
 * feed.push({ kind: 'chat-notice', channel: '#amy', text: 'hi' } satisfies FeedItem);
 * ```
 */
export type FeedItem =
  | ChatFeedItem
  | DroppedFeedItem
  | NoticeFeedItem
  | StreamFeedItem
  | TwitchEventFeedItem
  | EventSubFeedItem
  | DiscordMessageFeedItem
  | DiscordDeleteFeedItem
  | DiscordRoleFeedItem;

/**
 * A feed record as sent to the browser (one SSE `data:` line, its `id` the SSE id).
 *
 * @example
 * ```ts
 * const e = JSON.parse(message.data) as FeedEvent;
 * ```
 */
export type FeedEvent = FeedItem & { id: number; at: number };

/**
 * Longest text kept per record; longer text is cut with an ellipsis.
 *
 * @example
 * ```ts
 * clip(text).length <= MAX_TEXT; // true
 * ```
 */
export const MAX_TEXT = 2000;

/**
 * Cuts `text` to {@link MAX_TEXT} characters.
 *
 * @example
 * ```ts
 * clip('x'.repeat(5000)).length; // 2000
 * ```
 */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A bounded ring of {@link FeedEvent}s with increasing ids, and listeners for new ones.
 *
 * @example
 * ```ts
 * const feed = new ConsoleFeed(500);
 * const off = feed.subscribe((e) => console.log(e.kind));
 * feed.push({ kind: 'chat-notice', channel: '#streamer', text: 'hi' });
 * feed.since(0); // [{ id: 1, at: ..., kind: 'chat-notice', ... }]
 * off();
 * ```
 */
export class ConsoleFeed {
  #items: FeedEvent[] = [];
  #nextId = 1;
  readonly #listeners = new Set<(e: FeedEvent) => void>();

  constructor(
    readonly capacity = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a record, dropping the oldest past `capacity`, and tells every listener. */
  push(item: FeedItem): FeedEvent {
    const event = { ...item, id: this.#nextId++, at: this.now() } as FeedEvent;
    this.#items.push(event);
    if (this.#items.length > this.capacity)
      this.#items.splice(0, this.#items.length - this.capacity);
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  /** Records with an id above `lastId`, oldest first (all kept ones for 0). */
  since(lastId: number): FeedEvent[] {
    const first = this.#items.findIndex((e) => e.id > lastId);
    return first < 0 ? [] : this.#items.slice(first);
  }

  /** Calls `listener` for every new record; returns the unsubscribe function. */
  subscribe(listener: (e: FeedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records kept right now. */
  get size(): number {
    return this.#items.length;
  }
}
