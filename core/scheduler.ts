import type { ClusterClaim } from './cluster.js';
import type { Disposer } from './disposer.js';

/** Options of {@link Scheduler.every}. */
export interface EveryOptions {
  /** Run once right away as well. */
  immediate?: boolean;
  /**
   * A name for this timer, unique in its cog: with several processes on one shared storage
   * (Redis), each run is claimed under it first, so the cluster runs the task about once per
   * interval (runs at least 90 % of it apart), not once per process. Give it to timers with
   * outside effects (chat posts, DMs, role changes). No effect with one process (SQLite).
   */
  once?: string;
}

/**
 * Wraps `task` so that, given a cluster claim, it only runs when this process claimed the
 * run (`timer:<name>`, held 90 % of the interval); without one it runs every time.
 *
 * @example
 * ```ts
 * scheduler.every(60_000, claimedRun(clusterClaim(storage), 'bot:cog:reminders', 60_000, remind));
 * ```
 */
export function claimedRun(
  claim: ClusterClaim | undefined,
  name: string,
  ms: number,
  task: () => unknown,
): () => unknown {
  if (!claim) return task;
  const ttl = Math.max(1, Math.floor(ms * 0.9));
  return async () => {
    if (await claim(`timer:${name}`, ttl)) await task();
  };
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
