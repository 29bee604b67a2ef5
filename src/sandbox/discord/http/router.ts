import type { HttpMethod, RouteDef } from './types.js';

interface CompiledRoute {
  def: RouteDef;
  segments: string[];
  /** Route template used for records and default bucket names. */
  template: string;
}

/** A matched route with its path parameters. */
export interface RouteMatch {
  def: RouteDef;
  template: string;
  params: Record<string, string>;
}

/**
 * Matches decoded path segments against `/a/:param/b` patterns, in registration order.
 *
 * @example
 * ```ts
 * const router = new Router([{ method: 'GET', path: '/users/:userId', auth: 'bot', handler }]);
 * router.match('GET', ['users', '123'])?.params.userId; // '123'
 * ```
 */
export class Router {
  readonly #byMethod = new Map<HttpMethod, CompiledRoute[]>();

  constructor(routes: readonly RouteDef[]) {
    for (const def of routes) {
      const list = this.#byMethod.get(def.method) ?? [];
      list.push({
        def,
        segments: def.path.split('/').filter(Boolean),
        template: `${def.method} ${def.path}`,
      });
      this.#byMethod.set(def.method, list);
    }
  }

  match(method: string, segments: readonly string[]): RouteMatch | null {
    const list = this.#byMethod.get(method as HttpMethod);
    if (!list) return null;
    outer: for (const route of list) {
      if (route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const want = route.segments[i] as string;
        const got = segments[i] as string;
        if (want.startsWith(':')) params[want.slice(1)] = got;
        else if (want !== got) continue outer;
      }
      return { def: route.def, template: route.template, params };
    }
    return null;
  }
}
