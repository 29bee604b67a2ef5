import { RetryJobLater } from '../../core/queue/index.js';

/** Longer waits give the job back to the queue instead of holding it. */
const MAX_INLINE_WAIT_MS = 3000;

/**
 * At most `perSecond` calls in any second (a sliding window), for all of a cog's Discord
 * calls: under Discord's global limit of 50 a second per bot whatever the alignment of its
 * window, with room left for the bot's other cogs.
 *
 * @example
 * ```ts
 * const pace = new SlidingPacer(45);
 * await pace.take();
 * await client.rest.put(route);
 * ```
 */
export class SlidingPacer {
  readonly #sent: number[] = [];

  constructor(private readonly perSecond: number) {}

  /** Resolves when one more call fits in the last second. */
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.#sent.length > 0 && (this.#sent[0] as number) <= now - 1000) this.#sent.shift();
      if (this.#sent.length < this.perSecond) {
        this.#sent.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, (this.#sent[0] as number) + 1000 - now + 1));
    }
  }
}

/**
 * What {@link RoleBucket.snapshot} keeps across a restart.
 *
 * @example
 * ```ts
 * await ctx.storage.set('buckets', { roles: bucket.snapshot() });
 * ```
 */
export interface BucketState {
  remaining: number;
  resetAt: number;
}

interface HeadersLike {
  get(name: string): string | null;
}

/**
 * Which requests share a bucket: role changes of a guild, or member reads of a guild.
 *
 * @example
 * ```ts
 * ROUTES.roles('123')('PUT', '/guilds/123/members/4/roles/5'); // true
 * ```
 */
export const ROUTES = {
  roles: (guildId: string) => (method: string, path: string) =>
    method.toUpperCase() !== 'GET' &&
    path.startsWith(`/guilds/${guildId}/members/`) &&
    path.includes('/roles/'),
  member: (guildId: string) => (method: string, path: string) =>
    method.toUpperCase() === 'GET' &&
    /^\/guilds\/\d+\/members\/\d+$/.test(path) &&
    path.startsWith(`/guilds/${guildId}/`),
};

/**
 * One Discord rate-limit bucket of a guild (role changes: `PUT`/`DELETE
 * .../members/:id/roles/:id`; or member reads), learnt from the `X-RateLimit-*` headers of
 * its responses: its calls go one at a time, and none goes while the headers said the
 * bucket is empty. A short wait is slept
 * through; a long one hands the job back to the queue ({@link RetryJobLater}), so a rate
 * limit makes the queue wait rather than Discord answer 429. Its state survives a restart
 * (snapshot on stop, restore on start), so a new process does not spend a bucket the old
 * one emptied.
 *
 * @example
 * ```ts
 * const bucket = new RoleBucket(ROUTES.roles(guildId));
 * client.rest.on('response', (req, res) => bucket.observe(req.method, req.path, res.headers));
 * await bucket.run(() => client.rest.put(route));
 * ```
 */
export class RoleBucket {
  #remaining = Number.POSITIVE_INFINITY;
  #resetAt = 0;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly matches: (method: string, path: string) => boolean,
    private readonly pacer?: SlidingPacer,
  ) {}

  /** Reads the headers of a response to one of the bucket's routes (others ignored). */
  observe(method: string, path: string, headers: HeadersLike): void {
    if (!this.matches(method, path)) return;
    const remaining = headers.get('x-ratelimit-remaining');
    const after = headers.get('x-ratelimit-reset-after');
    if (remaining === null || after === null) return;
    this.#remaining = Number(remaining);
    this.#resetAt = Date.now() + Number(after) * 1000;
  }

  /** How long until the bucket has room (0: now). */
  waitMs(): number {
    if (this.#remaining > 0) return 0;
    return Math.max(0, this.#resetAt - Date.now());
  }

  /** Runs one role call when the bucket has room; one at a time. */
  run<T>(call: () => Promise<T>): Promise<T> {
    const next = this.#chain
      .catch(() => {})
      .then(async () => {
        let wait = this.waitMs();
        if (wait > MAX_INLINE_WAIT_MS) throw new RetryJobLater(wait, 'Discord rate limit');
        if (wait > 0) await new Promise((r) => setTimeout(r, wait + 5));
        wait = this.waitMs();
        if (wait === 0 && this.#resetAt <= Date.now())
          this.#remaining = Math.max(this.#remaining, 1);
        if (Number.isFinite(this.#remaining)) this.#remaining -= 1;
        await this.pacer?.take();
        return call();
      });
    this.#chain = next;
    return next;
  }

  snapshot(): BucketState {
    return { remaining: this.#remaining, resetAt: this.#resetAt };
  }

  /** Takes back a snapshot, if its window has not ended yet. */
  restore(state: BucketState | undefined): void {
    if (!state || state.resetAt <= Date.now()) return;
    this.#remaining = state.remaining;
    this.#resetAt = state.resetAt;
  }
}
