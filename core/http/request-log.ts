import type { Middleware } from 'koa';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

/**
 * Logs each request (method, path, status, time, client address, scheme as seen
 * through the proxy) and records its latency; `/healthz` and `/metrics` log at debug.
 *
 * @example
 * ```ts
 * app.use(requestLog(log, metrics));
 * ```
 */
export function requestLog(log: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? routeGroup(ctx.path);
      metrics.httpSeconds.observe(
        { method: ctx.method, route, status: String(ctx.status) },
        seconds,
      );
      const quiet = ctx.path === '/healthz' || ctx.path === '/readyz' || ctx.path === '/metrics';
      const level = quiet ? 'debug' : 'info';
      // Built only when it will be written (health probes and scrapes are many, at debug).
      if (log.isLevelEnabled(level))
        log[level](
          {
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ms: Math.round(seconds * 1e4) / 10,
            ip: ctx.ip,
            scheme: ctx.protocol,
          },
          'request',
        );
    }
  };
}

/** Keeps metric label cardinality bounded for unmatched paths. */
function routeGroup(path: string): string {
  const first = path.split('/')[1];
  return first ? `/${first}/*` : '/';
}
