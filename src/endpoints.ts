/**
 * Every platform endpoint the bots use, from one place. Sandbox mode is nothing
 * more than these variables pointed at the local simulators.
 *
 * | variable | default | used by |
 * |---|---|---|
 * | `TWITCH_CHAT_URL` | `wss://irc-ws.chat.twitch.tv:443` | tmi.js chat |
 * | `TWURPLE_MOCK_API_PORT` | unset | twurple Helix + OAuth (`http://localhost:PORT`) |
 * | `TWITCH_AUTH_URL` | `https://id.twitch.tv/oauth2` | browser authorize page, device flow |
 * | `DISCORD_API_URL` | `https://discord.com/api` | discord.js REST, webhooks |
 */
export interface Endpoints {
  twitchChat: { server: string; port: number; secure: boolean };
  /** Set when Helix/OAuth go to a mock API (twurple reads `TWURPLE_MOCK_API_PORT`). */
  twurpleMockApiPort: number | undefined;
  /** Base of the OAuth pages a browser visits (authorize, device). */
  twitchAuthUrl: string;
  /** Base of the OAuth token API (`/token`, `/validate`, `/revoke`, `/device`). */
  twitchOAuthApiUrl: string;
  /** Discord REST base, without the version (`.../api`). */
  discordApi: string;
}

/**
 * Reads the endpoints from the environment.
 *
 * @example
 * ```ts
 * const endpoints = readEndpoints(process.env);
 * new tmi.Client({ connection: { ...endpoints.twitchChat } });
 * ```
 */
export function readEndpoints(env: Record<string, string | undefined>): Endpoints {
  const chat = new URL(env.TWITCH_CHAT_URL ?? 'wss://irc-ws.chat.twitch.tv:443');
  const secure = chat.protocol === 'wss:';
  const mockPort = env.TWURPLE_MOCK_API_PORT ? Number(env.TWURPLE_MOCK_API_PORT) : undefined;
  const oauthApi = mockPort
    ? `http://localhost:${mockPort}/auth`
    : (env.TWITCH_AUTH_URL ?? 'https://id.twitch.tv/oauth2');
  return {
    twitchChat: {
      server: chat.hostname,
      port: chat.port ? Number(chat.port) : secure ? 443 : 80,
      secure,
    },
    twurpleMockApiPort: mockPort,
    twitchAuthUrl: env.TWITCH_AUTH_URL ?? oauthApi,
    twitchOAuthApiUrl: oauthApi,
    discordApi: env.DISCORD_API_URL ?? 'https://discord.com/api',
  };
}
