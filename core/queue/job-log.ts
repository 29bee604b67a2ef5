import type { Store, StoreEntry } from '../storage.js';
import type { JobSpec } from './types.js';

/**
 * One log entry: jobs enqueued together (one write), or a tombstone once all are final.
 *
 * @example
 * ```ts
 * const entry: LogEntry = { jobs: [{ key: 'a', type: 'post', payload: {} }], at: Date.now() };
 * ```
 */
export interface LogEntry {
  jobs: JobSpec[];
  at: number;
  /** Set when every job of the entry reached a final state. */
  done?: boolean;
}

/**
 * What {@link JobLog.scan} found.
 *
 * @example
 * ```ts
 * const { entries, holes, tail }: ScanResult = await log.scan(0);
 * ```
 */
export interface ScanResult {
  /** Live entries by position. */
  entries: Map<number, LogEntry>;
  /** Positions below `tail` with nothing written (yet, or ever). */
  holes: number[];
  /** One past the last written position seen. */
  tail: number;
}

const CHUNK = 16;

/**
 * An append-only log of job entries in a key-value store, shared by every process using
 * the store. Positions are allocated with `claim` (atomic set-if-absent), so concurrent
 * writers never overwrite each other; an entry is one write (see {@link JobLog.entry}). A position claimed by a writer
 * that died before writing stays a hole; readers skip holes after a grace period.
 *
 * Keys: `seq:<n>` (claims), `log:<n>` (entries), `head` (below it everything is final).
 *
 * @example
 * ```ts
 * const log = new JobLog(store, 7 * 86_400_000);
 * const n = await log.reserve();
 * await store.setMany([log.entry(n, [{ key: 'a', type: 'post', payload: {} }])]);
 * const { entries, tail } = await log.scan(await log.head());
 * ```
 */
export class JobLog {
  #next = 0;
  #located = false;

  constructor(
    private readonly store: Store,
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims a fresh position for an entry written next with {@link JobLog.entry} (so the
   * caller can write it together with other keys, in one `setMany`).
   */
  async reserve(): Promise<number> {
    if (!this.#located) {
      this.advance(await this.head());
      this.#located = true;
    }
    // Each append takes its own candidate position at once: concurrent appends racing for
    // the same one would cost N rounds of claims for N appends (N² in all).
    let n = this.#next++;
    while (!(await this.store.claim(`seq:${n}`, this.retentionMs))) n = this.#next++;
    return n;
  }

  /** The write of the entry holding `jobs` at position `n` (reserved first). */
  entry(n: number, jobs: JobSpec[]): StoreEntry {
    return { key: `log:${n}`, value: { jobs, at: this.now() }, ttlMs: this.retentionMs };
  }

  /** Lets {@link JobLog.reserve} start looking for a free position at `n` or above. */
  advance(n: number): void {
    if (n > this.#next) this.#next = n;
  }

  read(n: number): Promise<LogEntry | undefined> {
    return this.store.get<LogEntry>(`log:${n}`);
  }

  /** Marks an entry final (a tombstone, so readers do not mistake it for a hole). */
  async finish(n: number): Promise<void> {
    await this.store.set<LogEntry>(
      `log:${n}`,
      { jobs: [], at: this.now(), done: true },
      this.retentionMs,
    );
  }

  async head(): Promise<number> {
    return (await this.store.get<number>('head')) ?? 0;
  }

  /** Raises the stored head to `n` (never lowers it). */
  async raiseHead(n: number): Promise<void> {
    const current = await this.head();
    if (n > current) await this.store.set('head', n);
  }

  /**
   * Reads positions from `from` upward in chunks until a whole chunk is empty; `skip`
   * positions are not read again.
   */
  async scan(from: number, skip: (n: number) => boolean = () => false): Promise<ScanResult> {
    const entries = new Map<number, LogEntry>();
    const missing: number[] = [];
    let tail = from;
    for (let start = from; ; start += CHUNK) {
      const positions = Array.from({ length: CHUNK }, (_, i) => start + i);
      const read = await Promise.all(
        positions.map(async (n) => (skip(n) ? 'known' : await this.read(n))),
      );
      let any = false;
      read.forEach((entry, i) => {
        const n = positions[i] as number;
        if (entry === undefined) return void missing.push(n);
        any = true;
        tail = Math.max(tail, n + 1);
        if (entry !== 'known' && !entry.done) entries.set(n, entry);
      });
      if (!any) break;
    }
    this.advance(tail);
    return { entries, holes: missing.filter((n) => n < tail), tail };
  }
}
