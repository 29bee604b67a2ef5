/**
 * Discord's global limit (50 requests per second) counted by *arrival*, which the sender
 * cannot see: a burst sent in one second may arrive spread over the next. So a permit is
 * taken before a request is sent and given back one window after its response came back.
 * Then the requests arriving in any one-second window all held a permit at its end, and
 * there are never more than `limit` of them, whatever the latency. The cost is small:
 * `limit / (1 s + latency)` per second instead of `limit`.
 *
 * @example
 * ```ts
 * const gate = new GlobalGate(50, 1000);
 * await gate.acquire(signal);
 * try { await send(); } finally { gate.release(); }
 * ```
 */
export class GlobalGate {
  #held = 0;
  #waits = 0;
  readonly #waiters: { resolve: () => void }[] = [];

  constructor(
    readonly limit = 50,
    readonly windowMs = 1000,
  ) {}

  /** Times a caller had to wait for a permit. */
  get waits(): number {
    return this.#waits;
  }

  /** Callers waiting now. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves with a permit; rejects with the signal's reason when aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#held < this.limit) {
      this.#held++;
      return Promise.resolve();
    }
    this.#waits++;
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve: () => (signal?.removeEventListener('abort', onAbort), resolve()) };
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Gives the permit back one window from now (call when the response, or error, came). */
  release(): void {
    setTimeout(() => {
      const next = this.#waiters.shift();
      if (next) next.resolve();
      else this.#held--;
    }, this.windowMs);
  }
}
