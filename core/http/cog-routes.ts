import Router from '@koa/router';
import type { Middleware } from 'koa';

/** A cog's router and how to take it down. */
export interface MountedRouter {
  router: Router;
  basePath: string;
  dispose(): void;
}

/**
 * The routers cogs add at runtime, each under `/bots/<bot>/<cog>`. Mounting and
 * unmounting never restarts the server; requests are dispatched by prefix.
 *
 * @example
 * ```ts
 * const routes = new CogRoutes();
 * app.use(routes.middleware());
 * const { router, dispose } = routes.mount('alice', 'hello');
 * router.get('/ping', (ctx) => { ctx.body = 'pong'; }); // GET /bots/alice/hello/ping
 * dispose();
 * ```
 */
export class CogRoutes {
  readonly #mounted = new Map<string, Middleware>();

  /** Mounts a fresh router for one cog on one bot. */
  mount(bot: string, cog: string): MountedRouter {
    const basePath = `/bots/${encodeURIComponent(bot)}/${encodeURIComponent(cog)}`;
    const router = new Router({ prefix: basePath });
    // The router matches against its stack per request, so routes added later are served.
    this.#mounted.set(basePath, router.routes() as unknown as Middleware);
    return {
      router,
      basePath,
      dispose: () => {
        this.#mounted.delete(basePath);
      },
    };
  }

  /** The Koa middleware dispatching to mounted cog routers. */
  middleware(): Middleware {
    return async (ctx, next) => {
      if (ctx.path.startsWith('/bots/')) {
        const [, , bot, cog] = ctx.path.split('/');
        const handler = this.#mounted.get(`/bots/${bot}/${cog}`);
        if (handler) return handler(ctx, next);
      }
      await next();
    };
  }
}
