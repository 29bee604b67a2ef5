import type Router from '@koa/router';
import type { Disposer } from './disposer.js';
import type { EventHandler, EventMap, EventName } from './events.js';
import type { Logger } from './log.js';
import type { DiscordFacet, TwitchFacet } from './platform.js';
import type { Store } from './storage.js';
import type { EveryOptions } from './scheduler.js';
import type { DiscordWebhooks } from './webhooks.js';

/**
 * The bot a cog is mounted on.
 *
 * @example
 * ```ts
 * ctx.log.info(`${ctx.bot.name} (${ctx.bot.prefix}) in ${ctx.bot.channels.join(', ')}`);
 * ```
 */
export interface BotInfo {
  name: string;
  prefix: string;
  /** Twitch channel logins, lower-case, without `#`. */
  channels: readonly string[];
}

/**
 * The event bus as a cog sees it: handlers are guarded and removed on unload.
 *
 * @example
 * ```ts
 * ctx.events.on('core:cog.failed', (e) => ctx.log.warn(`${e.bot}/${e.cog}: ${e.error}`));
 * ```
 */
export interface CogEvents {
  on<K extends EventName>(name: K, handler: EventHandler<K>): Disposer;
  emit<K extends EventName>(name: K, payload: EventMap[K]): Promise<void>;
}

/**
 * Timers as a cog sees them: guarded, cleared on unload.
 *
 * @example
 * ```ts
 * ctx.schedule.every(60_000, () => refreshFollowers());
 * ctx.schedule.at(0, () => catchUp()); // once, right after setup
 * ```
 */
export interface CogSchedule {
  every(ms: number, task: () => unknown, options?: EveryOptions): Disposer;
  at(when: Date | number, task: () => unknown): Disposer;
}

/**
 * The cog's routes on the shared server.
 *
 * @example
 * ```ts
 * ctx.http.router.get('/status', (c) => { c.body = { ok: true }; });
 * ctx.http.url('/status'); // 'https://bots.example.com/bots/alice/my-cog/status'
 * ```
 */
export interface CogHttp {
  /** A @koa/router mounted at {@link CogHttp.basePath}; no body parser is applied. */
  router: Router;
  /** `/bots/<bot>/<cog>`. */
  basePath: string;
  /** The public URL of a path under this cog (uses `PUBLIC_URL`). */
  url(path: string): string;
}

/**
 * Everything a cog may touch. One context per (bot, cog); every registration made
 * through it is undone when the cog unloads.
 *
 * @example
 * ```ts
 * setup(ctx) {
 *   ctx.log.info({ channels: ctx.bot.channels }, 'starting');
 *   ctx.twitch.chat.onMessage((m) => ctx.log.info(`${m.user.login}: ${m.text}`));
 *   ctx.schedule.every(60_000, () => ctx.storage.set('heartbeat', Date.now()));
 *   ctx.onDispose(() => ctx.log.info('bye'));
 * }
 * ```
 */
export interface PluginContext {
  readonly bot: BotInfo;
  /** This cog's name. */
  readonly cog: string;
  /** Bound to `{ bot, cog }`. */
  readonly log: Logger;
  /** Aborted when the cog unloads. */
  readonly signal: AbortSignal;
  /** keyv namespace `<bot>:<cog>`. */
  readonly storage: Store;
  readonly events: CogEvents;
  readonly schedule: CogSchedule;
  readonly http: CogHttp;
  readonly twitch: TwitchFacet;
  /** Present when the bot has a `discord:` block. */
  readonly discord: DiscordFacet | undefined;
  /**
   * Discord webhooks (no bot token needed) through the process's one sender, which honours
   * Discord's rate limits before sending and never calls a deleted webhook again.
   */
  readonly webhooks: DiscordWebhooks;
  /** Runs `disposer` when the cog unloads (newest first). */
  onDispose(disposer: Disposer): void;
  /** Wraps a callback you hand to something else, so its errors are contained like a handler's. */
  guard<A extends unknown[]>(
    label: string,
    fn: (...args: A) => unknown,
  ): (...args: A) => Promise<void>;
}
