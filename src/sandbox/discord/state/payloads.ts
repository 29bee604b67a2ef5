import type {
  SandboxAuthor,
  SandboxChannel,
  SandboxGuild,
  SandboxMember,
  SandboxMessage,
  SandboxRole,
  SandboxUser,
  SandboxWebhook,
} from './model.js';
import type { DiscordStore } from './store.js';

/** A JSON object as sent on the wire. */
export type Json = Record<string, unknown>;

/**
 * API user object.
 *
 * @example
 * ```ts
 * res.json(userPayload(store.users.get(id)!));
 * ```
 */
export function userPayload(user: SandboxUser): Json {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName,
    discriminator: '0',
    avatar: null,
    bot: user.bot,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

/**
 * API role object.
 *
 * @example
 * ```ts
 * const roles = [...guild.roles.values()].map(rolePayload);
 * ```
 */
export function rolePayload(role: SandboxRole): Json {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: role.mentionable,
    flags: 0,
  };
}

/**
 * API channel object (guild text or DM).
 *
 * @example
 * ```ts
 * channelPayload(store, channel);
 * ```
 */
export function channelPayload(store: DiscordStore, channel: SandboxChannel): Json {
  if (channel.type === 1) {
    const recipients = channel.recipients
      .map((id) => store.users.get(id))
      .filter((u): u is SandboxUser => u !== undefined && !u.bot)
      .map(userPayload);
    return {
      id: channel.id,
      type: 1,
      last_message_id: channel.lastMessageId,
      recipients,
      flags: 0,
    };
  }
  return {
    id: channel.id,
    type: 0,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    permission_overwrites: [],
    topic: null,
    nsfw: false,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
  };
}

/**
 * API guild member object (with its user).
 *
 * @example
 * ```ts
 * memberPayload(store, member);
 * ```
 */
export function memberPayload(store: DiscordStore, member: SandboxMember): Json {
  const user = store.users.get(member.userId);
  return {
    user: user ? userPayload(user) : { id: member.userId },
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/**
 * API guild object as `GET /guilds/{id}` returns it.
 *
 * @example
 * ```ts
 * guildPayload(store, guild);
 * ```
 */
export function guildPayload(store: DiscordStore, guild: SandboxGuild): Json {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [...guild.roles.values()].map(rolePayload),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    approximate_member_count: store.members.get(guild.id)?.size ?? 0,
  };
}

/**
 * The GUILD_CREATE dispatch body for one bot. Members: everyone when the session has
 * the GUILD_PRESENCES intent, else just the bot itself (Discord's rule).
 *
 * @example
 * ```ts
 * session.dispatch('GUILD_CREATE', guildCreatePayload(store, guild, bot.userId, true));
 * ```
 */
export function guildCreatePayload(
  store: DiscordStore,
  guild: SandboxGuild,
  botUserId: string,
  allMembers: boolean,
): Json {
  const members = [...(store.members.get(guild.id)?.values() ?? [])];
  const shown = allMembers ? members : members.filter((m) => m.userId === botUserId);
  const channels = guild.channelIds
    .map((id) => store.channels.get(id))
    .filter((c): c is SandboxChannel => c !== undefined)
    .map((c) => channelPayload(store, c));
  return {
    ...guildPayload(store, guild),
    joined_at: store.member(guild.id, botUserId)?.joinedAt ?? new Date(0).toISOString(),
    large: false,
    unavailable: false,
    member_count: members.length,
    members: shown.map((m) => memberPayload(store, m)),
    channels,
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

function authorPayload(author: SandboxAuthor, isWebhook: boolean): Json {
  return {
    id: author.id,
    username: author.username,
    global_name: author.globalName,
    discriminator: isWebhook ? '0000' : '0',
    avatar: author.avatar,
    bot: author.bot,
    public_flags: 0,
    flags: 0,
  };
}

/**
 * API message object.
 *
 * @example
 * ```ts
 * messagePayload(store, message);
 * ```
 */
export function messagePayload(store: DiscordStore, message: SandboxMessage): Json {
  const out: Json = {
    id: message.id,
    type: message.interactionId && message.source === 'interaction' ? 20 : 0,
    channel_id: message.channelId,
    author: authorPayload(message.author, message.webhookId !== null),
    content: message.content,
    timestamp: message.timestamp,
    edited_timestamp: message.editedTimestamp,
    tts: message.tts,
    mention_everyone: message.mentions.everyone,
    mentions: message.mentions.users
      .map((id) => store.users.get(id))
      .filter((u): u is SandboxUser => u !== undefined)
      .map(userPayload),
    mention_roles: [...message.mentions.roles],
    attachments: message.attachments.map((a) => ({ ...a, url: `attachment://${a.filename}` })),
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    flags: message.flags,
  };
  if (message.guildId) out.guild_id = message.guildId;
  if (message.webhookId) out.webhook_id = message.webhookId;
  if (message.applicationId) out.application_id = message.applicationId;
  return out;
}

/**
 * API webhook object; `withToken` false hides the token (as for other users' webhooks).
 *
 * @example
 * ```ts
 * webhookPayload(store, hook, true);
 * ```
 */
export function webhookPayload(
  store: DiscordStore,
  hook: SandboxWebhook,
  withToken: boolean,
): Json {
  const creator = hook.creatorId ? store.users.get(hook.creatorId) : undefined;
  const out: Json = {
    id: hook.id,
    type: 1,
    guild_id: hook.guildId,
    channel_id: hook.channelId,
    name: hook.name,
    avatar: hook.avatar,
    application_id: null,
  };
  if (creator) out.user = userPayload(creator);
  if (withToken) out.token = hook.token;
  return out;
}
