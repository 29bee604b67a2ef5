import Router from '@koa/router';
import type { Logger } from '../../../core/index.js';
import { describeError } from '../../../core/errors.js';
import { TWITCH_CALLBACK_PATH, type TwitchAuthorizer } from './authorizer.js';
import { AuthError } from './errors.js';
import type { StoredTwitchToken } from './token-store.js';

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

/**
 * `GET /oauth/twitch/callback`: where Twitch sends the browser back after
 * `streamcogs auth <bot>`. Checks the signed single-use state, redeems the code, stores
 * the token (encrypted) and tells the user which account and scopes were authorised.
 * `onAuthorised` runs after the token is stored, `onFailed` when the callback fails.
 *
 * @example
 * ```ts
 * http.app.use(twitchCallbackRouter(authorizer, log).routes());
 * ```
 */
export function twitchCallbackRouter(
  authorizer: TwitchAuthorizer,
  log: Logger,
  onAuthorised?: (bot: string, token: StoredTwitchToken) => void,
  onFailed?: (err: unknown) => void,
): Router {
  const router = new Router();
  router.get(TWITCH_CALLBACK_PATH, async (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('cache-control', 'no-store');
    try {
      const { bot, token } = await authorizer.completeCallback(ctx.query);
      log.info({ bot, login: token.login, scopes: token.scope }, 'Twitch authorisation stored');
      onAuthorised?.(bot, token);
      ctx.body = page(
        `Bot "${bot}" is authorised`,
        `<p>Twitch account <strong>${esc(token.login)}</strong>, scopes: <code>${esc(token.scope.join(' ') || '(none)')}</code>.</p><p>The token is stored encrypted; you can close this window.</p>`,
      );
    } catch (err) {
      const known = err instanceof AuthError;
      ctx.status = known ? 400 : 502;
      log.warn({ err: describeError(err) }, 'Twitch authorisation callback failed');
      onFailed?.(err);
      ctx.body = page(
        'Authorisation failed',
        `<p>${esc(known ? err.message : `Twitch could not be reached: ${describeError(err)}`)}</p>`,
      );
    }
  });
  return router;
}
