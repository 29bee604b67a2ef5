import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { TwitchWorld } from '../world.js';
import { param } from './helix-http.js';
import { parseScopes } from './oauth-routes.js';

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(ctx: Context, status: number, title: string, body: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
}

function withParams(base: string, params: Record<string, string>, fragment: boolean): string {
  const query = new URLSearchParams(params).toString();
  if (fragment) return `${base}#${query}`;
  return `${base}${base.includes('?') ? '&' : '?'}${query}`;
}

async function authorize(ctx: Context, world: TwitchWorld): Promise<void> {
  const clientId = param(ctx, 'client_id') ?? '';
  const redirectUri = param(ctx, 'redirect_uri') ?? '';
  const responseType = param(ctx, 'response_type') ?? '';
  const state = param(ctx, 'state') ?? '';
  const scopes = parseScopes(ctx);
  const app = world.auth.getApp(clientId);
  if (!app) return page(ctx, 400, 'Invalid client', '<p>client_id is not registered.</p>');
  if (!redirectUri || (app.redirectUris.length > 0 && !app.redirectUris.includes(redirectUri))) {
    return page(
      ctx,
      400,
      'Invalid redirect',
      '<p>redirect_uri does not match the registered URI.</p>',
    );
  }
  if (responseType !== 'code' && responseType !== 'token') {
    return page(ctx, 400, 'Unsupported response_type', '<p>Use code or token.</p>');
  }
  const login = param(ctx, 'login');
  const decision = param(ctx, 'decision') ?? (param(ctx, 'auto') === '1' ? 'authorize' : undefined);
  const tail: Record<string, string> = state ? { state } : {};
  if (decision === 'cancel') {
    const denied = {
      error: 'access_denied',
      error_description: 'The user denied you access',
      ...tail,
    };
    ctx.redirect(withParams(redirectUri, denied, false));
    return;
  }
  if (decision === 'authorize' && login) {
    const user = world.ensureUser(login);
    const scope = scopes.join(' ');
    if (responseType === 'token') {
      const token = world.auth.issueUserToken(app.clientId, user.id, scopes);
      const fields = { access_token: token.access_token, scope, ...tail, token_type: 'bearer' };
      ctx.redirect(withParams(redirectUri, fields, true));
    } else {
      const code = world.auth.grants.createCode(app.clientId, user.id, scopes, redirectUri);
      ctx.redirect(withParams(redirectUri, { code, scope, ...tail }, false));
    }
    return;
  }
  const fields = {
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: responseType,
    scope: scopes.join(' '),
    state,
  };
  const scopeList = scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('');
  page(
    ctx,
    200,
    `Authorize ${app.name}`,
    `<p><strong>${esc(app.name)}</strong> wants access to your account:</p><ul>${scopeList}</ul>` +
      `<form method="post" action="/auth/authorize">${hidden(fields)}` +
      `<label>Log in as <input name="login" value="${esc(login ?? '')}" required></label> ` +
      `<button name="decision" value="authorize">Authorize</button> ` +
      `<button name="decision" value="cancel" formnovalidate>Cancel</button></form>`,
  );
}

async function activate(ctx: Context, world: TwitchWorld): Promise<void> {
  const userCode = param(ctx, 'user_code') ?? param(ctx, 'device-code') ?? '';
  const login = param(ctx, 'login');
  if (ctx.method === 'POST' && login) {
    const ok = world.approveDevice(userCode, login);
    if (ok)
      return page(
        ctx,
        200,
        'Success',
        '<p>You may now close this window and return to your device.</p>',
      );
    return page(ctx, 400, 'Invalid code', '<p>That code is unknown, expired or already used.</p>');
  }
  page(
    ctx,
    200,
    'Activate your device',
    `<form method="post" action="/auth/activate">` +
      `<label>Code <input name="user_code" value="${esc(userCode)}" required></label> ` +
      `<label>Log in as <input name="login" required></label> ` +
      `<button>Activate</button></form>`,
  );
}

/**
 * Registers the sandbox's browser pages: the authorize page (`GET|POST /auth/authorize`; with
 * `login=<user>&auto=1` it redirects straight back) and the device activation page
 * (`GET|POST /auth/activate`).
 *
 * @example
 * ```ts
 * registerOAuthPages(authRouter, world);
 * // GET /auth/authorize?client_id=cid&redirect_uri=...&response_type=code&scope=chat:read&state=s&login=alice&auto=1
 * ```
 */
export function registerOAuthPages(router: Router, world: TwitchWorld): void {
  router.get('/authorize', (ctx) => authorize(ctx, world));
  router.post('/authorize', (ctx) => authorize(ctx, world));
  router.get('/activate', (ctx) => activate(ctx, world));
  router.post('/activate', (ctx) => activate(ctx, world));
}
