import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { EventBus } from '../../../core/events.js';
import { jsonBody, type Disposer, type Logger } from '../../../core/index.js';
import type { TrackingApi } from '../../../plugins/go-live/index.js';
import { ApiAuth } from '../../api/auth.js';

/**
 * Options of {@link createTrackingRouter}.
 *
 * @example
 * ```ts
 * createTrackingRouter({ runtime, env: process.env, log });
 * ```
 */
export interface TrackingRouterOptions {
  runtime: { bus: EventBus; config: { bots: readonly { name: string }[] } };
  /** Reads `API_KEY`, `API_JWT_SECRET`, `API_JWT_TTL`: the same clients as the rest of `/api`. */
  env: Record<string, string | undefined>;
  log: Logger;
}

const LOGIN = /^[a-zA-Z0-9_]{1,25}$/;
const SNOWFLAKE = /^\d{5,25}$/;
const webhookBody = z.object({
  id: z.string().regex(SNOWFLAKE),
  token: z.string().min(10).max(200),
});

/** The go-live tracking services by bot (`go-live:tracking.ready` on the bus). */
class TrackingDirectory {
  readonly #apis = new Map<string, TrackingApi>();
  readonly #off: Disposer[];

  constructor(
    bus: EventBus,
    private readonly order: () => string[],
  ) {
    this.#off = [
      bus.on('go-live:tracking.ready', ({ bot, api }) => void this.#apis.set(bot, api)),
      bus.on('go-live:tracking.stopped', ({ bot }) => void this.#apis.delete(bot)),
    ];
  }

  pick(ctx: Context): TrackingApi {
    const wanted = ctx.query.bot;
    if (typeof wanted === 'string' && wanted !== '') {
      const api = this.#apis.get(wanted);
      if (!api) ctx.throw(404, `bot "${wanted}" does not run the go-live cog`);
      return api as TrackingApi;
    }
    const first = this.order().find((b) => this.#apis.has(b)) ?? [...this.#apis.keys()][0];
    if (first === undefined)
      return ctx.throw(503, 'no bot runs the go-live cog: add `- go-live` to a bot in bots.yaml');
    return this.#apis.get(first) as TrackingApi;
  }

  close(): void {
    for (const off of this.#off) void off();
  }
}

function param(ctx: Context, name: string, pattern: RegExp, what: string): string {
  const value = String(ctx.params[name] ?? '');
  if (!pattern.test(value)) ctx.throw(400, `"${value}" is not ${what}`);
  return value;
}

/**
 * The Tatsumaki twitch service's tracking API on our server, protected like the rest of
 * `/api` (API key, or JWTs from `POST /api/token`); `?bot=` picks the bot (default the first
 * running go-live):
 *
 * - `POST /api/tracking/:discordChannelId/:twitchLogin` `{ id, token }`: track, with the
 *   channel's webhook (one per channel; a new one replaces the old). 201 new, 200 already.
 * - `DELETE /api/tracking/:discordChannelId/:twitchLogin/:webhookId`: stop tracking.
 * - `GET /api/tracking/:discordChannelId`: `{ names, webhook }` (+ `disabled` when Discord
 *   deleted the webhook and posts stopped).
 * - `GET /api/tracking`: every tracked channel.
 *
 * @example
 * ```ts
 * http.app.use(createTrackingRouter({ runtime, env, log }).routes());
 * ```
 */
export function createTrackingRouter(options: TrackingRouterOptions): Router & { close(): void } {
  const ttl = options.env.API_JWT_TTL ? Number(options.env.API_JWT_TTL) : undefined;
  const auth = new ApiAuth({
    apiKey: options.env.API_KEY || undefined,
    jwtSecret: options.env.API_JWT_SECRET || undefined,
    jwtTtlSeconds: ttl && ttl > 0 ? ttl : undefined,
  });
  const directory = new TrackingDirectory(options.runtime.bus, () =>
    options.runtime.config.bots.map((b) => b.name),
  );
  const router = new Router({ prefix: '/api/tracking' });
  router.use(auth.middleware());

  router.get('/', async (ctx) => {
    const api = directory.pick(ctx);
    const channels = await api.list();
    ctx.body = { bot: api.bot, channels, count: channels.length };
  });

  router.get('/:channel', async (ctx) => {
    const channel = param(ctx, 'channel', SNOWFLAKE, 'a Discord channel id');
    const view = await directory.pick(ctx).channel(channel);
    ctx.body = {
      names: view.names,
      webhook: view.webhook,
      ...(view.disabled ? { disabled: view.disabled } : {}),
    };
  });

  router.post('/:channel/:login', jsonBody('4kb'), async (ctx) => {
    const channel = param(ctx, 'channel', SNOWFLAKE, 'a Discord channel id');
    const login = param(ctx, 'login', LOGIN, 'a Twitch login').toLowerCase();
    const body = webhookBody.safeParse(ctx.request.body);
    if (!body.success)
      return ctx.throw(400, 'send the channel\'s webhook as {"id": "<digits>", "token": "..."}');
    const client = (ctx.state.client as { name?: string } | undefined)?.name ?? 'api';
    const out = await directory.pick(ctx).track(channel, login, body.data, { kind: 'api', client });
    if (!('channel' in out))
      return ctx.throw(out.status === 'unknown_user' ? 404 : 422, out.message);
    options.log.info({ channel, login, client }, `api: tracking ${login} in ${channel}`);
    ctx.status = out.status === 'created' ? 201 : 200;
    ctx.body = { names: out.channel.names, webhook: out.channel.webhook };
  });

  router.delete('/:channel/:login/:webhook', async (ctx) => {
    const channel = param(ctx, 'channel', SNOWFLAKE, 'a Discord channel id');
    const login = param(ctx, 'login', LOGIN, 'a Twitch login').toLowerCase();
    const webhook = param(ctx, 'webhook', SNOWFLAKE, 'a webhook id');
    const api = directory.pick(ctx);
    const outcome = await api.untrack(channel, login, webhook);
    if (outcome === 'not_tracked') ctx.throw(404, `${login} is not tracked in ${channel}`);
    if (outcome === 'wrong_webhook')
      ctx.throw(409, `webhook ${webhook} is not the webhook of channel ${channel}; GET it first`);
    const view = await api.channel(channel);
    ctx.body = { names: view.names, webhook: view.webhook };
  });

  return Object.assign(router, { close: () => directory.close() });
}
