/**
 * Counts events per key in a sliding time window: an event at time `t` stops counting at
 * `t + windowMs`. Takes its clock from the caller, so tests can be exact without sleeping.
 *
 * @example
 * ```ts
 * const joins = new SlidingWindowCounter(10_000);
 * joins.tryTake('mybot', 20, Date.now()); // true until 20 joins in the last 10 s
 * ```
 */
export class SlidingWindowCounter {
  readonly #windowMs: number;
  readonly #events = new Map<string, number[]>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Events of `key` still inside the window at `now`. */
  count(key: string, now: number): number {
    return this.#prune(key, now)?.length ?? 0;
  }

  /**
   * Counts one event for `key` if fewer than `limit` are in the window; returns whether it did.
   * A refused event is not counted (like a drained bucket that denies a request).
   */
  tryTake(key: string, limit: number, now: number): boolean {
    const list = this.#prune(key, now) ?? [];
    if (list.length >= limit) return false;
    list.push(now);
    this.#events.set(key, list);
    return true;
  }

  /** Forgets everything. */
  clear(): void {
    this.#events.clear();
  }

  #prune(key: string, now: number): number[] | undefined {
    const list = this.#events.get(key);
    if (!list) return undefined;
    const cutoff = now - this.#windowMs;
    let drop = 0;
    while (drop < list.length && (list[drop] as number) <= cutoff) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) {
      this.#events.delete(key);
      return undefined;
    }
    return list;
  }
}
