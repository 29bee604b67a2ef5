import { DiscordServer } from '../../../src/sandbox/discord/index.js';
import type { SandboxBot, SeededGuild } from '../../../src/sandbox/discord/index.js';

/** What {@link RestSandbox.call} got back: the status, the headers and the parsed JSON body. */
export interface RestReply {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty (204). */
  body: unknown;
}

/** A Discord sandbox with one bot in one guild, and a raw REST caller. */
export interface RestSandbox {
  server: DiscordServer;
  /** `rest-bot`, a member of {@link RestSandbox.guild} with the role `Bot`. */
  bot: SandboxBot;
  /** `REST`: a `general` channel, the member `alice`, and the role `Bot` (ManageWebhooks, ViewChannel, SendMessages). */
  guild: SeededGuild;
  /** REST calls to `server` as `bot` ({@link restCaller}). */
  call: RestCall;
}

/**
 * Calls `/v10${path}` with a JSON body, as the bot unless `auth` says otherwise (`null`: no
 * Authorization header).
 */
export type RestCall = (
  method: string,
  path: string,
  body?: unknown,
  auth?: string | null,
) => Promise<RestReply>;

/**
 * A {@link RestCall} on `server`'s REST API that authenticates as `bot` by default.
 *
 * @example
 * ```ts
 * const call = restCaller(server, bot);
 * expect((await call('GET', '/users/@me')).status).toBe(200);
 * expect((await call('GET', '/users/@me', undefined, null)).status).toBe(401);
 * ```
 */
export function restCaller(server: DiscordServer, bot: SandboxBot): RestCall {
  return async (method, path, body, auth = `Bot ${bot.token}`) => {
    const headers: Record<string, string> = {};
    if (auth) headers.authorization = auth;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.apiUrl}/v10${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  };
}

/**
 * Starts a Discord sandbox (100 requests a second per route) with the bot and guild the REST
 * contract tests share. Close it with `server.close()`.
 *
 * @example
 * ```ts
 * const { server, guild, call } = await startRestSandbox();
 * await call('POST', `/channels/${guild.channels.general}/messages`, { content: 'hi' });
 * await server.close();
 * ```
 */
export async function startRestSandbox(): Promise<RestSandbox> {
  const server = await DiscordServer.start({
    rateLimits: { defaultRoute: { limit: 100, windowMs: 1000 } },
  });
  const bot = server.createBot({ username: 'rest-bot' });
  const guild = server.createGuild({
    name: 'REST',
    roles: [{ name: 'Bot', permissions: ['ManageWebhooks', 'ViewChannel', 'SendMessages'] }],
    channels: ['general'],
    members: [{ username: 'alice' }],
    botRoles: ['Bot'],
  });
  return { server, bot, guild, call: restCaller(server, bot) };
}
