import type { ChatSession } from './chat-session.js';
import type { ReplyTags } from './chat-tags.js';

/** How many recent messages per room are kept for reply-parent-* lookups. */
const RECENT_PER_ROOM = 1000;

/**
 * A delivered message kept so replies to it can carry reply-parent-* tags.
 *
 * @example
 * ```ts
 * const m: RecentMessage = { id: 'abc', login: 'ronni', displayName: 'Ronni', userId: '1', text: 'hi', thread: undefined };
 * ```
 */
export interface RecentMessage {
  id: string;
  login: string;
  displayName: string;
  userId: string;
  text: string;
  /** The thread's first message when this message is itself a reply. */
  thread: RecentMessage | undefined;
}

/**
 * One channel: who is joined (sessions), who is moderator or VIP, who has spoken, and the
 * recent messages.
 *
 * @example
 * ```ts
 * const room = new ChatRoom('#dallas');
 * room.moderators.add('mybot');
 * ```
 */
export class ChatRoom {
  /** `#login` of the broadcaster. */
  readonly name: string;
  /** Broadcaster login (name without `#`). */
  readonly login: string;
  readonly members = new Set<ChatSession>();
  readonly moderators = new Set<string>();
  readonly vips = new Set<string>();
  readonly #speakers = new Set<string>();
  readonly #recent = new Map<string, RecentMessage>();

  constructor(name: string) {
    this.name = name;
    this.login = name.slice(1);
  }

  /** Mod or broadcaster: the accounts with the higher message limit. */
  isPrivileged(login: string): boolean {
    return login === this.login || this.moderators.has(login);
  }

  /** Marks `login` as having spoken; returns true the first time (the `first-msg` tag). */
  firstMessageOf(login: string): boolean {
    if (this.#speakers.has(login)) return false;
    this.#speakers.add(login);
    return true;
  }

  /** Keeps a delivered message for later replies (bounded). */
  remember(message: RecentMessage): void {
    this.#recent.set(message.id, message);
    if (this.#recent.size > RECENT_PER_ROOM) {
      const oldest = this.#recent.keys().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
  }

  /** A recent message by id. */
  recent(id: string): RecentMessage | undefined {
    return this.#recent.get(id);
  }

  /**
   * The reply tags for a reply to `parentId`: all of them when the parent is known,
   * just `reply-parent-msg-id` otherwise. Also returns the thread root for {@link remember}.
   */
  replyTo(parentId: string): { tags: ReplyTags; thread: RecentMessage | undefined } {
    const parent = this.#recent.get(parentId);
    if (!parent) return { tags: { 'reply-parent-msg-id': parentId }, thread: undefined };
    const root = parent.thread ?? parent;
    return {
      thread: root,
      tags: {
        'reply-parent-display-name': parent.displayName,
        'reply-parent-msg-body': parent.text,
        'reply-parent-msg-id': parent.id,
        'reply-parent-user-id': parent.userId,
        'reply-parent-user-login': parent.login,
        'reply-thread-parent-display-name': root.displayName,
        'reply-thread-parent-msg-id': root.id,
        'reply-thread-parent-user-id': root.userId,
        'reply-thread-parent-user-login': root.login,
      },
    };
  }
}

/**
 * All rooms by `#name`, created on first use.
 *
 * @example
 * ```ts
 * const rooms = new ChatRooms();
 * rooms.get('#dallas').members.size; // 0
 * ```
 */
export class ChatRooms {
  readonly #rooms = new Map<string, ChatRoom>();

  /** The room, created if needed. `name` must already be normalised (`#lower`). */
  get(name: string): ChatRoom {
    let room = this.#rooms.get(name);
    if (!room) this.#rooms.set(name, (room = new ChatRoom(name)));
    return room;
  }

  /** The room if it exists. */
  find(name: string): ChatRoom | undefined {
    return this.#rooms.get(name);
  }

  /** Removes a session from every room it joined. */
  leaveAll(session: ChatSession): void {
    for (const name of session.channels) this.#rooms.get(name)?.members.delete(session);
    session.channels.clear();
  }
}
