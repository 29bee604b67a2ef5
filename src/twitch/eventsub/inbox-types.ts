import type { Logger, Store } from '../../../core/index.js';
import type { SqliteQuery } from '../../../core/sqlite-claims.js';
import type { IngressNotification } from './ingress-types.js';
import type { EventSubMetrics } from './metrics.js';

/** A notification as the inbox stores it (JSON: the time in ms since the epoch). */
export interface StoredNotification extends Omit<IngressNotification, 'at'> {
  at: number;
}

/**
 * What {@link EventSubInbox.accept} did with a notification: queued it durably, or found
 * its message id (`duplicate`) or its `stream.online` stream id (`duplicate_stream`) seen.
 *
 * @example
 * ```ts
 * if ((await inbox.accept(n)) === 'accepted') metrics.requests.inc({ outcome: 'notification' });
 * ```
 */
export type InboxVerdict = 'accepted' | 'duplicate' | 'duplicate_stream';

/**
 * Options of {@link EventSubInbox}.
 *
 * @example
 * ```ts
 * const options: InboxOptions = { store, log, metrics, dispatch, dedupeTtlMs: 660_000,
 *   streamDedupeTtlMs: 43_200_000, retentionMs: 3_600_000, leaseMs: 60_000, concurrency: 64 };
 * ```
 */
export interface InboxOptions {
  /** The inbox's own namespace (`core:eventsub-inbox`), shared by every instance. */
  store: Store;
  /**
   * The storage's SQLite connection when the storage is a SQLite file: the inbox then keeps
   * its notifications in a table of its own (one commit per acknowledgement) instead of
   * `store`'s keyv rows.
   */
  sql?: SqliteQuery;
  log: Logger;
  metrics: EventSubMetrics;
  /** Runs the cogs' handlers; throwing `RetryJobLater` runs it again later. */
  dispatch(notification: IngressNotification): Promise<void>;
  /** How long a message id is remembered. */
  dedupeTtlMs: number;
  /** How long a `stream.online` stream id is remembered. */
  streamDedupeTtlMs: number;
  /** How long an accepted notification may wait for a live instance before it is dropped. */
  retentionMs: number;
  /** How long a dispatch holds its notification before another instance may take it over. */
  leaseMs: number;
  /** Dispatches at once in this process. */
  concurrency: number;
  /** How often storage is checked for notifications nobody holds (default 1 s). */
  pollMs?: number;
}

/**
 * One way of keeping the inbox (keyv's `DurableQueue`, or a SQLite table of its own).
 *
 * @example
 * ```ts
 * const backend: InboxBackend = options.sql ? new SqliteInbox(options, options.sql) : new KeyvInbox(options);
 * ```
 */
export interface InboxBackend {
  /** Notifications this instance holds that are not handled yet. */
  readonly pending: number;
  start(): Promise<void>;
  accept(n: IngressNotification): Promise<InboxVerdict>;
  /** Resolves once nothing is ready or being dispatched here. */
  idle(): Promise<void>;
  stop(drainMs: number): Promise<void>;
}
