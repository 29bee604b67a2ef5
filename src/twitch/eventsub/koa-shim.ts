import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { Middleware } from 'koa';

/** An Express-style request handler, as twurple's `EventSubMiddleware.apply()` registers. */
export type ExpressHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => unknown;

/** One route twurple asked to register. */
export interface CapturedRoute {
  method: 'get' | 'post';
  /** As twurple gave it, normalised to start with `/` (`/event/:id`, `/`). */
  path: string;
  handler: ExpressHandler;
}

/**
 * Runs `apply` (e.g. `middleware.apply`) against a stand-in Express router and returns the
 * routes it registered, so they can be mounted on @koa/router instead.
 *
 * @example
 * ```ts
 * const routes = captureRoutes((r) => twurpleMiddleware.apply(r as never));
 * routes.map((r) => `${r.method} ${r.path}`); // ['post /event/:id', 'post /:id', 'get /']
 * ```
 */
export function captureRoutes(apply: (router: unknown) => void): CapturedRoute[] {
  const routes: CapturedRoute[] = [];
  const add = (method: CapturedRoute['method']) => (path: string, handler: ExpressHandler) => {
    routes.push({ method, path: path.startsWith('/') ? path : `/${path}`, handler });
  };
  apply({ get: add('get'), post: add('post') });
  return routes;
}

/**
 * Adapts an Express handler to Koa: copies the route params to `req.params`, hands the raw
 * `req`/`res` over (`ctx.respond = false`) and resolves when the response is finished.
 * `next()` falls through to the next Koa middleware; `next(err)` becomes a thrown error.
 * Pass `req` to hand the handler a replacement request (see {@link replayRequest}).
 *
 * @example
 * ```ts
 * router.get('/eventsub', expressToKoa(routes[0].handler));
 * ```
 */
export function expressToKoa(handler: ExpressHandler, req?: () => IncomingMessage): Middleware {
  return (ctx, next) =>
    new Promise<void>((resolve, reject) => {
      const request = req?.() ?? ctx.req;
      (request as IncomingMessage & { params?: unknown }).params = { ...ctx.params };
      ctx.respond = false;
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        ctx.res.off('finish', finished);
        ctx.res.off('close', finished);
        fn();
      };
      const finished = (): void => settle(resolve);
      ctx.res.once('finish', finished);
      ctx.res.once('close', finished);
      const nextFn = (err?: unknown): void => {
        if (ctx.res.headersSent) return settle(resolve);
        ctx.respond = true;
        if (err) return settle(() => reject(err));
        settle(() => next().then(resolve, reject));
      };
      Promise.resolve(handler(request, ctx.res, nextFn)).catch((err: unknown) => nextFn(err));
    });
}

/**
 * A stand-in for a request whose body was already read: the same headers, socket and URL,
 * and a stream that yields `body` again.
 *
 * @example
 * ```ts
 * const body = await readBodyLimited(ctx.req, 65536);
 * await expressToKoa(handler, () => replayRequest(ctx.req, body))(ctx, next);
 * ```
 */
export function replayRequest(req: IncomingMessage, body: Buffer): IncomingMessage {
  const stream = new PassThrough();
  stream.end(body);
  return Object.assign(stream, {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    socket: req.socket,
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
  }) as unknown as IncomingMessage;
}
