import type { Middleware } from 'koa';
import type { CogScope, Logger, TwitchAccounts } from '../../../core/index.js';
import { StreamcogsError } from '../../../core/index.js';
import { accountCallback, type AuthorizedHandler } from './account-callback.js';
import { createAccountState } from './account-state.js';
import { accountTokenName, AccountTokens, type AppCredentialsOf } from './account-tokens.js';
import type { TwitchOAuthApi } from './oauth-api.js';
import type { TwitchTokenStore } from './token-store.js';

/**
 * Options of {@link TwitchAccountsService}.
 *
 * @example
 * ```ts
 * new TwitchAccountsService({ tokens, oauth, appOf, redirectUri: () => url, log });
 * ```
 */
export interface TwitchAccountsOptions {
  tokens: TwitchTokenStore;
  oauth: TwitchOAuthApi;
  appOf: AppCredentialsOf;
  /** `<PUBLIC_URL>/oauth/twitch/callback`, as registered with the Twitch app. */
  redirectUri(): string;
  log: Logger;
}

/**
 * The `ctx.twitch.accounts` of every cog: authorize links for other Twitch accounts (members,
 * broadcasters) through the shared OAuth callback, and their tokens in the bots' token
 * store. Mount {@link TwitchAccountsService.middleware} before the bots' callback router.
 *
 * @example
 * ```ts
 * const accounts = new TwitchAccountsService({ tokens, oauth, appOf, redirectUri, log });
 * app.use(accounts.middleware());
 * const facet = accounts.forCog('alice', scope); // ctx.twitch.accounts
 * ```
 */
export class TwitchAccountsService {
  readonly tokens: AccountTokens;
  readonly #o: TwitchAccountsOptions;
  readonly #handlers = new Map<string, AuthorizedHandler>();

  constructor(options: TwitchAccountsOptions) {
    this.#o = options;
    this.tokens = new AccountTokens(options);
  }

  /** Answers `/oauth/twitch/callback` for account links; passes anything else on. */
  middleware(): Middleware {
    return accountCallback({
      box: this.#o.tokens.box,
      store: this.#o.tokens.store,
      oauth: this.#o.oauth,
      accounts: this.tokens,
      appOf: this.#o.appOf,
      redirectUri: () => this.#o.redirectUri(),
      handlerFor: (bot, cog) => this.#handlers.get(`${bot}/${cog}`),
      nameOf: accountTokenName,
      log: this.#o.log.child({ component: 'oauth' }),
    });
  }

  /** The facet one cog of one bot sees. */
  forCog(bot: string, scope: CogScope): TwitchAccounts {
    const name = (key: string): string => accountTokenName(bot, scope.cog, key);
    const slot = `${bot}/${scope.cog}`;
    return {
      authorizeUrl: (request) => {
        const app = this.#o.appOf(bot);
        if (!app?.clientId)
          throw new StreamcogsError('SC_NOT_AVAILABLE', `bot "${bot}" has no Twitch app`, {
            fix: `set ${bot.toUpperCase()}_CLIENT_ID and ${bot.toUpperCase()}_CLIENT_SECRET`,
          });
        return this.#o.oauth.authorizeUrl({
          client_id: app.clientId,
          redirect_uri: this.#o.redirectUri(),
          response_type: 'code',
          scope: request.scopes.join(' '),
          state: createAccountState(this.#o.tokens.box, {
            bot,
            cog: scope.cog,
            data: request.data,
            ttlMs: request.ttlMs,
          }),
          force_verify: 'true',
        });
      },
      onAuthorized: (handler) => {
        if (this.#handlers.has(slot))
          throw new StreamcogsError(
            'SC_DUPLICATE_REGISTRATION',
            `cog "${scope.cog}" of bot "${bot}" already handles Twitch authorisations`,
            { fix: 'register one handler and dispatch on its data' },
          );
        this.#handlers.set(slot, async (a) => {
          try {
            return await handler(a);
          } catch (err) {
            scope.log.error(
              { err, login: a.account.login },
              'handling a Twitch authorisation failed',
            );
            throw err;
          }
        });
        return scope.track(() => {
          this.#handlers.delete(slot);
        });
      },
      get: (key) => this.tokens.info(name(key)),
      api: (key) => this.tokens.api(bot, name(key)),
      check: (key) => this.tokens.check(bot, name(key)),
      forget: (key) => this.tokens.forget(bot, name(key)),
    };
  }
}
