import type Koa from 'koa';
import type { AppConfig, BotConfig } from '../../core/config/types.js';
import type { Logger } from '../../core/log.js';
import type { ChatIdentity } from '../platform/bot-platform.js';
import { DiscordServer, type DiscordServerOptions } from './discord/index.js';
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
  /** Creates accounts for bots seen for the first time (at start or on a reload). */
  const ensureAccounts = (config: AppConfig): void => {
    for (const bot of config.bots) {
      if (accounts.has(bot.name)) continue;
      const acc = createAccounts(bot, world, discord);
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
      return {
        ...config,
        bots: config.bots.map((b) => withSandboxSecrets(b, accounts.get(b.name))),
      };
    },
    mount: () => {},
    announce(baseUrl) {
      options.log.info(
        { console: `${baseUrl}/sandbox`, bots: [...accounts.keys()] },
        `sandbox mode: no credentials, so the bots run against local Twitch and Discord simulators. Open ${baseUrl}/sandbox`,
      );
    },
    async close() {
      await Promise.allSettled([chat.close(), twitchApi.close(), discord.close()]);
    },
  };
}

function createAccounts(
  bot: BotConfig,
  world: TwitchWorld,
  discord: DiscordServer,
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
  };
  if (bot.discord) {
    const d = discord.createBot({ username: login, appId: bot.discord.application });
    const guilds: Record<string, string> = {};
    for (const guildId of bot.discord.guilds) {
      const g = discord.createGuild({
        id: guildId,
        name: `${bot.name} sandbox guild`,
        channels: ['general', 'announcements', 'live'],
        roles: [
          { name: 'Bot', permissions: ['Administrator'] },
          { name: 'Tier 1' },
          { name: 'Tier 2' },
          { name: 'Tier 3' },
        ],
        botRoles: ['Bot'],
      });
      guilds[guildId] = g.name;
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
