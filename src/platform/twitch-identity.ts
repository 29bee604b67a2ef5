import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider } from '@twurple/auth';
import type { BotPlatformStatus, Logger } from '../../core/index.js';
import type { BotConfig } from '../../core/config/types.js';
import type { Endpoints } from '../endpoints.js';
import type { TwitchOAuthApi } from '../twitch/auth/oauth-api.js';
import { BotUserAuthProvider } from '../twitch/auth/providers.js';
import { TokenKeeper } from '../twitch/auth/token-keeper.js';
import type { TwitchTokenStore } from '../twitch/auth/token-store.js';
import type { ChatLimiterOptions } from '../twitch/chat-limiter.js';
import { ChatSupervisor, type ChatLogin } from './chat-supervisor.js';

/** What a bot needs to keep its Twitch token (from {@link Connections}). */
export interface TwitchAuthDeps {
  tokens: TwitchTokenStore;
  oauth: TwitchOAuthApi;
  /** Scopes the bot's cogs need, resolved at start. */
  neededScopes: () => Promise<readonly string[]>;
  /** Runs before the token is loaded (sandbox mode stores the simulated account's token). */
  prepare?: () => Promise<void>;
  validateEveryMs?: number;
  recheckEveryMs?: number;
}

/** Options of {@link TwitchIdentity}. */
export interface TwitchIdentityOptions {
  bot: BotConfig;
  endpoints: Endpoints;
  log: Logger;
  auth?: TwitchAuthDeps;
  /** A fixed identity instead of stored tokens (tests); ignored when `auth` is given. */
  identity?: ChatLogin;
  chatLimits?: ChatLimiterOptions;
}

/**
 * A bot's Twitch side: its token (a {@link TokenKeeper}), chat logged in with it (or
 * read-only without one), an app-token Helix client (client credentials) and a
 * user-token one. {@link TwitchIdentity.api} is the user client while the bot is
 * authorised, the app client otherwise.
 *
 * @example
 * ```ts
 * const twitch = new TwitchIdentity({ bot, endpoints, log, auth });
 * await twitch.start();
 * await twitch.api.users.getUserByName('alice');
 * await twitch.chat.say('alice', 'hello');
 * ```
 */
export class TwitchIdentity {
  readonly chat: ChatSupervisor;
  readonly appApi: ApiClient;
  #keeper: TokenKeeper | undefined;
  #userApi: ApiClient | undefined;
  readonly #o: TwitchIdentityOptions;
  #offChange: (() => void) | undefined;

  constructor(options: TwitchIdentityOptions) {
    this.#o = options;
    const { clientId, clientSecret } = options.bot.secrets;
    this.appApi = new ApiClient({
      authProvider: new AppTokenAuthProvider(
        clientId ?? 'missing-client-id',
        clientSecret ?? 'missing-client-secret',
      ),
    });
    this.chat = new ChatSupervisor({
      endpoints: options.endpoints,
      channels: options.bot.channels,
      log: options.log,
      limits: options.chatLimits,
      identity: () => this.#chatLogin(),
      onLoginRefused: () =>
        this.#keeper ? this.#keeper.refreshNow('chat refused the token') : Promise.resolve(false),
    });
  }

  /** The Helix client cogs get: the bot's user token when it has one, else the app token. */
  get api(): ApiClient {
    return this.#keeper?.state === 'valid' && this.#userApi ? this.#userApi : this.appApi;
  }

  /** The token keeper, once started with `auth`. */
  get keeper(): TokenKeeper | undefined {
    return this.#keeper;
  }

  /** Loads the token, then connects chat with it (or read-only). */
  async start(): Promise<void> {
    const auth = this.#o.auth;
    if (auth) {
      await auth.prepare?.();
      const { clientId, clientSecret } = this.#o.bot.secrets;
      const keeper = new TokenKeeper({
        bot: this.#o.bot.name,
        envPrefix: this.#o.bot.envPrefix,
        clientId,
        clientSecret,
        tokens: auth.tokens,
        oauth: auth.oauth,
        log: this.#o.log,
        neededScopes: await auth.neededScopes(),
        validateEveryMs: auth.validateEveryMs,
        recheckEveryMs: auth.recheckEveryMs,
      });
      this.#keeper = keeper;
      if (keeper.provider)
        this.#userApi = new ApiClient({
          authProvider: new BotUserAuthProvider(keeper.provider, () => keeper.userId),
        });
      await keeper.start();
      this.#offChange = keeper.onChange(() => void this.chat.identityChanged());
    }
    await this.chat.connect();
  }

  async stop(): Promise<void> {
    this.#offChange?.();
    this.#keeper?.stop();
    await this.chat.disconnect();
  }

  status(): NonNullable<BotPlatformStatus['twitch']> {
    const chat = this.chat.state;
    const a = this.#keeper?.status();
    if (!a) return { chat, needsAuth: !this.#o.identity, login: this.#o.identity?.login };
    return {
      chat,
      needsAuth: a.needsAuth,
      auth: a.state,
      ...(a.login ? { login: a.login } : {}),
      ...(a.tokenExpiresAt ? { tokenValidUntil: a.tokenExpiresAt } : {}),
      scopes: a.scopes,
      missingScopes: a.missingScopes,
      ...(a.command ? { command: a.command } : {}),
      ...(a.detail ? { detail: a.detail } : {}),
    };
  }

  #chatLogin(): ChatLogin | undefined {
    const keeper = this.#keeper;
    if (!this.#o.auth) return this.#o.identity;
    const login = keeper?.login;
    if (!keeper || !login) return undefined;
    return { login, token: () => keeper.accessToken() };
  }
}
