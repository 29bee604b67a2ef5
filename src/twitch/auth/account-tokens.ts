import { ApiClient } from '@twurple/api';
import { revokeToken, type AccessToken } from '@twurple/auth';
import type { Logger, TwitchAccountInfo, TwitchAccountState } from '../../../core/index.js';
import { describeError } from '../../../core/errors.js';
import type { TwitchOAuthApi } from './oauth-api.js';
import { isRevocation, PersistingAuthProvider } from './providers.js';
import { accessTokenOf, type StoredTwitchToken, type TwitchTokenStore } from './token-store.js';

/**
 * A Twitch app's credentials, by bot.
 *
 * @example
 * ```ts
 * const appOf: AppCredentialsOf = (bot) => config.bots.find((b) => b.name === bot)?.secrets;
 * ```
 */
export type AppCredentialsOf = (
  bot: string,
) => { clientId?: string; clientSecret?: string } | undefined;

interface Client {
  token: StoredTwitchToken;
  provider: PersistingAuthProvider;
  api: ApiClient;
}

/** Clients kept warm (the broadcaster's, recent members'); older ones are rebuilt on use. */
const CACHE = 64;

/**
 * The name an account token is stored under in the {@link TwitchTokenStore}: bot, cog and
 * the cog's key. It contains `/`, which bot names cannot, so it never meets a bot's token.
 *
 * @example
 * ```ts
 * accountTokenName('alice', 'sub-roles', 'broadcaster'); // 'alice/sub-roles/broadcaster'
 * ```
 */
export function accountTokenName(bot: string, cog: string, key: string): string {
  return `${bot}/${cog}/${key}`;
}

/**
 * Tokens of accounts cogs act for, kept by the bots' own machinery: stored encrypted in the
 * {@link TwitchTokenStore}, refreshed by a {@link PersistingAuthProvider} that stores each
 * rotated refresh token before handing the new token out.
 *
 * @example
 * ```ts
 * const accounts = new AccountTokens({ tokens, oauth, appOf, log });
 * await accounts.save('alice/sub-roles/broadcaster', token);
 * const api = await accounts.api('alice', 'alice/sub-roles/broadcaster');
 * ```
 */
export class AccountTokens {
  readonly #clients = new Map<string, Client>();

  constructor(
    private readonly o: {
      tokens: TwitchTokenStore;
      oauth: TwitchOAuthApi;
      appOf: AppCredentialsOf;
      log: Logger;
    },
  ) {}

  /** The stored account, decrypted, without calling Twitch. */
  async info(name: string): Promise<TwitchAccountInfo | undefined> {
    const t = await this.o.tokens.load(name);
    return t && { userId: t.userId, login: t.login, scopes: t.scope };
  }

  /** Stores a token (encrypted); a client built earlier for the name is dropped. */
  async save(name: string, token: StoredTwitchToken): Promise<void> {
    this.#clients.delete(name);
    await this.o.tokens.save(name, token);
  }

  /** Helix as the stored account; undefined when none is stored (throws without app credentials). */
  async api(bot: string, name: string): Promise<ApiClient | undefined> {
    return (await this.#client(bot, name))?.api;
  }

  /**
   * A Helix client for a token not stored yet; `latest()` is the token as it is now (twurple
   * may have refreshed it meanwhile).
   */
  transient(
    bot: string,
    token: StoredTwitchToken,
  ): { api: ApiClient; latest: () => StoredTwitchToken } {
    let latest = token;
    const provider = this.#provider(bot, (_userId, next) => {
      latest = { ...latest, ...next, refreshToken: next.refreshToken ?? latest.refreshToken };
      return Promise.resolve();
    });
    provider.addUser(token.userId, accessTokenOf(token));
    return { api: new ApiClient({ authProvider: provider }), latest: () => latest };
  }

  /** Validates the stored token, refreshing it when Twitch no longer accepts it. */
  async check(bot: string, name: string): Promise<TwitchAccountState> {
    const client = await this.#client(bot, name);
    if (!client) return 'missing';
    const info = await this.o.oauth.validate(client.token.accessToken).catch(() => undefined);
    if (info) return 'valid';
    try {
      await client.provider.refreshAccessTokenForUser(client.token.userId);
      return 'valid';
    } catch (err) {
      if (!isRevocation(err)) throw err;
      // Another process may have rotated the refresh token: try the stored one once.
      this.#clients.delete(name);
      const again = await this.#client(bot, name);
      if (!again || again.token.refreshToken === client.token.refreshToken) return 'revoked';
      return again.provider
        .refreshAccessTokenForUser(again.token.userId)
        .then((): TwitchAccountState => 'valid')
        .catch((e: unknown) => {
          if (isRevocation(e)) return 'revoked';
          throw e;
        });
    }
  }

  /** Deletes the stored token and revokes it at Twitch (best effort). */
  async forget(bot: string, name: string): Promise<void> {
    const token = await this.o.tokens.load(name).catch(() => undefined);
    this.#clients.delete(name);
    await this.o.tokens.remove(name);
    const clientId = this.o.appOf(bot)?.clientId;
    if (token && clientId)
      await revokeToken(clientId, token.accessToken).catch((err: unknown) =>
        this.o.log.debug({ err: describeError(err) }, 'revoking a forgotten token failed'),
      );
  }

  async #client(bot: string, name: string): Promise<Client | undefined> {
    const token = await this.o.tokens.load(name);
    const cached = this.#clients.get(name);
    this.#clients.delete(name);
    if (!token) return undefined;
    // Reuse the client unless another process stored a newer (rotated) token meanwhile.
    if (cached && cached.token.refreshToken === token.refreshToken) {
      this.#clients.set(name, cached); // most recently used last
      return cached;
    }
    const client: Client = { token } as Client;
    const provider = this.#provider(bot, async (_userId, next) => {
      if (!next.refreshToken) return;
      client.token = {
        ...client.token,
        accessToken: next.accessToken,
        refreshToken: next.refreshToken,
        scope: next.scope ?? client.token.scope,
        expiresIn: next.expiresIn,
        obtainmentTimestamp: next.obtainmentTimestamp,
      };
      await this.o.tokens
        .save(name, client.token)
        .catch((err: unknown) =>
          this.o.log.error(
            { err: describeError(err), account: name },
            'could not store a rotated Twitch refresh token; the account must be linked again after a restart',
          ),
        );
    });
    provider.addUser(token.userId, accessTokenOf(token));
    client.provider = provider;
    client.api = new ApiClient({ authProvider: provider });
    this.#clients.set(name, client);
    while (this.#clients.size > CACHE) this.#clients.delete(this.#clients.keys().next().value!);
    return client;
  }

  #provider(
    bot: string,
    persist: (userId: string, token: AccessToken) => Promise<void>,
  ): PersistingAuthProvider {
    const app = this.o.appOf(bot);
    if (!app?.clientId || !app.clientSecret)
      throw new Error(`bot "${bot}" has no Twitch app credentials (<BOT>_CLIENT_ID / _SECRET)`);
    return new PersistingAuthProvider(
      { clientId: app.clientId, clientSecret: app.clientSecret },
      persist,
    );
  }
}
