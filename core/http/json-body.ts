import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';

/**
 * A JSON body parser for one route (there is no global one: EventSub needs raw bytes).
 * Bodies over `limit` get 413; other content types 415.
 *
 * @example
 * ```ts
 * ctx.http.router.post('/items', jsonBody(), (c) => { c.body = c.request.body; });
 * ```
 */
export function jsonBody(limit = '64kb'): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limit, encoding: 'utf-8' });
  return async (ctx, next) => {
    if (ctx.request.length && !ctx.is('application/json')) ctx.throw(415, 'send application/json');
    await parse(ctx, next);
  };
}
