/**
 * Options of {@link ChannelLimiter}.
 *
 * @example
 * ```ts
 * new ChannelLimiter({ limit: 30, windowMs: 60_000 });
 * ```
 */
export interface ChannelLimiterOptions {
  /** Posts per window per channel; Discord: 30. */
  limit: number;
  /** Window; Discord: 60 s. */
  windowMs: number;
}

/**
 * A post counted against its channel: in flight until {@link ChannelLimiter.done}.
 *
 * @example
 * ```ts
 * const ticket = limiter.take(channelId); if (typeof ticket !== 'number') limiter.done(ticket);
 * ```
 */
export interface ChannelTicket {
  channelId: string;
  /** When its response came back; undefined while in flight. */
  at?: number;
}

/**
 * Discord's per-channel webhook limit (30 posts per minute across all the channel's
 * webhooks, `X-RateLimit-Scope: shared`) announces nothing in advance, so it is kept here.
 * Like {@link GlobalGate}, a post counts from its sending until one window after its
 * response, so arrival jitter can never put more than `limit` into one of Discord's windows.
 *
 * @example
 * ```ts
 * const limiter = new ChannelLimiter({ limit: 30, windowMs: 60_000 });
 * const ticket = limiter.take('123');
 * if (typeof ticket === 'number') retryIn(ticket);
 * else { await post(); limiter.done(ticket); }
 * ```
 */
export class ChannelLimiter {
  readonly #sent = new Map<string, ChannelTicket[]>();

  constructor(
    private readonly options: ChannelLimiterOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a post and returns its ticket, or returns how many ms to wait (counting nothing). */
  take(channelId: string): ChannelTicket | number {
    const now = this.now();
    const live = this.#live(channelId, now);
    if (live.length >= this.options.limit) {
      const ends = live.map((t) =>
        t.at === undefined ? now + 1000 : t.at + this.options.windowMs,
      );
      return Math.max(1, Math.min(...ends) - now);
    }
    const ticket: ChannelTicket = { channelId };
    live.push(ticket);
    this.#sent.set(channelId, live);
    if (this.#sent.size > 10_000) this.#sweep(now);
    return ticket;
  }

  /** The post's response came back (or it failed): its window starts now. */
  done(ticket: ChannelTicket): void {
    ticket.at = this.now();
  }

  #live(channelId: string, now: number): ChannelTicket[] {
    return (this.#sent.get(channelId) ?? []).filter(
      (t) => t.at === undefined || now - t.at < this.options.windowMs,
    );
  }

  #sweep(now: number): void {
    for (const id of this.#sent.keys()) if (this.#live(id, now).length === 0) this.#sent.delete(id);
  }
}
