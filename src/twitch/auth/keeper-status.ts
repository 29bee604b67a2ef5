import type { Logger } from '../../../core/index.js';
import { authCommand } from './errors.js';
import type { TwitchOAuthApi } from './oauth-api.js';
import { expiresAt } from './refresh-timing.js';
import { missingScopes } from './scopes.js';
import type { StoredTwitchToken, TwitchTokenStore } from './token-store.js';

/** Where a bot's Twitch authorisation stands. */
export type TwitchAuthState = 'valid' | 'missing' | 'needs_auth' | 'no_app';

/** A bot's Twitch authorisation, for `/readyz` and `streamcogs status`. */
export interface TwitchAuthStatus {
  state: TwitchAuthState;
  needsAuth: boolean;
  login?: string;
  userId?: string;
  scopes: string[];
  /** Needed scopes the token was not granted. */
  missingScopes: string[];
  /** When the current access token expires (it is refreshed before). */
  tokenExpiresAt?: string;
  /** What to run to fix `needs_auth` / `missing`. */
  command?: string;
  detail?: string;
}

/** Options of {@link TokenKeeper}. */
export interface TokenKeeperOptions {
  bot: string;
  /** Prefix of the bot's environment variables, for messages. */
  envPrefix?: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  tokens: TwitchTokenStore;
  oauth: TwitchOAuthApi;
  log: Logger;
  /** Scopes the bot's cogs need (reported when the token lacks some). */
  neededScopes: readonly string[];
  /** Default one hour (Twitch's rule). */
  validateEveryMs?: number;
  /** While unauthorised, how often to look for a token stored by `streamcogs auth` elsewhere. */
  recheckEveryMs?: number;
}

/**
 * What `/readyz` shows of a keeper.
 *
 * @example
 * ```ts
 * statusOf(options, 'valid', token, undefined).tokenExpiresAt;
 * ```
 */
export function statusOf(
  o: TokenKeeperOptions,
  state: TwitchAuthState,
  t: StoredTwitchToken | undefined,
  detail: string | undefined,
): TwitchAuthStatus {
  const needsAuth = state !== 'valid';
  return {
    state,
    needsAuth,
    ...(t ? { login: t.login, userId: t.userId, tokenExpiresAt: expiresAt(t) } : {}),
    scopes: t?.scope ?? [],
    missingScopes: t ? missingScopes(t.scope, o.neededScopes) : [],
    ...(needsAuth && state !== 'no_app' ? { command: authCommand(o.bot) } : {}),
    ...(detail ? { detail } : {}),
  };
}
