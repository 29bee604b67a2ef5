import {
  DiscordServer,
  type DiscordServerOptions,
  type SeededGuild,
} from '../../../../src/sandbox/discord/index.js';
import { TwitchApiServer, loopbackHttp } from '../../../../src/sandbox/twitch/helix/index.js';
import { TwitchWorld } from '../../../../src/sandbox/twitch/world.js';
import { APP, PUBLIC_URL, bootGoLiveBot, type BootOptions, type GoLiveBot } from './boot.js';

export type { GoLiveBot } from './boot.js';

/** A sandbox webhook, with the URL a bots.yaml would hold. */
export interface Hook {
  id: string;
  token: string;
  url: string;
  channelId: string;
}

/**
 * Twitch (world, Helix, EventSub sender) and Discord (REST with real limits) sandboxes, and
 * bots wired like src/app.ts running the go-live cog ({@link bootGoLiveBot}).
 *
 * @example
 * ```ts
 * const env = await goLiveSandbox();
 * const hook = env.webhook('live');
 * const bot = await env.startBot({ streamers: { ada: { webhook: hook.url } } });
 * env.world.goLive('ada', { title: 'Hi' });
 * ```
 */
export async function goLiveSandbox(options: { discord?: DiscordServerOptions } = {}) {
  const world = new TwitchWorld();
  world.createApp(APP);
  const target = { url: '' };
  const twitchApi = await TwitchApiServer.start({
    world,
    callbackRewrite: (u) => loopbackHttp(u.replace(PUBLIC_URL, target.url || PUBLIC_URL)),
    delivery: { retryBaseMs: 20, maxAttempts: 3, timeoutMs: 5000 },
  });
  process.env.TWURPLE_MOCK_API_PORT = String(twitchApi.port);
  const discord = await DiscordServer.start(options.discord ?? {});
  const guild: SeededGuild = discord.createGuild({
    name: 'Streams',
    channels: ['live', 'general', 'clips', 'games'],
  });

  return {
    world,
    twitchApi,
    discord,
    guild,
    /** Where Twitch delivers EventSub now (a bot in a child process sets it). */
    setCallbackTarget(url: string): void {
      target.url = url;
    },
    /** Starts a bot with these go-live settings (streamers get Twitch users first). */
    startBot(
      settings: Record<string, unknown>,
      o: Omit<BootOptions, 'discordApi' | 'settings'> = {},
    ): Promise<GoLiveBot> {
      for (const login of Object.keys((settings.streamers as object | undefined) ?? {}))
        world.ensureUser(login);
      return bootGoLiveBot({
        ...o,
        discordApi: discord.apiUrl,
        settings,
        onListening: (url) => (target.url = url),
      });
    },
    /** A webhook in a channel of the guild (default `live`; made if missing). */
    webhook(channel = 'live'): Hook {
      guild.channels[channel] ??= discord.createChannel(guild.id, channel);
      const channelId = guild.channels[channel] as string;
      const h = discord.createWebhook({ channelId, name: 'Live' });
      return {
        id: h.id,
        token: h.token,
        channelId,
        url: `${discord.apiUrl}/v10/webhooks/${h.id}/${h.token}`,
      };
    },
    /** Resolves once Twitch holds enabled subscriptions of `type` for every login. */
    async subscribed(logins: string[], type = 'stream.online', ms = 10_000): Promise<void> {
      const ids = logins.map((l) => world.ensureUser(l).id);
      const ok = () =>
        ids.every((id) =>
          world.eventSub
            .list()
            .some(
              (s) =>
                s.type === type && s.status === 'enabled' && s.condition.broadcaster_user_id === id,
            ),
        );
      await until(ok, `enabled ${type} subscriptions for ${logins.join(', ')}`, ms);
    },
    /** Messages the webhooks posted in a channel (not deleted). */
    posts(channel = 'live') {
      return discord.webhookPosts(guild.channels[channel] as string);
    },
    async close(): Promise<void> {
      await Promise.allSettled([twitchApi.close(), discord.close()]);
    },
  };
}

/** Polls `check` (real time) until it returns something truthy. */
export async function until<T>(check: () => T | Promise<T>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}
