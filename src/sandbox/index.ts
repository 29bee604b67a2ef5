import type Koa from 'koa';
import type { AppConfig, BotConfig } from '../../core/config/types.js';
import type { Logger } from '../../core/log.js';
import type { ChatIdentity } from '../platform/bot-platform.js';
import { DiscordServer, type DiscordServerOptions, type SeededGuild } from './discord/index.js';
import {
  mountConsole,
  printBanner,
  type ConsoleBot,
  type SandboxConsole,
} from './console/index.js';
import { TwitchChatServer } from './twitch/chat/index.js';
import { TwitchApiServer, loopbackHttp } from './twitch/helix/index.js';
import { TwitchWorld } from './twitch/world.js';
import { SANDBOX_BOT_SCOPES, sandboxLogin } from './accounts.js';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  config: AppConfig;
  log: Logger;
  /** Loosen or tighten the simulated Discord limits (tests). */
  discord?: DiscordServerOptions;
}

/** Per bot: what the sandbox created for it. */
export interface SandboxBotAccounts {
  login: string;
  userId: string;
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  /** Scopes of the token, its lifetime in seconds, and when it was issued (ms). */
  scopes: string[];
  expiresIn: number;
  issuedAt: number;
  discord?: { token: string; appId: string; userId: string; guilds: Record<string, string> };
}

/** The simulators, wired together and pointed at by the bots. */
export interface Sandbox {
  world: TwitchWorld;
  chat: TwitchChatServer;
  twitchApi: TwitchApiServer;
  discord: DiscordServer;
  /** Endpoint variables that point every client at the simulators. */
  env: Record<string, string>;
  /** Chat identity per bot name. */
  identities: Map<string, ChatIdentity>;
  accounts: Map<string, SandboxBotAccounts>;
  /** The config with sandbox credentials filled in. */
  applyToConfig(config: AppConfig): AppConfig;
  /** Mounts the web console under `/sandbox` on the shared server. */
  mount(app: Koa): void;
  /** Prints the banner with the console URL. */
  announce(baseUrl: string): void;
  close(): Promise<void>;
}

/**
 * Starts a local Twitch (chat, Helix, OAuth, EventSub sender) and Discord (REST,
 * gateway, webhooks), creates an account, an app and tokens for every bot, a user for
 * every channel, and a guild for every `discord:` guild id.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ config, log });
 * Object.assign(process.env, sandbox.env);
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const world = new TwitchWorld();
  const chat = await TwitchChatServer.start({
    users: {
      resolve: (login) => {
        const u = world.ensureUser(login);
        return { id: u.id, login: u.login, displayName: u.displayName };
      },
    },
    validateToken: async (token) => {
      const record = world.auth.lookup(token);
      const user = record?.userId ? world.findUser(record.userId) : undefined;
      return user ? { login: user.login, userId: user.id } : null;
    },
  });
  const twitchApi = await TwitchApiServer.start({ world, callbackRewrite: loopbackHttp });
  const discord = await DiscordServer.start(options.discord ?? {});

  const accounts = new Map<string, SandboxBotAccounts>();
  const identities = new Map<string, ChatIdentity>();
  const seededGuilds = new Map<string, SeededGuild[]>();
  /** Creates accounts for bots seen for the first time (at start or on a reload). */
  const ensureAccounts = (config: AppConfig): void => {
    for (const bot of config.bots) {
      if (accounts.has(bot.name)) continue;
      const acc = createAccounts(bot, world, discord, (g) =>
        seededGuilds.set(bot.name, [...(seededGuilds.get(bot.name) ?? []), g]),
      );
      accounts.set(bot.name, acc);
      identities.set(bot.name, { login: acc.login, token: async () => acc.accessToken });
    }
  };
  ensureAccounts(options.config);

  const env = {
    TWITCH_CHAT_URL: chat.url,
    TWURPLE_MOCK_API_PORT: String(twitchApi.port),
    TWITCH_AUTH_URL: `${twitchApi.baseUrl}/auth`,
    DISCORD_API_URL: discord.apiUrl,
  };

  let currentConfig = options.config;
  let webConsole: SandboxConsole | undefined;
  let listed: { config: AppConfig; bots: ConsoleBot[] } | undefined;
  /** The bots as the console lists them (recomputed when the config changes). */
  const consoleBots = (): ConsoleBot[] => {
    if (listed?.config !== currentConfig) {
      const bots = currentConfig.bots.map((b) => ({
        name: b.name,
        login: accounts.get(b.name)?.login ?? sandboxLogin(b.name),
        channels: b.channels.map((c) => c.replace(/^#/, '').toLowerCase()),
        guilds: seededGuilds.get(b.name) ?? [],
      }));
      listed = { config: currentConfig, bots };
    }
    return listed.bots;
  };

  return {
    world,
    chat,
    twitchApi,
    discord,
    env,
    identities,
    accounts,
    applyToConfig: (config) => {
      ensureAccounts(config);
      currentConfig = config;
      return {
        ...config,
        bots: config.bots.map((b) => withSandboxSecrets(b, accounts.get(b.name))),
      };
    },
    mount(app) {
      webConsole ??= mountConsole(app, { world, chat, twitchApi, discord, bots: consoleBots });
    },
    announce(baseUrl) {
      options.log.info(
        { console: `${baseUrl}/sandbox`, bots: [...accounts.keys()] },
        `sandbox mode: no credentials, so the bots run against local Twitch and Discord simulators. Open ${baseUrl}/sandbox`,
      );
      printBanner(`${baseUrl}/sandbox`, [...accounts.keys()]);
    },
    async close() {
      webConsole?.close();
      await Promise.allSettled([chat.close(), twitchApi.close(), discord.close()]);
    },
  };
}

function createAccounts(
  bot: BotConfig,
  world: TwitchWorld,
  discord: DiscordServer,
  onGuild: (guild: SeededGuild) => void = () => {},
): SandboxBotAccounts {
  const login = sandboxLogin(bot.name);
  const user = world.ensureUser(login);
  for (const channel of bot.channels) world.ensureUser(channel);
  const app = world.createApp({ name: `${bot.name} (sandbox)` });
  const tokens = world.grantUser(login, app.clientId, SANDBOX_BOT_SCOPES);
  const acc: SandboxBotAccounts = {
    login,
    userId: user.id,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? '',
    scopes: [...SANDBOX_BOT_SCOPES],
    expiresIn: tokens.expires_in,
    issuedAt: world.now(),
  };
  if (bot.discord) {
    const d = discord.createBot({ username: login, appId: bot.discord.application });
    const guilds: Record<string, string> = {};
    for (const guildId of bot.discord.guilds) {
      const g = discord.createGuild({
        id: guildId,
        name: `${bot.name} sandbox guild`,
        channels: ['general', 'announcements', 'live'],
        // Positions follow list order: the bot's role sits above the roles it manages.
        roles: [
          { name: 'Tier 1' },
          { name: 'Tier 2' },
          { name: 'Tier 3' },
          { name: 'Bot', permissions: ['Administrator'] },
        ],
        botRoles: ['Bot'],
      });
      guilds[guildId] = g.name;
      onGuild(g);
    }
    acc.discord = { token: d.token, appId: d.appId, userId: d.userId, guilds };
  }
  return acc;
}

function withSandboxSecrets(bot: BotConfig, acc: SandboxBotAccounts | undefined): BotConfig {
  if (!acc) return bot;
  return {
    ...bot,
    secrets: {
      clientId: acc.clientId,
      clientSecret: acc.clientSecret,
      discordToken: acc.discord?.token,
    },
  };
}
