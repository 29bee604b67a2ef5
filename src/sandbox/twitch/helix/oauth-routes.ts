import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { TwitchWorld } from '../world.js';
import { oauthError, param } from './helix-http.js';
import type { OAuthApp, TokenResponse } from './oauth-store.js';

const deviceGrantType = 'urn:ietf:params:oauth:grant-type:device_code';

function scopesParam(ctx: Context): string[] {
  const raw = param(ctx, 'scopes') ?? param(ctx, 'scope') ?? '';
  return raw.split(/[\s+]+/).filter(Boolean);
}

function clientOf(ctx: Context, world: TwitchWorld, secretRequired: boolean): OAuthApp | undefined {
  const app = world.auth.getApp(param(ctx, 'client_id') ?? '');
  if (!app) {
    oauthError(ctx, 400, 'invalid client');
    return undefined;
  }
  const secret = param(ctx, 'client_secret');
  if (secret === undefined && secretRequired) {
    oauthError(ctx, 400, 'missing client secret');
    return undefined;
  }
  if (secret !== undefined && secret !== app.clientSecret) {
    oauthError(ctx, 403, 'invalid client secret');
    return undefined;
  }
  return app;
}

function answer(ctx: Context, result: TokenResponse | string): void {
  if (typeof result === 'string') oauthError(ctx, 400, result);
  else ctx.body = result;
}

async function token(ctx: Context, world: TwitchWorld): Promise<void> {
  const grantType = param(ctx, 'grant_type');
  switch (grantType) {
    case 'client_credentials': {
      const app = clientOf(ctx, world, true);
      if (app) ctx.body = world.auth.issueAppToken(app.clientId);
      return;
    }
    case 'authorization_code': {
      const app = clientOf(ctx, world, true);
      if (!app) return;
      answer(
        ctx,
        world.auth.grants.exchangeCode(
          app.clientId,
          param(ctx, 'code') ?? '',
          param(ctx, 'redirect_uri') ?? '',
        ),
      );
      return;
    }
    case 'refresh_token': {
      const app = world.auth.getApp(param(ctx, 'client_id') ?? '');
      const checked = clientOf(ctx, world, !app?.isPublic);
      if (!checked) return;
      const next = world.auth.refresh(checked.clientId, param(ctx, 'refresh_token') ?? '');
      answer(ctx, next ?? 'Invalid refresh token');
      return;
    }
    case deviceGrantType: {
      const app = clientOf(ctx, world, false);
      if (app)
        answer(ctx, world.auth.grants.pollDevice(app.clientId, param(ctx, 'device_code') ?? ''));
      return;
    }
    default:
      oauthError(ctx, 400, 'Invalid grant type');
  }
}

async function validate(ctx: Context, world: TwitchWorld): Promise<void> {
  const match = /^(?:OAuth|Bearer)\s+(\S+)$/i.exec(ctx.get('authorization'));
  if (!match?.[1]) {
    oauthError(ctx, 401, 'missing authorization token');
    return;
  }
  const rec = world.auth.lookup(match[1]);
  if (!rec) {
    oauthError(ctx, 401, 'invalid access token');
    return;
  }
  const expiresIn = Math.max(0, Math.floor((rec.expiresAt - world.now()) / 1000));
  const user = rec.userId === null ? undefined : world.users.get(rec.userId);
  ctx.body = user
    ? {
        client_id: rec.clientId,
        login: user.login,
        scopes: rec.scopes,
        user_id: user.id,
        expires_in: expiresIn,
      }
    : { client_id: rec.clientId, scopes: rec.scopes, expires_in: expiresIn };
}

async function revoke(ctx: Context, world: TwitchWorld): Promise<void> {
  const clientId = param(ctx, 'client_id') ?? '';
  if (!world.auth.getApp(clientId)) {
    oauthError(ctx, 404, 'client does not exist');
    return;
  }
  if (!world.auth.revokeToken(clientId, param(ctx, 'token') ?? '')) {
    oauthError(ctx, 400, 'Invalid token');
    return;
  }
  ctx.status = 200;
  ctx.body = '';
}

async function device(ctx: Context, world: TwitchWorld, baseUrl: () => string): Promise<void> {
  const app = world.auth.getApp(param(ctx, 'client_id') ?? '');
  if (!app) {
    oauthError(ctx, 400, 'invalid client');
    return;
  }
  const grant = world.auth.grants.startDevice(app.clientId, scopesParam(ctx));
  ctx.body = {
    device_code: grant.deviceCode,
    expires_in: world.auth.grants.deviceCodeExpiresIn,
    interval: 5,
    user_code: grant.userCode,
    verification_uri: `${baseUrl()}/auth/activate?public=true&device-code=${grant.userCode}`,
  };
}

/**
 * Registers the OAuth endpoints twurple maps from `id.twitch.tv/oauth2/*`: `token` (client
 * credentials, authorization code, rotating refresh tokens, device code), `validate`, `revoke`
 * and `device`.
 *
 * @example
 * ```ts
 * registerOAuthRoutes(authRouter, world, () => server.baseUrl);
 * ```
 */
export function registerOAuthRoutes(
  router: Router,
  world: TwitchWorld,
  baseUrl: () => string,
): void {
  router.post('/token', (ctx) => token(ctx, world));
  router.get('/validate', (ctx) => validate(ctx, world));
  router.post('/revoke', (ctx) => revoke(ctx, world));
  router.post('/device', (ctx) => device(ctx, world, baseUrl));
}

/** Parses the `scope`/`scopes` parameter (space or `+` separated). @example `parseScopes(ctx)` */
export const parseScopes = scopesParam;
