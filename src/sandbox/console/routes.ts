import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { jsonBody } from '../../../core/http/json-body.js';
import { actions, type ActionTargets } from './actions.js';
import { actionSchemas, parseAction, type ActionName } from './schemas.js';
import type { SseHub } from './sse.js';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The page's policy: everything from this origin only, no inline code. Unlike the
 * server-wide default it has no `upgrade-insecure-requests`, so the console also loads
 * over plain http on a LAN address (`HOST=0.0.0.0`).
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * What the console routes need.
 *
 * @example
 * ```ts
 * const deps: ConsoleRouteDeps = { world, chat, feed, hub, channels: () => new Set(['amy']), state: () => ({}) };
 * ```
 */
export interface ConsoleRouteDeps extends ActionTargets {
  hub: SseHub;
  /** Lower-case channel logins (no `#`) the bots are in: the ones actions may target. */
  channels: () => ReadonlySet<string>;
  /** The page's initial state (`GET /sandbox/api/state`). */
  state: () => unknown;
}

/**
 * The console's routes under `/sandbox`: the page and its assets, the SSE feed
 * (`/sandbox/events`), the state (`GET /sandbox/api/state`) and one JSON action per
 * `POST /sandbox/api/<action>` (400 with a readable message on bad input).
 *
 * @example
 * ```ts
 * app.use(consoleRoutes({ world, chat, feed, hub, channels: () => new Set(['streamer']), state: () => ({}) }).routes());
 * ```
 */
export function consoleRoutes(deps: ConsoleRouteDeps): Router {
  const assets = loadAssets();
  const router = new Router({ prefix: '/sandbox' });
  router.get('/', (ctx) => {
    const page = assets.get('index.html');
    if (!page) return ctx.throw(500, 'console page missing');
    ctx.type = page.type;
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', PAGE_CSP);
    ctx.body = page.body;
  });
  router.get('/static/:file', (ctx) => {
    const asset = assets.get(ctx.params.file ?? '');
    if (!asset) return ctx.throw(404, `no console asset ${ctx.params.file}`);
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = asset.body;
  });
  router.get('/events', (ctx) => deps.hub.open(ctx));
  router.get('/api/state', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = deps.state();
  });
  router.post('/api/:action', jsonBody('16kb'), (ctx) => {
    const name = ctx.params.action ?? '';
    if (!Object.hasOwn(actionSchemas, name))
      ctx.throw(404, `no action ${name}; try one of: ${Object.keys(actionSchemas).join(', ')}`);
    const action = name as ActionName;
    const parsed = parseAction(action, ctx.request.body);
    if (!parsed.ok) return ctx.throw(400, parsed.message);
    const known = deps.channels();
    const channel = (parsed.value as { channel: string }).channel;
    if (!known.has(channel))
      ctx.throw(
        400,
        `channel: no bot is in #${channel}; the sandbox channels are ${[...known].map((c) => `#${c}`).join(', ') || 'none'}`,
      );
    const run = actions[action] as (t: ActionTargets, a: unknown) => Record<string, unknown>;
    ctx.body = { ok: true, action, ...run(deps, parsed.value) };
  });
  return router;
}

interface Asset {
  type: string;
  body: Buffer;
}

/** Reads the static files once (they are small and never change at runtime). */
function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of readdirSync(STATIC_DIR)) {
    const type = TYPES[path.extname(file)];
    if (type) assets.set(file, { type, body: readFileSync(path.join(STATIC_DIR, file)) });
  }
  return assets;
}
