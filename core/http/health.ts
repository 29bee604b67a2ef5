import Router from '@koa/router';
import type { Metrics } from '../metrics.js';

/** What `/readyz` reports. */
export interface Readiness {
  ready: boolean;
  /** Per bot: connections and cogs. */
  bots: Record<string, unknown>;
}

/**
 * `/healthz` (the process is alive), `/readyz` (every bot connected and every cog set
 * up: 200, else 503 with the details) and `/metrics` (Prometheus text).
 *
 * @example
 * ```ts
 * app.use(healthRoutes(() => runtime.readiness(), metrics).routes());
 * ```
 */
export function healthRoutes(readiness: () => Readiness, metrics: Metrics): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', (ctx) => {
    const r = readiness();
    ctx.status = r.ready ? 200 : 503;
    ctx.body = { status: r.ready ? 'ready' : 'not_ready', bots: r.bots };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
