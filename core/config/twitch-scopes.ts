/**
 * The value of `scopes` that requests every scope (twitch-creamery's convention).
 *
 * @example
 * ```ts
 * // bots.yaml: `scopes: all_scopes`
 * const wanted = bot.scopes === ALL_SCOPES ? KNOWN_TWITCH_SCOPES : bot.scopes;
 * ```
 */
export const ALL_SCOPES = 'all_scopes';

/**
 * Twitch OAuth scopes known when this was written (dev.twitch.tv/docs/authentication/scopes).
 * Only used for "did you mean" warnings: a scope missing here is still accepted.
 *
 * @example
 * ```ts
 * KNOWN_TWITCH_SCOPES.includes('chat:read'); // true
 * ```
 */
export const KNOWN_TWITCH_SCOPES: readonly string[] = [
  'analytics:read:extensions',
  'analytics:read:games',
  'bits:read',
  'channel:bot',
  'channel:edit:commercial',
  'channel:manage:ads',
  'channel:manage:broadcast',
  'channel:manage:extensions',
  'channel:manage:guest_star',
  'channel:manage:moderators',
  'channel:manage:polls',
  'channel:manage:predictions',
  'channel:manage:raids',
  'channel:manage:redemptions',
  'channel:manage:schedule',
  'channel:manage:videos',
  'channel:manage:vips',
  'channel:moderate',
  'channel:read:ads',
  'channel:read:charity',
  'channel:read:editors',
  'channel:read:goals',
  'channel:read:guest_star',
  'channel:read:hype_train',
  'channel:read:polls',
  'channel:read:predictions',
  'channel:read:redemptions',
  'channel:read:stream_key',
  'channel:read:subscriptions',
  'channel:read:vips',
  'chat:edit',
  'chat:read',
  'clips:edit',
  'moderation:read',
  'moderator:manage:announcements',
  'moderator:manage:automod',
  'moderator:manage:automod_settings',
  'moderator:manage:banned_users',
  'moderator:manage:blocked_terms',
  'moderator:manage:chat_messages',
  'moderator:manage:chat_settings',
  'moderator:manage:guest_star',
  'moderator:manage:shield_mode',
  'moderator:manage:shoutouts',
  'moderator:manage:unban_requests',
  'moderator:manage:warnings',
  'moderator:read:automod_settings',
  'moderator:read:banned_users',
  'moderator:read:blocked_terms',
  'moderator:read:chat_messages',
  'moderator:read:chat_settings',
  'moderator:read:chatters',
  'moderator:read:followers',
  'moderator:read:guest_star',
  'moderator:read:moderators',
  'moderator:read:shield_mode',
  'moderator:read:shoutouts',
  'moderator:read:suspicious_users',
  'moderator:read:unban_requests',
  'moderator:read:vips',
  'moderator:read:warnings',
  'user:bot',
  'user:edit',
  'user:edit:broadcast',
  'user:manage:blocked_users',
  'user:manage:chat_color',
  'user:manage:whispers',
  'user:read:blocked_users',
  'user:read:broadcast',
  'user:read:chat',
  'user:read:email',
  'user:read:emotes',
  'user:read:follows',
  'user:read:moderated_channels',
  'user:read:subscriptions',
  'user:read:whispers',
  'user:write:chat',
  'whispers:edit',
  'whispers:read',
];

/**
 * What a scope must look like: lower-case words joined by `:`.
 *
 * @example
 * ```ts
 * SCOPE_PATTERN.test('channel:read:subscriptions'); // true
 * SCOPE_PATTERN.test('Chat Read'); // false
 * ```
 */
export const SCOPE_PATTERN = /^[a-z_]+(:[a-z_]+)*$/;
