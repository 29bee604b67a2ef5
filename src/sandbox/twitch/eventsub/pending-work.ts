/**
 * Counts in-flight and scheduled work so callers can wait until everything settled, and cancels
 * scheduled timers on close (no timer outlives its owner).
 *
 * @example
 * ```ts
 * const work = new PendingWork();
 * work.later(10, async () => deliver());
 * await work.idle();
 * work.close();
 * ```
 */
export class PendingWork {
  private pending = 0;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters: Array<() => void> = [];

  /** Whether {@link PendingWork.close} was called. @example `if (work.isClosed) return;` */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs `fn`, counting it as pending until it settles (counted synchronously, before `fn` starts).
   *
   * @example
   * ```ts
   * await work.track(() => fetch(url));
   * ```
   */
  async track<T>(fn: () => Promise<T>): Promise<T> {
    this.pending += 1;
    try {
      return await fn();
    } finally {
      this.settle();
    }
  }

  /**
   * Runs `fn` after `ms`, pending until it settles; ignored once closed.
   *
   * @example
   * ```ts
   * work.later(1000, () => retry());
   * ```
   */
  later(ms: number, fn: () => Promise<unknown>): void {
    if (this.closed) return;
    this.pending += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn().finally(() => this.settle());
    }, ms);
    this.timers.add(timer);
  }

  /** Resolves once nothing is pending. @example `await work.idle()` */
  async idle(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Cancels scheduled work and refuses new work; in-flight work still settles. @example `work.close()` */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
      this.settle();
    }
    this.timers.clear();
  }

  private settle(): void {
    this.pending -= 1;
    if (this.pending === 0) for (const resolve of this.waiters.splice(0)) resolve();
  }
}
