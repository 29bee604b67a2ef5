import type { Middleware } from 'koa';
import type { Logger } from '../log.js';

/**
 * Turns thrown errors into JSON bodies `{ error, message }` with the right status;
 * 5xx details are logged, never sent.
 *
 * @example
 * ```ts
 * app.use(errorHandler(log));
 * router.get('/x', (ctx) => ctx.throw(404, 'no such streamer')); // -> 404 {"error":"not_found",...}
 * ```
 */
export function errorHandler(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) {
        ctx.status = 404;
        ctx.body = { error: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` };
      }
    } catch (err) {
      const e = err as {
        status?: number;
        statusCode?: number;
        expose?: boolean;
        message?: string;
        type?: string;
      };
      const status = e.status ?? e.statusCode ?? 500;
      ctx.status = status;
      if (status >= 500) {
        log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
        ctx.body = { error: 'internal_error', message: 'internal error; see the server log' };
      } else {
        ctx.body = {
          error: codeFor(status, e.type),
          message: e.expose !== false && e.message ? e.message : 'bad request',
        };
      }
    }
  };
}

function codeFor(status: number, type: string | undefined): string {
  if (type === 'entity.too.large' || status === 413) return 'payload_too_large';
  const names: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    415: 'unsupported_media_type',
    422: 'unprocessable_entity',
    429: 'too_many_requests',
  };
  return names[status] ?? 'error';
}
