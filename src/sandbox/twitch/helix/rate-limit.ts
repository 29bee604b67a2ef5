import type { Context, Next } from 'koa';
import { tokenOf } from './helix-auth.js';
import { helixError } from './helix-http.js';

/** Bucket parameters; Twitch: 800 points per minute. */
export interface RateLimitOptions {
  points?: number;
  windowMs?: number;
}

/** The outcome of taking one point from a bucket. */
export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the bucket is full again. */
  reset: number;
}

/**
 * Token buckets that refill continuously (`points` per `windowMs`), one per key.
 *
 * @example
 * ```ts
 * const limiter = new TokenBucketLimiter(() => Date.now(), { points: 800, windowMs: 60_000 });
 * limiter.take('client:cid').remaining; // 799
 * ```
 */
export class TokenBucketLimiter {
  readonly points: number;
  readonly windowMs: number;
  private readonly buckets = new Map<string, { level: number; at: number }>();

  constructor(
    private readonly now: () => number,
    opts: RateLimitOptions = {},
  ) {
    this.points = opts.points ?? 800;
    this.windowMs = opts.windowMs ?? 60_000;
  }

  /** Takes `cost` points from `key`'s bucket if available. @example `limiter.take('user:cid:1')` */
  take(key: string, cost = 1): RateLimitResult {
    const now = this.now();
    const rate = this.points / this.windowMs;
    const bucket = this.buckets.get(key) ?? { level: this.points, at: now };
    bucket.level = Math.min(this.points, bucket.level + Math.max(0, now - bucket.at) * rate);
    bucket.at = now;
    const allowed = bucket.level >= cost;
    if (allowed) bucket.level -= cost;
    this.buckets.set(key, bucket);
    const fullAt = now + (this.points - bucket.level) / rate;
    return {
      allowed,
      limit: this.points,
      remaining: Math.floor(bucket.level),
      reset: Math.ceil(fullAt / 1000),
    };
  }
}

/**
 * Koa middleware charging one point per Helix request: per client id for app tokens, per
 * client id + user for user tokens. Sets `Ratelimit-*` headers; 429 when the bucket is empty.
 *
 * @example
 * ```ts
 * router.use(helixAuth(world), rateLimit(limiter));
 * ```
 */
export function rateLimit(limiter: TokenBucketLimiter) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const token = tokenOf(ctx);
    const key =
      token.userId === null ? `app:${token.clientId}` : `user:${token.clientId}:${token.userId}`;
    const result = limiter.take(key);
    ctx.set('Ratelimit-Limit', String(result.limit));
    ctx.set('Ratelimit-Remaining', String(result.remaining));
    ctx.set('Ratelimit-Reset', String(result.reset));
    if (!result.allowed) {
      helixError(ctx, 429, 'Too Many Requests');
      return;
    }
    await next();
  };
}
