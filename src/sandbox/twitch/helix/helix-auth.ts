import type { Context, Next } from 'koa';
import type { TwitchWorld } from '../world.js';
import type { AccessTokenRecord } from './oauth-store.js';
import { helixError } from './helix-http.js';

/**
 * The token a Helix request was authenticated with (set by {@link helixAuth}).
 *
 * @example
 * ```ts
 * const { userId, scopes } = tokenOf(ctx);
 * ```
 */
export function tokenOf(ctx: Context): AccessTokenRecord {
  return (ctx.state as { token: AccessTokenRecord }).token;
}

/**
 * Koa middleware authenticating Helix requests like Twitch: `Authorization: Bearer <token>` and
 * a `Client-Id` header matching the token's client; otherwise 401.
 *
 * @example
 * ```ts
 * router.use(helixAuth(world));
 * ```
 */
export function helixAuth(world: TwitchWorld) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      helixError(ctx, 401, 'OAuth token is missing');
      return;
    }
    const clientId = ctx.get('client-id');
    if (!clientId) {
      helixError(ctx, 401, 'Client ID is missing');
      return;
    }
    const token = world.auth.lookup(match[1]);
    if (!token) {
      helixError(ctx, 401, 'Invalid OAuth token');
      return;
    }
    if (token.clientId !== clientId) {
      helixError(ctx, 401, 'Client ID and OAuth token do not match');
      return;
    }
    (ctx.state as { token: AccessTokenRecord }).token = token;
    await next();
  };
}

/**
 * Checks that the request carries a user token (of `userId` when given) with one of `anyOfScopes`;
 * answers 401 like Twitch and returns false otherwise.
 *
 * @example
 * ```ts
 * if (!requireUserToken(ctx, { userId: broadcasterId, anyOfScopes: ['channel:read:subscriptions'] })) return;
 * ```
 */
export function requireUserToken(
  ctx: Context,
  need: { userId?: string | undefined; anyOfScopes?: string[]; mismatch?: string },
): boolean {
  const token = tokenOf(ctx);
  if (token.userId === null) {
    helixError(ctx, 401, 'Missing User OAUTH Token');
    return false;
  }
  const scopes = need.anyOfScopes ?? [];
  if (scopes.length > 0 && !scopes.some((s) => token.scopes.includes(s))) {
    helixError(ctx, 401, `Missing scope: ${scopes.join(' or ')}`);
    return false;
  }
  if (need.userId !== undefined && need.userId !== token.userId) {
    helixError(
      ctx,
      401,
      need.mismatch ?? 'The ID in the request must match the user ID in the OAuth token',
    );
    return false;
  }
  return true;
}
