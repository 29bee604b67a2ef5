import { EventEmitter } from 'node:events';
import Koa from 'koa';
import type { Context, Next } from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { TwitchWorld } from '../world.js';
import { registerEventSubRoutes } from '../eventsub/eventsub-routes.js';
import { EventSubSender } from '../eventsub/sender.js';
import type { EventSubSenderOptions } from '../eventsub/sender.js';
import { helixAuth } from './helix-auth.js';
import { helixError } from './helix-http.js';
import { listenDualStack } from './listen-dual-stack.js';
import type { DualStackServers } from './listen-dual-stack.js';
import { registerOAuthPages } from './oauth-pages.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { rateLimit, TokenBucketLimiter } from './rate-limit.js';
import type { RateLimitOptions } from './rate-limit.js';
import { recordRequests } from './request-log.js';
import type { ReceivedRequest } from './request-log.js';
import { registerStreamVideoRoutes } from './routes-streams-videos.js';
import { registerSubscriptionRoutes } from './routes-subscriptions.js';
import { registerUserChannelRoutes } from './routes-users-channels.js';

/** Options of {@link TwitchApiServer.start}. */
export interface TwitchApiServerOptions {
  world: TwitchWorld;
  /** Clock for token expiry, rate limits and timestamps (default: the world's clock). */
  now?: () => number;
  /** Where EventSub deliveries really go; twurple always registers `https://` callbacks. */
  callbackRewrite?: (url: string) => string;
  /** Helix token bucket (default 800 points per 60 s). */
  rateLimit?: RateLimitOptions;
  /** EventSub `max_total_cost` (default 10,000). */
  maxTotalCost?: number;
  /** Require user grants for EventSub types that need scopes (default true). */
  enforceEventSubAuthorization?: boolean;
  /** Requests kept in {@link TwitchApiServer.received} (default 1000). */
  maxRecords?: number;
  /** Retry/timeout tuning of the EventSub sender. */
  delivery?: Omit<EventSubSenderOptions, 'world' | 'now' | 'callbackRewrite'>;
}

/** Events of a {@link TwitchApiServer}. */
export interface TwitchApiServerEvents {
  record: [ReceivedRequest];
}

/**
 * Rewrites `https://` callbacks on loopback hosts to `http://` (the sandbox has no TLS).
 *
 * @example
 * ```ts
 * loopbackHttp('https://127.0.0.1:4000/event/x'); // 'http://127.0.0.1:4000/event/x'
 * ```
 */
export function loopbackHttp(url: string): string {
  const parsed = new URL(url);
  if (
    ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) &&
    parsed.protocol === 'https:'
  ) {
    return `http://${url.slice('https://'.length)}`;
  }
  return url;
}

function errors() {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      helixError(ctx, status, status === 500 ? 'Internal Server Error' : (err as Error).message);
    }
  };
}

/**
 * The Twitch Helix + OAuth + EventSub simulator, speaking the paths twurple uses when
 * `TWURPLE_MOCK_API_PORT` is set: Helix under `/mock/`, `/eventsub/subscriptions`, OAuth under
 * `/auth/`. Listens on 127.0.0.1 and ::1 (twurple calls the literal host `localhost`).
 * Start one server per world: each server's sender delivers every world notification.
 *
 * @example
 * ```ts
 * const world = new TwitchWorld();
 * const server = await TwitchApiServer.start({ world, callbackRewrite: loopbackHttp });
 * process.env.TWURPLE_MOCK_API_PORT = String(server.port);
 * // ... use @twurple/api ...
 * await server.close();
 * ```
 */
export class TwitchApiServer extends EventEmitter<TwitchApiServerEvents> {
  /** Recent requests, oldest first. */
  readonly received: ReceivedRequest[] = [];
  /** The signed EventSub webhook sender. */
  readonly eventSub: EventSubSender;
  readonly limiter: TokenBucketLimiter;
  private listening: DualStackServers | undefined;

  private constructor(
    readonly world: TwitchWorld,
    private readonly options: TwitchApiServerOptions,
  ) {
    super();
    const now = options.now ?? world.now;
    this.limiter = new TokenBucketLimiter(now, options.rateLimit);
    this.eventSub = new EventSubSender({
      ...options.delivery,
      world,
      now,
      callbackRewrite: options.callbackRewrite ?? ((u) => u),
    });
  }

  /**
   * Creates and starts a server on a free loopback port.
   *
   * @example
   * ```ts
   * const server = await TwitchApiServer.start({ world });
   * ```
   */
  static async start(options: TwitchApiServerOptions): Promise<TwitchApiServer> {
    const server = new TwitchApiServer(options.world, options);
    try {
      server.listening = await listenDualStack(server.buildApp().callback());
    } catch (err) {
      await server.eventSub.close();
      throw err;
    }
    return server;
  }

  /** The bound port. @example `server.port` */
  get port(): number {
    return this.listening?.port ?? 0;
  }

  /** `http://localhost:<port>`. @example `${server.baseUrl}/auth/authorize?...` */
  get baseUrl(): string {
    return `http://localhost:${this.port}`;
  }

  /** Stops listening, drops connections and cancels pending deliveries. @example `await server.close()` */
  async close(): Promise<void> {
    await this.eventSub.close();
    await this.listening?.close();
    this.listening = undefined;
  }

  private record(rec: ReceivedRequest): void {
    this.received.push(rec);
    if (this.received.length > (this.options.maxRecords ?? 1000)) this.received.shift();
    this.emit('record', rec);
  }

  private buildApp(): Koa {
    const world = this.world;
    const app = new Koa();
    app.silent = true;
    app.use(recordRequests(this.options.now ?? world.now, (rec) => this.record(rec)));
    app.use(errors());
    app.use(bodyParser({ enableTypes: ['json', 'form'] }));

    const auth = new Router({ prefix: '/auth' });
    registerOAuthRoutes(auth, world, () => this.baseUrl);
    registerOAuthPages(auth, world);

    const helix = new Router({ prefix: '/mock' });
    helix.use(helixAuth(world), rateLimit(this.limiter));
    registerUserChannelRoutes(helix, world);
    registerStreamVideoRoutes(helix, world);
    registerSubscriptionRoutes(helix, world);

    const eventSub = new Router({ prefix: '/eventsub' });
    eventSub.use(helixAuth(world), rateLimit(this.limiter));
    registerEventSubRoutes(eventSub, {
      world,
      sender: this.eventSub,
      maxTotalCost: this.options.maxTotalCost ?? 10_000,
      enforceAuthorization: this.options.enforceEventSubAuthorization ?? true,
    });

    for (const router of [auth, helix, eventSub])
      app.use(router.routes()).use(router.allowedMethods());
    app.use(async (ctx) => helixError(ctx, 404, `No route for ${ctx.method} ${ctx.path}`));
    return app;
  }
}
