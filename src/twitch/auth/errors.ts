/** Codes of {@link AuthError}: stable, for users to search and tests to assert. */
export type AuthErrorCode =
  | 'SC_SECRET_KEY_MISSING'
  | 'SC_SECRET_KEY_INVALID'
  | 'SC_SECRET_KEY_MISMATCH'
  | 'SC_AUTH_NO_APP'
  | 'SC_AUTH_REQUIRED'
  | 'SC_AUTH_REVOKED'
  | 'SC_AUTH_STATE'
  | 'SC_AUTH_DENIED'
  | 'SC_AUTH_TIMEOUT'
  | 'SC_AUTH_HTTP';

/**
 * A Twitch authorisation problem: what happened, and the fix (often the command to run).
 *
 * @example
 * ```ts
 * throw new AuthError('SC_AUTH_REVOKED', 'bot "alice": Twitch refused the refresh token', {
 *   fix: 'run: npx streamcogs auth alice',
 * });
 * ```
 */
export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly fix: string | undefined;

  constructor(
    code: AuthErrorCode,
    message: string,
    options: { fix?: string; cause?: unknown } = {},
  ) {
    super(options.fix ? `${message} (fix: ${options.fix})` : message, { cause: options.cause });
    this.name = 'AuthError';
    this.code = code;
    this.fix = options.fix;
  }
}

/**
 * The command that authorises a bot's Twitch account, as users type it.
 *
 * @example
 * ```ts
 * authCommand('alice'); // 'npx streamcogs auth alice'
 * ```
 */
export function authCommand(bot: string): string {
  return `npx streamcogs auth ${/^[\w.-]+$/.test(bot) ? bot : JSON.stringify(bot)}`;
}
