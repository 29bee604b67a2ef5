/**
 * The simulator's stored entities. Plain records (not Discord API payloads): the
 * serializers in `payloads.ts` turn them into the JSON Discord would send.
 *
 * @example
 * ```ts
 * import type { SandboxMessage } from './model.js';
 * const texts = (msgs: SandboxMessage[]) => msgs.map((m) => m.content);
 * ```
 * @module
 */

/**
 * A Discord user (human or bot).
 *
 * @example
 * ```ts
 * const carol: SandboxUser = server.createUser({ username: 'carol' });
 * ```
 */
export interface SandboxUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  /** Whether the user accepts DMs from bots in servers they share (false -> 50007). */
  dmsOpen: boolean;
}

/**
 * A bot account: its user, token and application.
 *
 * @example
 * ```ts
 * const { token, appId, userId }: SandboxBot = server.createBot({ username: 'helper' });
 * ```
 */
export interface SandboxBot {
  token: string;
  userId: string;
  appId: string;
  username: string;
}

/**
 * A guild role. `permissions` is the bitfield as a bigint.
 *
 * @example
 * ```ts
 * server.memberRoles(guildId, userId).map((r: SandboxRole) => r.name);
 * ```
 */
export interface SandboxRole {
  id: string;
  guildId: string;
  name: string;
  position: number;
  permissions: bigint;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  managed: boolean;
}

/** A text channel (type 0) or a DM channel (type 1). */
export interface SandboxChannel {
  id: string;
  type: 0 | 1;
  guildId: string | null;
  name: string | null;
  position: number;
  /** DM channels: the two participants (bot user id and recipient id). */
  recipients: string[];
  lastMessageId: string | null;
}

/** A guild member. `roles` excludes @everyone, as in the API. */
export interface SandboxMember {
  guildId: string;
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

/** A guild with its roles and channel order. Members live in the store. */
export interface SandboxGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, SandboxRole>;
  channelIds: string[];
}

/** Who wrote a message, as shown in `message.author`. */
export interface SandboxAuthor {
  id: string;
  username: string;
  avatar: string | null;
  bot: boolean;
  globalName: string | null;
}

/** Mentions resolved from the content under `allowed_mentions`. */
export interface SandboxMentions {
  users: string[];
  roles: string[];
  everyone: boolean;
}

/** How a message came to exist. */
export type MessageSource = 'bot' | 'webhook' | 'interaction' | 'followup' | 'user';

/**
 * A stored message (deleted ones stay, flagged, so tests can see deletions).
 *
 * @example
 * ```ts
 * server.webhookPosts(channelId).map((m: SandboxMessage) => [m.author.username, m.content]);
 * ```
 */
export interface SandboxMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: { id: string; filename: string; size: number }[];
  flags: number;
  tts: boolean;
  mentions: SandboxMentions;
  author: SandboxAuthor;
  source: MessageSource;
  webhookId: string | null;
  applicationId: string | null;
  interactionId: string | null;
  /** The raw body the message was created from (webhook executes: username, avatar_url...). */
  raw: Record<string, unknown>;
  timestamp: string;
  editedTimestamp: string | null;
  deleted: boolean;
}

/**
 * A channel webhook (type 1, "incoming").
 *
 * @example
 * ```ts
 * const { id, token }: SandboxWebhook = server.createWebhook({ channelId });
 * ```
 */
export interface SandboxWebhook {
  id: string;
  token: string;
  channelId: string;
  guildId: string;
  name: string;
  avatar: string | null;
  creatorId: string | null;
}

/**
 * A registered application command, stored as the API object.
 *
 * @example
 * ```ts
 * server.commands(appId, guildId).map((c: SandboxCommand) => c.name);
 * ```
 */
export interface SandboxCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  version: string;
  type: number;
  name: string;
  description: string;
  options?: unknown[];
  [key: string]: unknown;
}

/**
 * One recorded audit-log entry (role changes made over REST).
 *
 * @example
 * ```ts
 * server.auditLog(guildId).map((e: SandboxAuditEntry) => e.reason);
 * ```
 */
export interface SandboxAuditEntry {
  at: number;
  guildId: string;
  action: 'member_role_add' | 'member_role_remove';
  userId: string;
  targetId: string;
  roleId: string;
  reason: string | null;
}
