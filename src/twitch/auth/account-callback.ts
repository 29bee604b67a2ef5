import type { Middleware } from 'koa';
import type { Logger, Store, TwitchAuthorization, TwitchAuthPage } from '../../../core/index.js';
import { describeError } from '../../../core/errors.js';
import { consumeAccountState, looksLikeAccountState } from './account-state.js';
import type { AccountTokens } from './account-tokens.js';
import { TWITCH_CALLBACK_PATH } from './authorizer.js';
import { AuthError } from './errors.js';
import { tokenFromGrant } from './grant-token.js';
import type { TwitchOAuthApi } from './oauth-api.js';
import type { SecretBox } from './secret-box.js';

/**
 * A cog's handler of returning browsers.
 *
 * @example
 * ```ts
 * const handler: AuthorizedHandler = ({ account }) => ({ title: 'Linked', paragraphs: [account.login] });
 * ```
 */
export type AuthorizedHandler = (
  a: TwitchAuthorization,
) => TwitchAuthPage | Promise<TwitchAuthPage>;

/**
 * What {@link accountCallback} needs.
 *
 * @example
 * ```ts
 * app.use(accountCallback({ box, store, oauth, accounts, appOf, redirectUri, handlerFor, nameOf, log }));
 * ```
 */
export interface AccountCallbackDeps {
  box: SecretBox;
  /** Where single-use claims of states go. */
  store: Store;
  oauth: TwitchOAuthApi;
  accounts: AccountTokens;
  appOf(bot: string): { clientId?: string; clientSecret?: string } | undefined;
  redirectUri(): string;
  /** The handler the cog registered, if it runs. */
  handlerFor(bot: string, cog: string): AuthorizedHandler | undefined;
  /** Where a kept token goes (bot, cog, the cog's key). */
  nameOf(bot: string, cog: string, key: string): string;
  log: Logger;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Renders a {@link TwitchAuthPage}: every text escaped, no script, readable on a phone.
 *
 * @example
 * ```ts
 * ctx.body = renderAuthPage({ title: 'Linked', paragraphs: ['You can close this window.'] });
 * ```
 */
export function renderAuthPage(page: TwitchAuthPage): string {
  const body = page.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(page.title)}</title></head><body><h1>${esc(page.title)}</h1>${body}</body></html>`;
}

class Refusal extends Error {
  constructor(readonly page: TwitchAuthPage) {
    super(page.title);
  }
}

async function complete(
  deps: AccountCallbackDeps,
  query: Record<string, unknown>,
): Promise<TwitchAuthPage> {
  const {
    b: bot,
    c: cog,
    d: data,
  } = await consumeAccountState(deps.box, deps.store, String(query.state));
  if (typeof query.error === 'string')
    throw new Refusal({
      status: 400,
      title: 'Not linked',
      paragraphs: ['Twitch did not authorise the link (it was cancelled). Nothing was stored.'],
    });
  const handler = deps.handlerFor(bot, cog);
  if (!handler)
    throw new Refusal({
      status: 503,
      title: 'Not available',
      paragraphs: [
        `This link belongs to ${cog} of bot ${bot}, which is not running. Nothing was stored.`,
      ],
    });
  const code = typeof query.code === 'string' ? query.code : '';
  const app = deps.appOf(bot);
  if (!code) throw new AuthError('SC_AUTH_STATE', 'the callback has no authorization code');
  if (!app?.clientId || !app.clientSecret)
    throw new AuthError('SC_AUTH_NO_APP', `bot "${bot}" has no Twitch app credentials`);
  const grant = await deps.oauth.exchangeCode({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    code,
    redirectUri: deps.redirectUri(),
  });
  const token = await tokenFromGrant(deps.oauth, grant, app.clientId, 'open the link again');
  const fresh = deps.accounts.transient(bot, token);
  return handler({
    data,
    account: { userId: token.userId, login: token.login, scopes: token.scope },
    api: fresh.api,
    keep: (key) => deps.accounts.save(deps.nameOf(bot, cog, key), fresh.latest()),
  });
}

/**
 * Koa middleware in front of the bots' `/oauth/twitch/callback`: a callback whose state
 * claims to be an account state is answered here (valid or not, it never reaches the bot
 * flow). The state is checked (signature, expiry, single use) before anything is written,
 * the code redeemed, the account read, and the cog that made the link decides what to keep
 * and what the page says. Tokens are never logged.
 *
 * @example
 * ```ts
 * app.use(accountCallback(deps));
 * app.use(twitchCallbackRouter(authorizer, log).routes());
 * ```
 */
export function accountCallback(deps: AccountCallbackDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== TWITCH_CALLBACK_PATH) return next();
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    if (!looksLikeAccountState(state)) return next();
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('cache-control', 'no-store');
    let page: TwitchAuthPage;
    try {
      page = await complete(deps, ctx.query);
    } catch (err) {
      if (err instanceof Refusal) page = err.page;
      else if (err instanceof AuthError && err.code === 'SC_AUTH_STATE')
        page = { status: 400, title: 'Link not valid', paragraphs: [err.message] };
      else {
        deps.log.warn({ err: describeError(err) }, 'Twitch account callback failed');
        page = {
          status: 502,
          title: 'Something went wrong',
          paragraphs: ['The link could not be completed. Nothing was stored; please try again.'],
        };
      }
    }
    ctx.status = page.status ?? 200;
    ctx.body = renderAuthPage(page);
  };
}
