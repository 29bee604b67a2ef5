import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loggerInto } from '../../helpers/log-lines.js';
import { createStorage } from '../../../core/storage.js';
import { TOKEN_NAMESPACE } from '../../../src/platform/connections.js';
import { parseSecretKey, SecretBox } from '../../../src/twitch/auth/secret-box.js';
import { TwitchTokenStore, type StoredTwitchToken } from '../../../src/twitch/auth/token-store.js';
import { startApp, type App } from '../../../src/app.js';
import {
  DiscordServer,
  type RoleInput,
  type SeededGuild,
} from '../../../src/sandbox/discord/index.js';
import { TwitchChatServer } from '../../../src/sandbox/twitch/chat/index.js';
import { TwitchApiServer, loopbackHttp } from '../../../src/sandbox/twitch/helix/index.js';
import { TwitchWorld } from '../../../src/sandbox/twitch/world.js';

/** Cogs used by the connection tests. */
export const CONNECTION_PLUGINS = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));
/** A fixed key, so tests can reopen the token store. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 42).toString('base64');

/** A guild to create: the bot's role is `Bot`. */
export interface GuildSpec {
  id: string;
  name: string;
  botPermissions: RoleInput['permissions'];
  roles?: RoleInput[];
}

/** A Twitch app and account for one bot. */
export interface TwitchBotAccount {
  clientId: string;
  clientSecret: string;
  login: string;
  env: Record<string, string>;
}

/**
 * Local Twitch (chat, Helix/OAuth) and Discord owned by the test, so the app can run in
 * production mode against them (credentials given, nothing simulated inside the app).
 */
export class TestWorld {
  private constructor(
    readonly world: TwitchWorld,
    public chat: TwitchChatServer,
    readonly api: TwitchApiServer,
    readonly discord: DiscordServer,
  ) {}

  static async start(options: { tokenExpiresIn?: number } = {}): Promise<TestWorld> {
    const world = new TwitchWorld({ tokenExpiresIn: options.tokenExpiresIn });
    const chat = await TestWorld.#chat(world, 0);
    const api = await TwitchApiServer.start({ world, callbackRewrite: loopbackHttp });
    const discord = await DiscordServer.start();
    process.env.TWURPLE_MOCK_API_PORT = String(api.port); // twurple reads it per request
    return new TestWorld(world, chat, api, discord);
  }

  static #chat(world: TwitchWorld, port: number): Promise<TwitchChatServer> {
    return TwitchChatServer.start({
      port,
      users: {
        resolve: (login) => {
          const u = world.ensureUser(login);
          return { id: u.id, login: u.login, displayName: u.displayName };
        },
      },
      validateToken: async (token) => {
        const rec = world.auth.lookup(token);
        const user = rec?.userId ? world.findUser(rec.userId) : undefined;
        return user ? { login: user.login, userId: user.id } : null;
      },
    });
  }

  /** Endpoint variables pointing every client here. */
  get env(): Record<string, string> {
    return {
      TWITCH_CHAT_URL: this.chat.url,
      TWURPLE_MOCK_API_PORT: String(this.api.port),
      TWITCH_AUTH_URL: `${this.api.baseUrl}/auth`,
      DISCORD_API_URL: this.discord.apiUrl,
    };
  }

  /** A Twitch app for bot `name` (env `<NAME>_CLIENT_ID/SECRET`) and its account `login`. */
  twitchBot(name: string, login = `${name}_bot`): TwitchBotAccount {
    const app = this.world.createApp({ name });
    this.world.ensureUser(login);
    const prefix = name.toUpperCase();
    return {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      login,
      env: { [`${prefix}_CLIENT_ID`]: app.clientId, [`${prefix}_CLIENT_SECRET`]: app.clientSecret },
    };
  }

  /** A Discord bot for `name` (env `<NAME>_DISCORD_TOKEN`) and guilds it is in. */
  discordBot(
    name: string,
    guilds: GuildSpec[],
  ): {
    token: string;
    appId: string;
    userId: string;
    guilds: SeededGuild[];
    env: Record<string, string>;
  } {
    const bot = this.discord.createBot({ username: `${name}-discord` });
    return {
      token: bot.token,
      appId: bot.appId,
      userId: bot.userId,
      guilds: guilds.map((g) => this.discordGuild(bot.userId, g)),
      env: { [`${name.toUpperCase()}_DISCORD_TOKEN`]: bot.token },
    };
  }

  /**
   * A guild with the bot user in it, holding the role `Bot` (`botPermissions`). `roles`
   * come first (lower positions) unless they list `Bot` themselves.
   */
  discordGuild(botUserId: string, g: GuildSpec): SeededGuild {
    const roles = g.roles ?? [];
    const withBot = roles.some((r) => r.name === 'Bot')
      ? roles.map((r) => (r.name === 'Bot' ? { ...r, permissions: g.botPermissions } : r))
      : [...roles, { name: 'Bot', permissions: g.botPermissions }];
    return this.discord.createGuild({
      id: g.id,
      name: g.name,
      channels: ['general'],
      roles: withBot,
      members: [{ username: `member-of-${g.id}` }],
      bots: [botUserId],
      botRoles: ['Bot'],
    });
  }

  /**
   * Authorises `account` (as if `streamcogs auth` ran) and stores the token for `bot` in
   * the project's storage, encrypted with {@link TEST_SECRET_KEY}.
   */
  async authorise(
    dataDir: string,
    bot: string,
    account: TwitchBotAccount,
    scopes = ['chat:read', 'chat:edit', 'user:read:chat'],
  ): Promise<StoredTwitchToken> {
    const grant = this.world.grantUser(account.login, account.clientId, scopes);
    const token: StoredTwitchToken = {
      accessToken: grant.access_token,
      refreshToken: grant.refresh_token ?? '',
      scope: scopes,
      expiresIn: grant.expires_in,
      obtainmentTimestamp: Date.now(),
      userId: this.world.findUser(account.login)?.id ?? '',
      login: account.login,
      clientId: account.clientId,
    };
    await withTokenStore(dataDir, (tokens) => tokens.save(bot, token));
    return token;
  }

  /** Twitch's chat edge goes down: every connection drops. Resolves with its port. */
  async stopChat(): Promise<number> {
    const port = this.chat.port;
    await this.chat.close();
    return port;
  }

  /** A new chat server on `port` (the one {@link stopChat} gave back). */
  async startChat(port: number): Promise<void> {
    this.chat = await TestWorld.#chat(this.world, port);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.chat.close(), this.api.close(), this.discord.close()]);
  }
}

/** A project folder with a bots.yaml. */
export async function project(
  yaml: string,
): Promise<{ dir: string; file: string; dataDir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-conn-'));
  const file = path.join(dir, 'bots.yaml');
  await writeFile(file, yaml);
  return { dir, file, dataDir: path.join(dir, 'data') };
}

/** Starts the app in production mode against `world`; its JSON log lines land in `logs`. */
export async function startProduction(
  world: TestWorld,
  proj: { dir: string; file: string; dataDir: string },
  env: Record<string, string>,
  logs: Record<string, unknown>[] = [],
  options: { watch?: boolean } = {},
): Promise<App> {
  return startApp({
    cwd: proj.dir,
    file: proj.file,
    watch: options.watch ?? false,
    log: loggerInto(logs),
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      SANDBOX: '0',
      DATA_DIR: proj.dataDir,
      STREAMCOGS_SECRET_KEY: TEST_SECRET_KEY,
      PLUGIN_DIRS: CONNECTION_PLUGINS,
      ...world.env,
      ...env,
    },
  });
}

/** Opens the project's token store (test key), runs `fn`, closes it. */
export async function withTokenStore<T>(
  dataDir: string,
  fn: (tokens: TwitchTokenStore) => Promise<T>,
): Promise<T> {
  const storage = await createStorage({ dataDir });
  try {
    const box = new SecretBox(parseSecretKey(TEST_SECRET_KEY));
    return await fn(new TwitchTokenStore(storage.core(TOKEN_NAMESPACE), box));
  } finally {
    await storage.close();
  }
}

/** Sends `text` as a viewer and resolves with the bot's next line in `channel`. */
export async function ask(
  world: TestWorld,
  botLogin: string,
  channel: string,
  text: string,
  timeoutMs = 5000,
): Promise<string> {
  const before = world.chat.messagesFrom(botLogin, channel).length;
  world.chat.viewerSays(channel, { login: 'viewer' }, text);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = world.chat.messagesFrom(botLogin, channel)[before];
    if (line) return line.text ?? '';
    if (Date.now() > deadline)
      throw new Error(`no answer from ${botLogin} to "${text}" in #${channel}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
