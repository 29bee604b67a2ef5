import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** The response headers helmet sets (name -> value) and the ones it removes. */
export interface SecurityHeaders {
  set: ReadonlyArray<readonly [string, string]>;
  removed: readonly string[];
}

/**
 * What helmet does to a response with `options`, recorded once. With static directives (no
 * per-request functions, such as CSP nonces) helmet's headers do not depend on the request,
 * so they can be computed at startup and copied onto each response, instead of running
 * helmet's dozen middleware functions per request.
 *
 * @example
 * ```ts
 * const { set } = recordSecurityHeaders({ contentSecurityPolicy: { useDefaults: true } });
 * set.find(([name]) => name === 'Strict-Transport-Security');
 * ```
 */
export function recordSecurityHeaders(options: Readonly<HelmetOptions>): SecurityHeaders {
  const set = new Map<string, string>();
  const removed: string[] = [];
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return res;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.push(name);
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure;
  return { set: [...set], removed };
}

/**
 * A function that puts helmet's security headers (recorded once with
 * {@link recordSecurityHeaders}) on a response and removes the ones helmet removes.
 *
 * @example
 * ```ts
 * const apply = securityHeaderWriter({ contentSecurityPolicy: { useDefaults: true } });
 * http.createServer((req, res) => {
 *   apply(res);
 *   res.end('{}');
 * });
 * ```
 */
export function securityHeaderWriter(
  options: Readonly<HelmetOptions>,
): (res: Pick<ServerResponse, 'setHeader' | 'removeHeader'>) => void {
  const { set, removed } = recordSecurityHeaders(options);
  return (res) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
  };
}
