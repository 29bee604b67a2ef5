import { performance } from 'node:perf_hooks';
import type { Context, Next } from 'koa';

/** One request the API server received, with how it was answered. */
export interface ReceivedRequest {
  seq: number;
  /** Milliseconds since the epoch (server clock). */
  at: number;
  method: string;
  /** Path without the query, e.g. `/mock/users` or `/auth/token`. */
  path: string;
  query: Record<string, string | string[]>;
  clientId: string | null;
  /** Authorization scheme and the first characters of the token, e.g. `Bearer abcd…`. */
  authorization: string | null;
  /** Parsed JSON/form body, if any. */
  body: unknown;
  status: number;
  durationMs: number;
  rateLimit: { limit: number; remaining: number; reset: number } | null;
}

const secretParams = new Set(['client_secret']);

function redact(header: string): string | null {
  if (!header) return null;
  const [scheme = '', token = ''] = header.split(/\s+/, 2);
  return `${scheme} ${token.slice(0, 4)}…`;
}

function rateLimitOf(ctx: Context): ReceivedRequest['rateLimit'] {
  const limit = ctx.response.get('Ratelimit-Limit');
  if (!limit) return null;
  return {
    limit: Number(limit),
    remaining: Number(ctx.response.get('Ratelimit-Remaining')),
    reset: Number(ctx.response.get('Ratelimit-Reset')),
  };
}

/**
 * Koa middleware recording every request after it was answered; `onRecord` gets each record.
 *
 * @example
 * ```ts
 * app.use(recordRequests(() => Date.now(), (rec) => log.push(rec)));
 * ```
 */
export function recordRequests(now: () => number, onRecord: (rec: ReceivedRequest) => void) {
  let seq = 0;
  return async (ctx: Context, next: Next): Promise<void> => {
    const at = now();
    const started = performance.now();
    try {
      await next();
    } finally {
      const query: Record<string, string | string[]> = {};
      for (const [key, value] of Object.entries(ctx.query)) {
        if (value !== undefined) query[key] = secretParams.has(key) ? '***' : value;
      }
      onRecord({
        seq: ++seq,
        at,
        method: ctx.method,
        path: ctx.path,
        query,
        clientId: ctx.get('client-id') || null,
        authorization: redact(ctx.get('authorization')),
        body: ctx.request.body,
        status: ctx.status,
        durationMs: performance.now() - started,
        rateLimit: rateLimitOf(ctx),
      });
    }
  };
}
