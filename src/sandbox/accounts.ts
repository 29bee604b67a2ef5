/**
 * The Twitch login a bot gets in the sandbox: its bots.yaml name, lower-case, with
 * anything Twitch does not allow turned into `_`.
 *
 * @example
 * ```ts
 * sandboxLogin('Example-Bot'); // 'example_bot'
 * ```
 */
export function sandboxLogin(botName: string): string {
  const login = botName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return login.length >= 4 ? login.slice(0, 25) : `${login}_bot`;
}

/**
 * Scopes a sandbox bot account is granted: enough for every built-in cog.
 *
 * @example
 * ```ts
 * const tokens = world.grantUser(sandboxLogin('alice'), app.clientId, SANDBOX_BOT_SCOPES);
 * ```
 */
export const SANDBOX_BOT_SCOPES = [
  'chat:read',
  'chat:edit',
  'user:read:chat',
  'user:write:chat',
  'moderator:read:followers',
  'channel:read:subscriptions',
  'bits:read',
  'channel:read:redemptions',
];
