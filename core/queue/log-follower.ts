import type { JobLog, LogEntry } from './job-log.js';

const HOLE_GRACE_MS = 30_000;

/**
 * What a {@link LogFollower} reports to and asks of its queue.
 *
 * @example
 * ```ts
 * new LogFollower(log, { intake, open: (n) => open.has(n), openPositions: () => open.keys(), failed: console.warn });
 * ```
 */
export interface FollowerHooks {
  /** A live entry this instance has not seen. */
  intake(position: number, entry: LogEntry): void;
  /** Whether the queue still tracks this position (open entries). */
  open(position: number): boolean;
  /** Positions of the open entries, for the head. */
  openPositions(): Iterable<number>;
  /** A poll failed (storage unreachable): it is tried again at the next one. */
  failed(err: unknown): void;
}

/**
 * Follows a {@link JobLog} for one queue instance: reads what other instances appended
 * (from a cursor), re-checks holes (positions claimed but not written yet) for a grace
 * period, and raises the stored head below which everything is final.
 *
 * @example
 * ```ts
 * const follower = new LogFollower(log, { intake, open, openPositions, failed: (e) => log.warn(e) });
 * await follower.scan(await log.head());
 * setInterval(() => void follower.tick(), 1000);
 * ```
 */
export class LogFollower {
  readonly #holes = new Map<number, number>();
  /** Positions at or above the cursor this instance finished (not to be read again). */
  readonly #finished = new Set<number>();
  #cursor = 0;
  #headWritten = -1;
  #ticking = false;

  constructor(
    private readonly log: JobLog,
    private readonly hooks: FollowerHooks,
  ) {}

  /** An entry of this instance reached its end (every job final). */
  finished(position: number): void {
    if (position >= this.#cursor) this.#finished.add(position);
  }

  /** Reads every entry from `from` up to the end of the log. */
  async scan(from: number): Promise<void> {
    const known = (n: number): boolean =>
      this.hooks.open(n) || this.#holes.has(n) || this.#finished.has(n);
    const found = await this.log.scan(from, known);
    for (const [n, entry] of found.entries) if (!known(n)) this.hooks.intake(n, entry);
    const now = Date.now();
    for (const n of found.holes) if (!this.#holes.has(n)) this.#holes.set(n, now);
    this.#cursor = Math.max(this.#cursor, found.tail);
    for (const n of this.#finished) if (n < this.#cursor) this.#finished.delete(n);
  }

  /** One poll (skipped while one runs): new entries, holes filled or given up, the head raised. */
  async tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      await this.#poll();
    } catch (err) {
      this.hooks.failed(err);
    } finally {
      this.#ticking = false;
    }
  }

  async #poll(): Promise<void> {
    await this.scan(this.#cursor);
    const now = Date.now();
    for (const [n, since] of this.#holes) {
      const entry = await this.log.read(n);
      if (entry) {
        this.#holes.delete(n);
        if (!entry.done) this.hooks.intake(n, entry);
      } else if (now - since > HOLE_GRACE_MS) this.#holes.delete(n);
    }
    await this.writeHead();
  }

  /** Raises the stored head to the lowest position that may still hold unfinished work. */
  async writeHead(): Promise<void> {
    let head = this.#cursor;
    for (const n of this.hooks.openPositions()) head = Math.min(head, n);
    for (const n of this.#holes.keys()) head = Math.min(head, n);
    if (head <= this.#headWritten) return;
    await this.log.raiseHead(head);
    this.#headWritten = head;
  }
}
