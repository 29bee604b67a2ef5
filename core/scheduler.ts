import type { Disposer } from './disposer.js';

/** Options of {@link Scheduler.every}. */
export interface EveryOptions {
  /** Run once right away as well. */
  immediate?: boolean;
}

/**
 * Timers that never overlap their own runs and never keep the process alive.
 * A run that is still going when the next is due is skipped, not stacked.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler((err) => console.error(err));
 * const stop = scheduler.every(60_000, async () => refreshStreams());
 * const once = scheduler.at(new Date(Date.now() + 5000), () => console.log('later'));
 * stop(); once();
 * ```
 */
export class Scheduler {
  readonly #onError: (err: unknown) => void;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  /** Runs `task` every `ms` milliseconds until the returned disposer is called. */
  every(ms: number, task: () => unknown, options: EveryOptions = {}): Disposer {
    if (!(ms > 0)) throw new RangeError(`interval must be a positive number of ms, got ${ms}`);
    let running = false;
    const run = async (): Promise<void> => {
      if (running) return;
      running = true;
      try {
        await task();
      } catch (err) {
        this.#onError(err);
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void run(), ms);
    timer.unref();
    this.#timers.add(timer);
    if (options.immediate) void run();
    return () => {
      clearInterval(timer);
      this.#timers.delete(timer);
    };
  }

  /** Runs `task` once at `when` (a Date or a delay in ms). */
  at(when: Date | number, task: () => unknown): Disposer {
    const delay = typeof when === 'number' ? when : when.getTime() - Date.now();
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        Promise.resolve()
          .then(task)
          .catch((err: unknown) => this.#onError(err));
      },
      Math.max(0, delay),
    );
    timer.unref();
    this.#timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  /** Number of live timers (for tests and diagnostics). */
  get size(): number {
    return this.#timers.size;
  }

  /** Stops every timer. */
  clear(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
