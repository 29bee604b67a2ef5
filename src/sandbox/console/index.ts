/**
 * The sandbox web console, served by the shared server under `/sandbox` in sandbox mode
 * only: act as viewers and streamers, and watch chat, Discord and EventSub live.
 *
 * @module
 */
import type Koa from 'koa';
import type { DiscordServer, SeededGuild } from '../discord/index.js';
import type { TwitchChatServer } from '../twitch/chat/index.js';
import type { TwitchApiServer } from '../twitch/helix/index.js';
import type { TwitchWorld } from '../twitch/world.js';
import { DiscordFeed } from './discord-feed.js';
import { ConsoleFeed } from './feed.js';
import { consoleRoutes } from './routes.js';
import { SseHub, type SseHubOptions } from './sse.js';
import { streamState, watchTwitch } from './twitch-feed.js';

export { ConsoleFeed } from './feed.js';
export type { FeedEvent, FeedItem } from './feed.js';
export { printBanner, bannerText } from './banner.js';

/**
 * A bot as the console lists it.
 *
 * @example
 * ```ts
 * const bot: ConsoleBot = { name: 'demo_bot', login: 'demo_bot', channels: ['demo_streamer'], guilds: [] };
 * ```
 */
export interface ConsoleBot {
  name: string;
  /** Its Twitch login in the sandbox. */
  login: string;
  /** Channel logins, lower case, no `#`. */
  channels: string[];
  /** Discord guilds the sandbox created for it. */
  guilds: SeededGuild[];
}

/**
 * Options of {@link mountConsole}.
 *
 * @example
 * ```ts
 * const options: ConsoleOptions = { world, chat, twitchApi, discord, bots: () => [], feedCapacity: 200 };
 * ```
 */
export interface ConsoleOptions {
  world: TwitchWorld;
  chat: TwitchChatServer;
  twitchApi: TwitchApiServer;
  discord: DiscordServer;
  /** The bots right now (bots.yaml can change while running). */
  bots: () => ConsoleBot[];
  /** Records kept for browsers that connect later (default 1000). */
  feedCapacity?: number;
  sse?: SseHubOptions;
}

/**
 * A mounted console.
 *
 * @example
 * ```ts
 * const ui: SandboxConsole = mountConsole(app, options);
 * ui.feed.size; // records kept
 * ui.close();
 * ```
 */
export interface SandboxConsole {
  feed: ConsoleFeed;
  hub: SseHub;
  /** Ends every event stream and stops listening to the simulators. */
  close(): void;
}

/**
 * Starts feeding the simulators' events into a bounded feed and mounts the console's
 * routes on `app`. Call `close()` when the sandbox stops.
 *
 * @example
 * ```ts
 * const ui = mountConsole(http.app, { world, chat, twitchApi, discord, bots: () => [] });
 * // open http://127.0.0.1:8000/sandbox
 * ui.close();
 * ```
 */
export function mountConsole(app: Koa, options: ConsoleOptions): SandboxConsole {
  const { world, chat, twitchApi, discord, bots } = options;
  const feed = new ConsoleFeed(options.feedCapacity ?? 1000);
  const hub = new SseHub(feed, options.sse);
  const stopTwitch = watchTwitch(feed, {
    world,
    chat,
    twitchApi,
    isBot: (login) => bots().some((b) => b.login === login),
  });
  const discordFeed = new DiscordFeed(feed, discord, () => bots().flatMap((b) => b.guilds));
  const channelsNow = (): Set<string> => new Set(bots().flatMap((b) => b.channels));
  const router = consoleRoutes({
    world,
    chat,
    feed,
    hub,
    channels: channelsNow,
    state: () => ({
      bots: bots().map((b) => ({
        name: b.name,
        login: b.login,
        channels: b.channels,
        guilds: b.guilds.map((g) => ({
          id: g.id,
          name: g.name,
          channels: Object.keys(g.channels),
        })),
      })),
      streams: [...channelsNow()].map((c) => streamState(world, c)),
      chatters: Object.fromEntries([...channelsNow()].map((c) => [c, chat.chatters(`#${c}`)])),
    }),
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return {
    feed,
    hub,
    close() {
      hub.close();
      stopTwitch();
      discordFeed.close();
    },
  };
}
