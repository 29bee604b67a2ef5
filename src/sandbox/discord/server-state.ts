import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SandboxInteraction } from './interactions/tracker.js';
import type { ReceivedRequest } from './recorder.js';
import type { DiscordSandbox } from './sandbox.js';
import type {
  SandboxAuditEntry,
  SandboxBot,
  SandboxCommand,
  SandboxMessage,
  SandboxRole,
  SandboxUser,
  SandboxWebhook,
} from './state/model.js';
import type {
  CreateBotInput,
  CreateGuildInput,
  CreateUserInput,
  SeededGuild,
} from './state/seed.js';

/**
 * Events of the server: `record` fires for every received request or gateway payload.
 *
 * @example
 * ```ts
 * server.on('record', (r) => console.log(r.route, r.status));
 * ```
 */
export interface DiscordServerEvents {
  record: [ReceivedRequest];
}

/**
 * Input of `server.createWebhook`.
 *
 * @example
 * ```ts
 * server.createWebhook({ channelId, name: 'Alerts' });
 * ```
 */
export interface CreateWebhookInput {
  channelId: string;
  name?: string;
  /** User who "created" it (shown as `webhook.user`). */
  creatorId?: string;
}

/**
 * Seeding and read-only views over the simulator state. Extended by `DiscordServer`.
 *
 * @example
 * ```ts
 * const bot = server.createBot({ username: 'helper' });
 * const guild = server.createGuild({ name: 'Test', channels: ['general'] });
 * server.messages(guild.channels.general!);
 * ```
 */
export class DiscordServerState extends EventEmitter<DiscordServerEvents> {
  protected constructor(protected readonly sb: DiscordSandbox) {
    super();
  }

  /**
   * Creates a bot user with a token and application (app id defaults to the user id).
   *
   * @example
   * ```ts
   * const { token, appId, userId } = server.createBot({ username: 'helper' });
   * ```
   */
  createBot(input: CreateBotInput): SandboxBot {
    return this.sb.seeder.createBot(input);
  }

  /**
   * Creates a (human) user, not in any guild.
   *
   * @example
   * ```ts
   * const carol = server.createUser({ username: 'carol', dmsOpen: false });
   * ```
   */
  createUser(input: CreateUserInput): SandboxUser {
    return this.sb.seeder.createUser(input);
  }

  /**
   * Creates a guild with roles (positions/permissions), text channels and members; every
   * bot created so far joins (with `botRoles`) unless `bots` lists who does. Create guilds
   * before bots log in: READY lists the guilds a bot is in at IDENTIFY time.
   *
   * @example
   * ```ts
   * const g = server.createGuild({
   *   name: 'Test',
   *   roles: [{ name: 'Member' }, { name: 'Bot', permissions: ['ManageRoles'] }, { name: 'Admin' }],
   *   channels: ['general'],
   *   members: [{ username: 'alice', roles: ['Member'] }],
   *   botRoles: ['Bot'],
   * });
   * g.roles.Admin; g.channels.general; g.members.alice; // ids
   * ```
   */
  createGuild(input: CreateGuildInput): SeededGuild {
    return this.sb.seeder.createGuild(input);
  }

  /**
   * Adds a text channel to a guild (no CHANNEL_CREATE dispatch).
   *
   * @example
   * ```ts
   * const logsId = server.createChannel(guildId, 'logs');
   * ```
   */
  createChannel(guildId: string, name: string): string {
    return this.sb.seeder.createChannel(guildId, name).id;
  }

  /**
   * Creates a channel webhook directly (as if made in the Discord UI).
   *
   * @example
   * ```ts
   * const hook = server.createWebhook({ channelId });
   * await fetch(`${server.apiUrl}/v10/webhooks/${hook.id}/${hook.token}`, { method: 'POST', ... });
   * ```
   */
  createWebhook(input: CreateWebhookInput): SandboxWebhook {
    const channel = this.sb.store.channels.get(input.channelId);
    if (!channel || !channel.guildId) throw new Error(`unknown guild channel ${input.channelId}`);
    const hook: SandboxWebhook = {
      id: this.sb.ids.next(),
      token: randomBytes(51).toString('base64url'),
      channelId: channel.id,
      guildId: channel.guildId,
      name: input.name ?? 'Captain Hook',
      avatar: null,
      creatorId: input.creatorId ?? null,
    };
    this.sb.store.webhooks.set(hook.id, hook);
    return hook;
  }

  /**
   * Everything received, oldest first (bounded by `maxRecords`).
   *
   * @example
   * ```ts
   * server.received.filter((r) => r.status === 429).length;
   * ```
   */
  get received(): ReceivedRequest[] {
    return this.sb.recorder.all();
  }

  /**
   * Forgets the received log.
   *
   * @example
   * ```ts
   * server.clearReceived();
   * ```
   */
  clearReceived(): void {
    this.sb.recorder.clear();
  }

  /**
   * Invalid requests (401, 403, non-shared 429) in the last 10 minutes (configurable).
   *
   * @example
   * ```ts
   * expect(server.invalidRequests()).toBe(1);
   * ```
   */
  invalidRequests(): number {
    return this.sb.invalid.count();
  }

  /**
   * Messages posted through webhook executes (not deleted), optionally in one channel.
   *
   * @example
   * ```ts
   * server.webhookPosts(channelId).map((m) => m.content);
   * ```
   */
  webhookPosts(channelId?: string): SandboxMessage[] {
    const lists = channelId
      ? [this.sb.store.messagesByChannel.get(channelId) ?? []]
      : [...this.sb.store.messagesByChannel.values()];
    return lists.flat().filter((m) => m.source === 'webhook' && !m.deleted);
  }

  /**
   * Messages in a channel (not deleted; ephemeral replies included, see `flags`).
   *
   * @example
   * ```ts
   * server.messages(channelId).at(-1)?.content;
   * ```
   */
  messages(channelId: string): SandboxMessage[] {
    return (this.sb.store.messagesByChannel.get(channelId) ?? []).filter((m) => !m.deleted);
  }

  /**
   * Direct messages bots sent to a user (all bots, oldest first).
   *
   * @example
   * ```ts
   * server.dms(aliceId)[0]?.content;
   * ```
   */
  dms(userId: string): SandboxMessage[] {
    const out: SandboxMessage[] = [];
    for (const [key, channelId] of this.sb.store.dmChannels) {
      if (key.endsWith(`:${userId}`)) out.push(...this.messages(channelId));
    }
    return out.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  }

  /**
   * A member's roles (without @everyone), highest first.
   *
   * @example
   * ```ts
   * server.memberRoles(guildId, aliceId).map((r) => r.name); // ['Member']
   * ```
   */
  memberRoles(guildId: string, userId: string): SandboxRole[] {
    const guild = this.sb.store.guilds.get(guildId);
    const member = this.sb.store.member(guildId, userId);
    if (!guild || !member) return [];
    return member.roles
      .map((id) => guild.roles.get(id))
      .filter((r): r is SandboxRole => r !== undefined)
      .sort((a, b) => b.position - a.position);
  }

  /**
   * Registered application commands, global (no `guildId`) or in one guild.
   *
   * @example
   * ```ts
   * server.commands(bot.appId, guildId).map((c) => c.name); // ['ping']
   * ```
   */
  commands(appId: string, guildId?: string): SandboxCommand[] {
    return [...this.sb.store.commandMap(appId, guildId).values()];
  }

  /**
   * Audit-log entries written by REST role changes (with their `X-Audit-Log-Reason`).
   *
   * @example
   * ```ts
   * server.auditLog(guildId)[0]?.reason; // 'verified'
   * ```
   */
  auditLog(guildId?: string): SandboxAuditEntry[] {
    return this.sb.store.auditLog.filter((e) => guildId === undefined || e.guildId === guildId);
  }

  /**
   * An interaction pushed by this server, with every reply the bot made.
   *
   * @example
   * ```ts
   * server.interaction(id)?.replies.map((r) => r.kind); // ['deferred', 'edit']
   * ```
   */
  interaction(id: string): SandboxInteraction | undefined {
    return this.sb.interactions.get(id);
  }
}
