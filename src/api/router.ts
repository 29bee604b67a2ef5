import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { jsonBody, type Logger } from '../../core/index.js';
import type { Runtime } from '../../core/runtime.js';
import type { StreamStatusApi } from '../../plugins/eventsub/index.js';
import { ApiAuth } from './auth.js';
import { StatusApiDirectory } from './directory.js';
import { OPENAPI_DOCUMENT } from './openapi.js';

/** Options of {@link createApiRouter}. */
export interface ApiRouterOptions {
  runtime: Pick<Runtime, 'bus' | 'config'>;
  /** Reads `API_KEY`, `API_JWT_SECRET`, `API_JWT_TTL` (seconds). */
  env: Record<string, string | undefined>;
  log: Logger;
}

const LOGIN = /^[a-zA-Z0-9_]{1,25}$/;
const tokenRequest = z.object({
  name: z.string().min(1).max(100),
  shard: z.number().int().min(0),
  secret: z.string(),
});

function login(ctx: Context): string {
  const value = String(ctx.params.login ?? '');
  if (!LOGIN.test(value)) ctx.throw(400, `"${value}" is not a Twitch login`);
  return value.toLowerCase();
}

/**
 * The stream status API under `/api` (what the seed FastAPI service offered), acting for one
 * bot per request (`?bot=`, default the first bot in bots.yaml running the eventsub cog).
 * Protected by `API_KEY` or JWTs from `POST /api/token` when either `API_KEY` or
 * `API_JWT_SECRET` is set; `/api/openapi.json` and `/api/token` stay open.
 *
 * @example
 * ```ts
 * routes: (http, runtime) => {
 *   http.app.use(createApiRouter({ runtime, env, log }).routes());
 * }
 * ```
 */
export function createApiRouter(options: ApiRouterOptions): Router {
  const { env, runtime } = options;
  const ttl = env.API_JWT_TTL ? Number(env.API_JWT_TTL) : undefined;
  const auth = new ApiAuth({
    apiKey: env.API_KEY || undefined,
    jwtSecret: env.API_JWT_SECRET || undefined,
    jwtTtlSeconds: ttl && ttl > 0 ? ttl : undefined,
  });
  if (auth.open)
    options.log.warn('/api is open to anyone who can reach it: set API_KEY or API_JWT_SECRET');
  const directory = new StatusApiDirectory(runtime.bus, () =>
    runtime.config.bots.map((b) => b.name),
  );
  const protect = auth.middleware();
  const router = new Router({ prefix: '/api' });

  const bot = (ctx: Context): StreamStatusApi => {
    const choice = directory.pick(ctx.query.bot);
    if (!choice.ok) ctx.throw(choice.status, choice.message);
    return choice.api;
  };

  router.get('/openapi.json', (ctx) => {
    ctx.body = OPENAPI_DOCUMENT;
  });

  router.post('/token', jsonBody('4kb'), async (ctx) => {
    if (!auth.issuesTokens) ctx.throw(404, 'token issuing is off: set API_JWT_SECRET');
    const parsed = tokenRequest.safeParse(ctx.request.body);
    if (!parsed.success)
      return ctx.throw(400, 'send {"name": string, "shard": integer >= 0, "secret": string}');
    const issued = await auth.issue(parsed.data);
    if (!issued) {
      options.log.warn({ ip: ctx.ip, name: parsed.data.name }, 'api: token refused (wrong secret)');
      ctx.throw(401, 'wrong secret');
    }
    ctx.body = { ...issued, token_type: 'Bearer' };
  });

  router.get('/streamers', protect, async (ctx) => {
    const api = bot(ctx);
    const streamers = await api.streamers();
    ctx.body = { bot: api.bot, streamers, count: streamers.length };
  });

  router.post('/streamers/:login', protect, async (ctx) => {
    const name = login(ctx);
    const api = bot(ctx);
    const result = await api.track(name);
    if (result.outcome === 'unknown_user') return ctx.throw(404, `no Twitch user "${name}"`);
    ctx.status = result.created ? 201 : 200;
    ctx.body = {
      bot: api.bot,
      streamer: result.streamer,
      message: result.created ? `now tracking ${name}` : `already tracking ${name}`,
    };
  });

  router.delete('/streamers/:login', protect, async (ctx) => {
    const name = login(ctx);
    const api = bot(ctx);
    const outcome = await api.untrack(name);
    if (outcome === 'not_tracked') ctx.throw(404, `${name} is not tracked`);
    if (outcome === 'configured')
      ctx.throw(
        409,
        `${name} is configured in bots.yaml (a channel or streamers:); remove it there`,
      );
    ctx.body = { bot: api.bot, message: `stopped tracking ${name}` };
  });

  router.get('/streamers/:login/status', protect, async (ctx) => {
    const name = login(ctx);
    const status = await bot(ctx).status(name);
    if (!status) ctx.throw(404, `no Twitch user "${name}"`);
    ctx.body = status;
  });

  router.get('/streams/live', protect, async (ctx) => {
    const api = bot(ctx);
    const live = await api.live();
    ctx.body = { bot: api.bot, live_streams: live, count: live.length };
  });

  router.get('/events', protect, async (ctx) => {
    const raw = ctx.query.limit;
    const limit = raw === undefined ? 50 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      ctx.throw(400, 'limit must be an integer from 1 to 1000');
    const api = bot(ctx);
    const events = await api.events(limit);
    ctx.body = { bot: api.bot, events, count: events.length };
  });

  return router;
}
