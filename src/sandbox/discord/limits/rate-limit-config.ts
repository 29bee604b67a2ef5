import { createHash } from 'node:crypto';

/**
 * A fixed-window limit: `limit` requests per `windowMs`, the window starting at the first request.
 *
 * @example
 * ```ts
 * const fast: LimitSpec = { limit: 5, windowMs: 500 };
 * ```
 */
export interface LimitSpec {
  limit: number;
  windowMs: number;
}

/**
 * Every limit the simulator enforces. Defaults are Discord's published or observed
 * numbers; tests tighten them, benchmarks loosen them.
 *
 * @example
 * ```ts
 * const limits: Partial<RateLimitOptions> = { webhookExecute: { limit: 5, windowMs: 500 } };
 * ```
 */
export interface RateLimitOptions {
  /** Per bot token, or per client address for calls without one (webhooks): 50 per second. */
  global: LimitSpec;
  /** Any route without its own rule, per route + major parameter + caller: 5 per second. */
  defaultRoute: LimitSpec;
  /** `POST /channels/{id}/messages`, per channel: 5 per 5 s. */
  channelMessages: LimitSpec;
  /** `PUT`/`DELETE /guilds/{g}/members/{u}/roles/{r}` (one shared bucket), per guild: 10 per 10 s. */
  memberRoles: LimitSpec;
  /** Webhook execute, per webhook id + token: 5 per 2 s. */
  webhookExecute: LimitSpec;
  /** Webhook execute, per channel across all its webhooks (scope `shared`): 30 per 60 s. */
  webhookChannel: LimitSpec;
  /** `POST` application command, per application (and guild): 200 per day. */
  commandCreate: LimitSpec;
  /** Interaction callbacks, per interaction (exempt from the global limit). */
  interactionCallback: LimitSpec;
  /** Window of the invalid-request counter (401/403/429): 10 minutes. */
  invalidRequestWindowMs: number;
}

/**
 * Discord's numbers.
 *
 * @example
 * ```ts
 * const limits = { ...DEFAULT_RATE_LIMITS, webhookExecute: { limit: 5, windowMs: 500 } };
 * ```
 */
export const DEFAULT_RATE_LIMITS: Readonly<RateLimitOptions> = Object.freeze({
  global: { limit: 50, windowMs: 1000 },
  defaultRoute: { limit: 5, windowMs: 1000 },
  channelMessages: { limit: 5, windowMs: 5000 },
  memberRoles: { limit: 10, windowMs: 10_000 },
  webhookExecute: { limit: 5, windowMs: 2000 },
  webhookChannel: { limit: 30, windowMs: 60_000 },
  commandCreate: { limit: 200, windowMs: 86_400_000 },
  interactionCallback: { limit: 50, windowMs: 1000 },
  invalidRequestWindowMs: 600_000,
});

/**
 * Limits loose enough never to trigger: for benchmarks that measure the simulator itself.
 *
 * @example
 * ```ts
 * await DiscordServer.start({ rateLimits: UNLIMITED_RATE_LIMITS });
 * ```
 */
export const UNLIMITED_RATE_LIMITS: Readonly<RateLimitOptions> = Object.freeze({
  ...Object.fromEntries(
    Object.keys(DEFAULT_RATE_LIMITS).map((k) => [k, { limit: 1e9, windowMs: 1000 }]),
  ),
  invalidRequestWindowMs: 600_000,
} as RateLimitOptions);

/**
 * Merges partial options over the defaults.
 *
 * @example
 * ```ts
 * resolveRateLimits({ global: { limit: 3, windowMs: 1000 } }).webhookExecute; // { limit: 5, windowMs: 2000 }
 * ```
 */
export function resolveRateLimits(
  partial: Partial<RateLimitOptions> | undefined,
): RateLimitOptions {
  return { ...DEFAULT_RATE_LIMITS, ...partial };
}

const hashes = new Map<string, string>();

/**
 * The `X-RateLimit-Bucket` value for a bucket name: an opaque 32-hex hash, equal for
 * routes sharing a bucket and independent of major parameters, like Discord's.
 *
 * @example
 * ```ts
 * bucketHash('webhook-execute'); // 'f0c1...'
 * ```
 */
export function bucketHash(name: string): string {
  let hash = hashes.get(name);
  if (!hash) {
    hash = createHash('md5').update(name).digest('hex');
    hashes.set(name, hash);
  }
  return hash;
}
