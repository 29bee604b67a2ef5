import { AuthError } from './errors.js';
import type { TokenGrant, TwitchOAuthApi } from './oauth-api.js';
import type { StoredTwitchToken } from './token-store.js';

/**
 * Checks a grant Twitch just issued (a refresh token, an access token `/validate` accepts) and
 * makes the token to store from it: the account, and the scopes and lifetime the grant or
 * `/validate` reports. `retry` is the fix named when Twitch does not accept the token.
 *
 * @example
 * ```ts
 * const grant = await oauth.exchangeCode({ clientId, clientSecret, code, redirectUri });
 * const token = await tokenFromGrant(oauth, grant, clientId, 'run streamcogs auth mybot again');
 * await tokens.save('mybot', token);
 * ```
 */
export async function tokenFromGrant(
  oauth: Pick<TwitchOAuthApi, 'validate'>,
  grant: TokenGrant,
  clientId: string,
  retry: string,
): Promise<StoredTwitchToken> {
  if (!grant.refresh_token)
    throw new AuthError('SC_AUTH_HTTP', 'Twitch returned no refresh token', {
      fix: 'use a confidential Twitch app (with a client secret)',
    });
  const info = await oauth.validate(grant.access_token);
  if (!info?.userId)
    throw new AuthError('SC_AUTH_HTTP', 'Twitch did not accept the token it just issued', {
      fix: retry,
    });
  return {
    accessToken: grant.access_token,
    refreshToken: grant.refresh_token,
    scope: grant.scope ?? info.scopes,
    expiresIn: grant.expires_in ?? info.expiresIn,
    obtainmentTimestamp: Date.now(),
    userId: info.userId,
    login: info.login,
    clientId,
  };
}
