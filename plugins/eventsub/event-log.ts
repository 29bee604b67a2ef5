import type { Store } from '../../core/index.js';
import type { StoredEvent } from './types.js';

/**
 * The bot's last events (default 1,000), newest first, kept in memory and written to storage
 * (`events`) at most once a second and on unload, so the list survives a restart.
 *
 * @example
 * ```ts
 * const log = new EventLog(ctx.storage, 1000, 1000, (err) => ctx.log.warn({ err }, 'events not stored'));
 * await log.load();
 * log.add(event);
 * log.latest(50);
 * await log.flush();
 * ```
 */
export class EventLog {
  #events: StoredEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly keep = 1000,
    private readonly flushDelayMs = 1000,
    /** Told when a write fails (the list stays in memory and the next write retries it). */
    private readonly onWriteError: (err: unknown) => void = () => {},
  ) {}

  /** Reads what an earlier run stored. */
  async load(): Promise<void> {
    const stored = (await this.store.get<StoredEvent[]>('events')) ?? [];
    const ids = new Set(this.#events.map((e) => e.id));
    this.#events = [...this.#events, ...stored.filter((e) => !ids.has(e.id))].slice(0, this.keep);
  }

  /** Adds an event (newest first) and schedules a write. */
  add(event: StoredEvent): void {
    this.#events.unshift(event);
    if (this.#events.length > this.keep) this.#events.length = this.keep;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.flushDelayMs);
    this.#timer.unref();
  }

  /** The newest `limit` events. */
  latest(limit: number): StoredEvent[] {
    return this.#events.slice(0, Math.max(0, limit));
  }

  get size(): number {
    return this.#events.length;
  }

  /** Writes the list now. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const snapshot = [...this.#events];
    this.#flushing = this.#flushing
      .then(() => this.store.set('events', snapshot))
      .catch((err: unknown) => this.onWriteError(err));
    return this.#flushing;
  }
}
