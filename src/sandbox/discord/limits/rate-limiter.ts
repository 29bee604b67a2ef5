import { bucketHash } from './rate-limit-config.js';
import type { LimitSpec } from './rate-limit-config.js';

/**
 * `X-RateLimit-Scope` values.
 *
 * @example
 * ```ts
 * if (res.headers.get('x-ratelimit-scope') === ('shared' satisfies RateLimitScope)) retryLater();
 * ```
 */
export type RateLimitScope = 'user' | 'shared' | 'global';

/** One bucket a request counts against: `name` gives the hash, `key` the counter. */
export interface BucketRef {
  name: string;
  key: string;
  spec: LimitSpec;
  scope: RateLimitScope;
}

/** Outcome of {@link RateLimiter.take}. Headers are always set. */
export type TakeResult =
  | { ok: true; headers: Record<string, string> }
  | {
      ok: false;
      scope: RateLimitScope;
      retryAfterMs: number;
      global: boolean;
      headers: Record<string, string>;
    };

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counters, Discord style: a window opens on the first request and resets
 * `windowMs` later. Rejected requests don't count. Clock injectable for tests.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter(() => Date.now());
 * const r = limiter.take(globalRef, [routeRef]);
 * if (!r.ok) console.log(r.retryAfterMs);
 * ```
 */
export class RateLimiter {
  /** bucket name -> key -> window (nested: no per-request key concatenation). */
  #windows = new Map<string, Map<string, Window>>();
  #size = 0;
  #takes = 0;

  constructor(private readonly now: () => number) {}

  /** Counts one request against `global` (may be null: exempt) and every route bucket. */
  take(global: BucketRef | null, route: readonly BucketRef[]): TakeResult {
    const now = this.now();
    if (++this.#takes % 1024 === 0) this.sweep(now);
    const primary = route[0];
    if (global) {
      const w = this.window(global, now);
      if (w.count >= global.spec.limit) {
        return this.reject(global, w, now, primary, true);
      }
    }
    for (const ref of route) {
      const w = this.window(ref, now);
      if (w.count >= ref.spec.limit) return this.reject(ref, w, now, primary, false);
    }
    if (global) this.window(global, now).count++;
    for (const ref of route) this.window(ref, now).count++;
    return { ok: true, headers: primary ? this.headers(primary, now) : {} };
  }

  /** Forgets every counter. */
  reset(): void {
    this.#windows.clear();
    this.#size = 0;
  }

  private reject(
    ref: BucketRef,
    w: Window,
    now: number,
    primary: BucketRef | undefined,
    global: boolean,
  ): TakeResult {
    const retryAfterMs = Math.max(0, w.resetAt - now);
    const headers = primary ? this.headers(primary, now) : {};
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    headers['x-ratelimit-scope'] = ref.scope;
    if (global) headers['x-ratelimit-global'] = 'true';
    return { ok: false, scope: ref.scope, retryAfterMs, global, headers };
  }

  private headers(ref: BucketRef, now: number): Record<string, string> {
    const w = this.window(ref, now);
    return {
      'x-ratelimit-limit': String(ref.spec.limit),
      'x-ratelimit-remaining': String(Math.max(0, ref.spec.limit - w.count)),
      'x-ratelimit-reset': (w.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': (Math.max(0, w.resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucketHash(ref.name),
    };
  }

  private window(ref: BucketRef, now: number): Window {
    let byKey = this.#windows.get(ref.name);
    if (!byKey) {
      byKey = new Map();
      this.#windows.set(ref.name, byKey);
    }
    let w = byKey.get(ref.key);
    if (!w) {
      w = { count: 0, resetAt: now + ref.spec.windowMs };
      byKey.set(ref.key, w);
      this.#size++;
    } else if (now >= w.resetAt) {
      w.count = 0;
      w.resetAt = now + ref.spec.windowMs;
    }
    return w;
  }

  private sweep(now: number): void {
    if (this.#size < 4096) return;
    for (const byKey of this.#windows.values()) {
      for (const [key, w] of byKey) {
        if (now >= w.resetAt) {
          byKey.delete(key);
          this.#size--;
        }
      }
    }
  }
}
