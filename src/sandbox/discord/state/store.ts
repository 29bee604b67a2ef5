import type {
  SandboxAuditEntry,
  SandboxBot,
  SandboxChannel,
  SandboxCommand,
  SandboxGuild,
  SandboxMember,
  SandboxMessage,
  SandboxUser,
  SandboxWebhook,
} from './model.js';

/**
 * All simulator state, in maps keyed by id. No behaviour beyond bookkeeping: rules
 * (permissions, rate limits) live in the routes.
 *
 * @example
 * ```ts
 * const store = new DiscordStore({ maxMessagesPerChannel: 1000 });
 * store.users.set(user.id, user);
 * ```
 */
export class DiscordStore {
  readonly users = new Map<string, SandboxUser>();
  /** Bots by token. */
  readonly botsByToken = new Map<string, SandboxBot>();
  /** Bots by application id. */
  readonly botsByApp = new Map<string, SandboxBot>();
  readonly guilds = new Map<string, SandboxGuild>();
  readonly channels = new Map<string, SandboxChannel>();
  /** guildId -> userId -> member. */
  readonly members = new Map<string, Map<string, SandboxMember>>();
  /** channelId -> messages in order. */
  readonly messagesByChannel = new Map<string, SandboxMessage[]>();
  readonly messagesById = new Map<string, SandboxMessage>();
  readonly webhooks = new Map<string, SandboxWebhook>();
  /** appId -> '' (global) or guildId -> commandId -> command. */
  readonly commands = new Map<string, Map<string, Map<string, SandboxCommand>>>();
  /** `${botUserId}:${userId}` -> DM channel id. */
  readonly dmChannels = new Map<string, string>();
  readonly auditLog: SandboxAuditEntry[] = [];

  constructor(private readonly options: { maxMessagesPerChannel: number }) {}

  /** The bot whose user id this is, if any. */
  botByUserId(userId: string): SandboxBot | undefined {
    for (const bot of this.botsByToken.values()) if (bot.userId === userId) return bot;
    return undefined;
  }

  /** A guild's member map (created on first use). */
  guildMembers(guildId: string): Map<string, SandboxMember> {
    let map = this.members.get(guildId);
    if (!map) {
      map = new Map();
      this.members.set(guildId, map);
    }
    return map;
  }

  member(guildId: string, userId: string): SandboxMember | undefined {
    return this.members.get(guildId)?.get(userId);
  }

  /** Guild ids the user is a member of. */
  guildsOf(userId: string): string[] {
    const out: string[] = [];
    for (const [guildId, map] of this.members) if (map.has(userId)) out.push(guildId);
    return out;
  }

  /** Stores a message, trimming the channel's oldest beyond the cap (up to 1/8 over, in batches). */
  addMessage(message: SandboxMessage): void {
    let list = this.messagesByChannel.get(message.channelId);
    if (!list) {
      list = [];
      this.messagesByChannel.set(message.channelId, list);
    }
    list.push(message);
    this.messagesById.set(message.id, message);
    const channel = this.channels.get(message.channelId);
    if (channel) channel.lastMessageId = message.id;
    // Trim in batches (max + 1/8) so a full channel doesn't shift its array per message.
    const max = this.options.maxMessagesPerChannel;
    if (list.length > max + Math.max(1, max >> 3)) {
      for (const old of list.splice(0, list.length - max)) this.messagesById.delete(old.id);
    }
  }

  /** The command map for an application, globally (`guildId` undefined) or in one guild. */
  commandMap(appId: string, guildId?: string): Map<string, SandboxCommand> {
    let byScope = this.commands.get(appId);
    if (!byScope) {
      byScope = new Map();
      this.commands.set(appId, byScope);
    }
    const key = guildId ?? '';
    let map = byScope.get(key);
    if (!map) {
      map = new Map();
      byScope.set(key, map);
    }
    return map;
  }

  /** Webhooks of one channel. */
  channelWebhooks(channelId: string): SandboxWebhook[] {
    return [...this.webhooks.values()].filter((w) => w.channelId === channelId);
  }
}
