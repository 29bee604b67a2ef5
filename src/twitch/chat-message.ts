import type { ChatUserstate } from 'tmi.js';
import type { ChatMessage, ChatUser } from '../../core/index.js';
import { chatUserFromTags } from './chat-user.js';

/** How a received line answers: the connection's threaded reply and plain message. */
export interface ReplyTarget {
  reply(channel: string, parentId: string, text: string): Promise<void>;
  say(channel: string, text: string): Promise<void>;
}

/**
 * One received chat line as cogs see it. The sender and the time are read from the tags
 * only when asked for: most lines are never looked at that closely, and chat is the hot path.
 *
 * @example
 * ```ts
 * const message = new TmiChatMessage('alice', tags, 'hello', false, connection);
 * message.user.isSubscriber;
 * await message.reply('hi!');
 * ```
 */
export class TmiChatMessage implements ChatMessage {
  readonly id: string;
  #user: ChatUser | undefined;
  #at: Date | undefined;

  constructor(
    readonly channel: string,
    private readonly tags: ChatUserstate,
    readonly text: string,
    readonly self: boolean,
    private readonly target: ReplyTarget,
  ) {
    this.id = tags.id ?? '';
  }

  get user(): ChatUser {
    return (this.#user ??= chatUserFromTags(this.channel, this.tags));
  }

  get at(): Date {
    return (this.#at ??= new Date(Number(this.tags['tmi-sent-ts'] ?? Date.now())));
  }

  /** Replies in the thread of this line (a plain message when it has no id). */
  reply(text: string): Promise<void> {
    return this.id
      ? this.target.reply(this.channel, this.id, text)
      : this.target.say(this.channel, text);
  }
}
