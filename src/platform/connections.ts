import type Koa from 'koa';
import type { Logger, PluginDefinition } from '../../core/index.js';
import { clusterClaim } from '../../core/cluster.js';
import type { AppConfig, BotConfig } from '../../core/config/types.js';
import type { Runtime } from '../../core/runtime.js';
import { DiscordHub } from '../discord/hub.js';
import type { Endpoints } from '../endpoints.js';
import type { SandboxBotAccounts } from '../sandbox/index.js';
import { TwitchAuthorizer, twitchRedirectUri } from '../twitch/auth/authorizer.js';
import { twitchCallbackRouter } from '../twitch/auth/callback-route.js';
import { TwitchOAuthApi } from '../twitch/auth/oauth-api.js';
import { loadSecretKey, SecretBox, type SecretKeySource } from '../twitch/auth/secret-box.js';
import { TwitchTokenStore, type StoredTwitchToken } from '../twitch/auth/token-store.js';
import { TwitchAccountsService } from '../twitch/auth/twitch-accounts.js';
import type { BotPlatformDeps } from './bot-platform.js';
import { resolveNeeds, type BotNeeds } from './needs.js';

/** Options of {@link Connections.create}. */
export interface ConnectionsOptions {
  config: AppConfig;
  /** Loads a cog's definition (the catalog), to read its `needs`. */
  load(cog: string): Promise<PluginDefinition>;
  endpoints: Endpoints;
  log: Logger;
  env: Record<string, string | undefined>;
  /** Sandbox mode: a missing secret key is generated in `dataDir`. */
  sandbox: boolean;
  dataDir: string;
  /** Sandbox mode: the simulated accounts whose tokens are stored when their bot starts. */
  sandboxAccounts?: Map<string, SandboxBotAccounts>;
}

/**
 * The storage namespace of the encrypted tokens.
 *
 * @example
 * ```ts
 * new TwitchTokenStore(runtime.storage.core(TOKEN_NAMESPACE), box);
 * ```
 */
export const TOKEN_NAMESPACE = 'twitch-auth';

/**
 * Everything that gives bots their identities, for the whole process: the key that
 * encrypts tokens, the token store, the OAuth callback on the shared server, the Discord
 * connections, and each bot's cog needs. `app.ts` builds one, mounts it in `routes`,
 * hands {@link Connections.depsFor} to each bot's platform, and releases Discord once
 * every bot is set up.
 *
 * @example
 * ```ts
 * const connections = await Connections.create({ config, load, endpoints, log, env, sandbox: false, dataDir });
 * connections.hold();
 * const runtime = await Runtime.start({
 *   ...,
 *   routes: (http, rt) => connections.attach(rt, http.app),
 *   platforms: (bot) => createBotPlatform(bot, { endpoints, log, ...connections.depsFor(bot) }),
 * });
 * await connections.release();
 * ```
 */
export class Connections {
  readonly discord: DiscordHub;
  readonly oauth: TwitchOAuthApi;
  readonly box: SecretBox;
  /** Where the key came from (`environment`, `data folder`, `generated`). */
  readonly keySource: SecretKeySource;
  readonly #o: ConnectionsOptions;
  readonly #needs = new Map<string, { key: string; needs: Promise<BotNeeds> }>();
  readonly #seeded = new Set<string>();
  #tokens: TwitchTokenStore | undefined;
  #authorizer: TwitchAuthorizer | undefined;
  #accounts: TwitchAccountsService | undefined;
  #runtime: Runtime | undefined;

  private constructor(options: ConnectionsOptions, key: Buffer, source: SecretKeySource) {
    this.#o = options;
    this.box = new SecretBox(key);
    this.keySource = source;
    this.oauth = new TwitchOAuthApi(options.endpoints);
    this.discord = new DiscordHub({
      endpoints: options.endpoints,
      log: options.log,
      claim: () => this.#runtime && clusterClaim(this.#runtime.storage),
    });
  }

  /** Reads the secret key (a startup error in production when missing) and plans Discord intents. */
  static async create(options: ConnectionsOptions): Promise<Connections> {
    const { key, source } = await loadSecretKey({
      env: options.env,
      sandbox: options.sandbox,
      dataDir: options.dataDir,
    });
    const connections = new Connections(options, key, source);
    if (source === 'generated')
      options.log.info(
        'sandbox: generated a key for tokens at rest in the data folder (mode 0600)',
      );
    for (const bot of options.config.bots) {
      const token = bot.secrets.discordToken;
      if (!bot.discord || !token) continue;
      await connections.discord.load(); // Sapphire and discord.js: only when a bot has Discord
      connections.discord.plan(token, (await connections.needsOf(bot)).discordIntents);
    }
    return connections;
  }

  /** The token store (after {@link Connections.attach}). */
  get tokens(): TwitchTokenStore {
    if (!this.#tokens) throw new Error('Connections.attach(runtime) has not run yet');
    return this.#tokens;
  }

  /** Completes authorisations (after {@link Connections.attach}). */
  get authorizer(): TwitchAuthorizer {
    if (!this.#authorizer) throw new Error('Connections.attach(runtime) has not run yet');
    return this.#authorizer;
  }

  /** Opens the token store in the runtime's storage and mounts `/oauth/twitch/callback`. */
  attach(runtime: Runtime, app: Koa): void {
    this.#runtime = runtime;
    this.#tokens = new TwitchTokenStore(runtime.storage.core(TOKEN_NAMESPACE), this.box);
    this.#authorizer = new TwitchAuthorizer({
      tokens: this.#tokens,
      oauth: this.oauth,
      appOf: (name) => {
        const bot = (this.#runtime?.config ?? this.#o.config).bots.find((b) => b.name === name);
        return bot ? { ...bot.secrets, envPrefix: bot.envPrefix } : undefined;
      },
      redirectUri: () => twitchRedirectUri(this.#o.env.PUBLIC_URL, new URL(runtime.url).port),
    });
    // Cogs' account links (members, broadcasters) share the callback; answered first.
    this.#accounts = new TwitchAccountsService({
      tokens: this.#tokens,
      oauth: this.oauth,
      appOf: (name) =>
        (this.#runtime?.config ?? this.#o.config).bots.find((b) => b.name === name)?.secrets,
      redirectUri: () => this.#authorizer?.redirectUri ?? '',
      log: this.#o.log,
    });
    app.use(this.#accounts.middleware());
    app.use(
      twitchCallbackRouter(this.#authorizer, this.#o.log.child({ component: 'oauth' })).routes(),
    );
  }

  /** What one bot's platform needs from here. */
  depsFor(
    bot: BotConfig,
  ): Pick<BotPlatformDeps, 'auth' | 'discord' | 'needs' | 'accounts' | 'claim'> {
    const needs = (): Promise<BotNeeds> => this.needsOf(bot);
    return {
      needs,
      accounts: this.#accounts,
      // Several instances on one Redis: each chat line is handled by one of them.
      claim: this.#runtime ? clusterClaim(this.#runtime.storage) : undefined,
      discord: this.discord,
      auth: {
        tokens: this.tokens,
        oauth: this.oauth,
        neededScopes: async () => (await needs()).twitchScopes,
        prepare: () => this.#seed(bot.name),
      },
    };
  }

  /** The cogs' needs of a bot (cached per list of cogs). */
  needsOf(bot: BotConfig): Promise<BotNeeds> {
    const key = bot.cogs.map((c) => c.name).join(',');
    const cached = this.#needs.get(bot.name);
    if (cached?.key === key) return cached.needs;
    const needs = resolveNeeds(bot, (name) => this.#o.load(name));
    this.#needs.set(bot.name, { key, needs });
    return needs;
  }

  /** Defers Discord command registration until {@link Connections.release} (startup). */
  hold(): void {
    this.discord.hold();
  }

  /** One bulk overwrite per guild and the guild checks, now that every cog is set up. */
  release(): Promise<void> {
    return this.discord.release();
  }

  /** Sandbox mode: stores the simulated account's token, so the real machinery runs on it. */
  async #seed(bot: string): Promise<void> {
    const acc = this.#o.sandboxAccounts?.get(bot);
    if (!acc || this.#seeded.has(bot) || !acc.refreshToken) return;
    this.#seeded.add(bot);
    await this.tokens.save(bot, sandboxToken(acc));
  }
}

/**
 * A simulated account's user token as the token store keeps it.
 *
 * @example
 * ```ts
 * await tokens.save('alice', sandboxToken(sandbox.accounts.get('alice')!));
 * ```
 */
export function sandboxToken(acc: SandboxBotAccounts): StoredTwitchToken {
  return {
    accessToken: acc.accessToken,
    refreshToken: acc.refreshToken,
    scope: acc.scopes,
    expiresIn: acc.expiresIn,
    obtainmentTimestamp: acc.issuedAt,
    userId: acc.userId,
    login: acc.login,
    clientId: acc.clientId,
  };
}
