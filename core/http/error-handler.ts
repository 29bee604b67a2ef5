import type { Context } from 'koa';
import type { Logger } from '../log.js';

/**
 * Gives a request no route answered a JSON 404 body (`{ error: 'not_found', message }`).
 *
 * @example
 * ```ts
 * await next();
 * answerUnmatched(ctx); // no-op when a route set a body or took over the response
 * ```
 */
export function answerUnmatched(ctx: Context): void {
  if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) {
    ctx.status = 404;
    ctx.body = { error: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` };
  }
}

/**
 * Answers a thrown error as JSON `{ error, message }` with its status; a 5xx is logged and
 * its details withheld (`ctx.throw(404, 'no such streamer')` -> 404 `{"error":"not_found",...}`).
 * The shared server calls it from its front middleware (`front-middleware.ts`).
 *
 * @example
 * ```ts
 * try {
 *   await next();
 * } catch (err) {
 *   answerError(ctx, err, log); // e.g. 413 {"error":"payload_too_large","message":"..."}
 * }
 * ```
 */
export function answerError(ctx: Context, err: unknown, log: Logger): void {
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

const CODES: Readonly<Record<number, string>> = {
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

function codeFor(status: number, type: string | undefined): string {
  if (type === 'entity.too.large' || status === 413) return 'payload_too_large';
  return CODES[status] ?? 'error';
}
