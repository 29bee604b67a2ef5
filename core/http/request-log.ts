import type { Context } from 'koa';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

/**
 * What the shared server records once a request is handled (from its front middleware,
 * `front-middleware.ts`): the latency histogram (labelled by method, matched route and
 * status) and the log entry (method, path, status, time, client address and scheme as seen
 * through the proxy), built only when its level is enabled; `/healthz`, `/readyz` and
 * `/metrics` log at debug.
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
