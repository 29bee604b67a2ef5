import { randomUUID } from 'node:crypto';
import { ChatRateLimits } from './chat-rate-limits.js';
import { ChatRecordLog } from './chat-record-log.js';
import type { ChatRoom } from './chat-rooms.js';
import { ChatRooms } from './chat-rooms.js';
import type { ChatSession } from './chat-session.js';
import type { SenderProfile } from './chat-tags.js';
import { privmsgTags, senderProfile } from './chat-tags.js';
import { formatTags, oneLine } from './irc-line.js';
import type {
  ChatLimits,
  ChatRecord,
  ChatUser,
  TokenValidator,
  TwitchChatServerEvents,
  UserResolver,
} from './types.js';

/**
 * What the core needs from its owner.
 *
 * @example
 * ```ts
 * const options: ChatCoreOptions = { users, now: Date.now, recordLimit: 10_000, limits: {}, rateLimitNotice: false, events };
 * ```
 */
export interface ChatCoreOptions {
  users: UserResolver;
  now: () => number;
  validateToken?: TokenValidator;
  recordLimit: number;
  limits: Partial<ChatLimits>;
  rateLimitNotice: boolean;
  /** Where `record` and `message` events go (the server, an EventEmitter). */
  events: {
    emit<K extends keyof TwitchChatServerEvents>(
      event: K,
      ...args: TwitchChatServerEvents[K]
    ): boolean;
    listenerCount(event: keyof TwitchChatServerEvents): number;
  };
}

/**
 * How a message is delivered by {@link ChatCore.deliver}.
 *
 * @example
 * ```ts
 * const how: DeliveryOptions = { source: 'simulated', replyParentId: 'abc' };
 * ```
 */
export interface DeliveryOptions {
  source: 'client' | 'simulated';
  /** The sending connection, which does not get its own line back. */
  exclude?: ChatSession;
  clientNonce?: string;
  replyParentId?: string;
  firstMsg?: boolean;
  returningChatter?: boolean;
}

/**
 * The simulator's state and the operations shared by the client command handlers and the
 * public API: rooms, sessions, limits, the record log, and message delivery.
 *
 * @example
 * ```ts
 * const core = new ChatCore(options);
 * const id = core.deliver(core.rooms.get('#dallas'), profile, 'hello', { source: 'simulated' });
 * ```
 */
export class ChatCore {
  readonly rooms = new ChatRooms();
  readonly sessions = new Set<ChatSession>();
  readonly limits: ChatRateLimits;
  readonly log: ChatRecordLog;
  readonly users: UserResolver;
  readonly now: () => number;
  readonly validateToken: TokenValidator | undefined;
  readonly rateLimitNotice: boolean;
  /** Lines that could not be parsed or made no sense, and frames that were not text. */
  malformedLines = 0;
  readonly #events: ChatCoreOptions['events'];
  readonly #roomIds = new Map<string, string>();

  constructor(options: ChatCoreOptions) {
    this.users = options.users;
    this.now = options.now;
    this.validateToken = options.validateToken;
    this.rateLimitNotice = options.rateLimitNotice;
    this.limits = new ChatRateLimits(options.limits, options.now);
    this.log = new ChatRecordLog(options.recordLimit);
    this.#events = options.events;
  }

  /** Logs a received line and emits `record`. */
  record(record: ChatRecord): void {
    this.log.add(record);
    this.#events.emit('record', record);
  }

  /** The broadcaster's user id, used as `room-id`. */
  roomIdOf(room: ChatRoom): string {
    let id = this.#roomIds.get(room.name);
    if (id === undefined) this.#roomIds.set(room.name, (id = this.users.resolve(room.login).id));
    return id;
  }

  /** A connected account's badges in a room: broadcaster, moderator, vip as the room says. */
  profileIn(room: ChatRoom, user: ChatUser): SenderProfile {
    return senderProfile(user, {
      broadcaster: room.login === user.login,
      moderator: room.moderators.has(user.login),
      vip: room.vips.has(user.login),
    });
  }

  /**
   * Sends a PRIVMSG from `sender` to every session in the room (except `exclude`), keeps it
   * for replies, emits `message`, and returns its id.
   */
  deliver(room: ChatRoom, sender: SenderProfile, rawText: string, how: DeliveryOptions): string {
    const id = randomUUID();
    const at = this.now();
    const text = oneLine(rawText);
    const user = sender.user;
    const reply = how.replyParentId ? room.replyTo(how.replyParentId) : undefined;
    const first = room.firstMessageOf(user.login);
    const tags = privmsgTags(sender, {
      id,
      roomId: this.roomIdOf(room),
      sentAt: at,
      firstMsg: how.firstMsg ?? first,
      returningChatter: how.returningChatter ?? false,
      ...(how.clientNonce === undefined ? {} : { clientNonce: how.clientNonce }),
      ...(reply ? { reply: reply.tags } : {}),
    });
    const tagPart = formatTags(tags);
    const l = user.login;
    const body = `:${l}!${l}@${l}.tmi.twitch.tv PRIVMSG ${room.name} :${text}`;
    for (const member of room.members) if (member !== how.exclude) member.sendTagged(tagPart, body);
    room.remember({
      id,
      login: l,
      displayName: user.displayName,
      userId: user.id,
      text,
      thread: reply?.thread,
    });
    if (this.#events.listenerCount('message') > 0) {
      this.#events.emit('message', {
        id,
        at,
        channel: room.name,
        login: l,
        displayName: user.displayName,
        userId: user.id,
        text,
        tags,
        source: how.source,
      });
    }
    return id;
  }

  /**
   * Sends a server line to the room's sessions; `commandsOnly` skips sessions without the
   * twitch.tv/commands capability (USERNOTICE, CLEARCHAT, CLEARMSG need it; NOTICE does not).
   */
  broadcast(room: ChatRoom, tagPart: string, body: string, commandsOnly: boolean): number {
    let sent = 0;
    for (const member of room.members) {
      if (commandsOnly && !member.has('twitch.tv/commands')) continue;
      member.sendTagged(tagPart, body);
      sent++;
    }
    return sent;
  }
}
