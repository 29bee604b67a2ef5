import type { Middleware } from 'koa';
import type { HelmetOptions } from 'helmet';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { answerError, answerUnmatched } from './error-handler.js';
import { requestRecorder } from './request-log.js';
import { securityHeaderWriter } from './security-headers.js';

/** Options of {@link frontMiddleware}. */
export interface FrontMiddlewareOptions {
  log: Logger;
  metrics: Metrics;
  /** Helmet's options; its headers are recorded once and put on every response. */
  security: Readonly<HelmetOptions>;
  /** Incremented when a request comes in, decremented when it has been handled. */
  inFlight: { count: number };
}

/**
 * The shared server's first middleware: the in-flight count, the request log and latency
 * metrics (`requestRecorder`), JSON errors and 404s (`answerError`, `answerUnmatched`) and the
 * security headers (`securityHeaderWriter`), run as one middleware: Koa pays for each
 * middleware it dispatches (a bound function and a promise), on every request.
 *
 * @example
 * ```ts
 * const inFlight = { count: 0 };
 * app.use(frontMiddleware({ log, metrics, security: { contentSecurityPolicy: { useDefaults: true } }, inFlight }));
 * ```
 */
export function frontMiddleware(options: FrontMiddlewareOptions): Middleware {
  const { log, inFlight } = options;
  const record = requestRecorder(log, options.metrics);
  const applySecurityHeaders = securityHeaderWriter(options.security);
  return async (ctx, next) => {
    inFlight.count++;
    const started = performance.now();
    try {
      applySecurityHeaders(ctx.res);
      await next();
      answerUnmatched(ctx);
    } catch (err) {
      answerError(ctx, err, log);
    } finally {
      inFlight.count--;
      record(ctx, started);
    }
  };
}
