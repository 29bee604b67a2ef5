import type { Context, Middleware } from 'koa';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

/**
 * Logs each request (method, path, status, time, client address, scheme as seen
 * through the proxy) and records its latency; `/healthz`, `/readyz` and `/metrics` log at
 * debug. (The shared server runs the same steps inside its one front middleware; see
 * `front-middleware.ts`.)
 *
 * @example
 * ```ts
 * app.use(requestLog(log, metrics));
 * ```
 */
export function requestLog(log: Logger, metrics: Metrics): Middleware {
  const record = requestRecorder(log, metrics);
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      record(ctx, started);
    }
  };
}

/**
 * What {@link requestLog} does once a request is handled: the latency histogram (labelled by
 * method, matched route and status) and the log entry, built only when its level is enabled.
 *
 * @example
 * ```ts
 * const record = requestRecorder(log, metrics);
 * const started = performance.now();
 * await next();
 * record(ctx, started);
 * ```
 */
export function requestRecorder(
  log: Logger,
  metrics: Metrics,
): (ctx: Context, startedMs: number) => void {
  const histogram = metrics.httpSeconds;
  return (ctx, startedMs) => {
    const seconds = (performance.now() - startedMs) / 1000;
    const method = ctx.method;
    const status = ctx.status;
    const path = ctx.path;
    const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? routeGroup(path);
    histogram.observe({ method, route, status: String(status) }, seconds);
    const level =
      path === '/healthz' || path === '/readyz' || path === '/metrics' ? 'debug' : 'info';
    // Built only when it will be written (health probes and scrapes are many, at debug);
    // `ctx.ip` and `ctx.protocol` parse X-Forwarded-* headers, so they are read only here.
    if (log.isLevelEnabled(level))
      log[level](
        {
          method,
          path,
          status,
          ms: Math.round(seconds * 1e4) / 10,
          ip: ctx.ip,
          scheme: ctx.protocol,
        },
        'request',
      );
  };
}

/** Keeps metric label cardinality bounded for unmatched paths. */
function routeGroup(path: string): string {
  const first = path.split('/')[1];
  return first ? `/${first}/*` : '/';
}
