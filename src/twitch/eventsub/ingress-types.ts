import type { Logger, Store } from '../../../core/index.js';
import type { SqliteQuery } from '../../../core/sqlite-claims.js';
import type { EventSubMetrics } from './metrics.js';

/** A verified, fresh, first-seen notification, ready for the handlers. */
export interface IngressNotification {
  /** Twurple's routing id (the last segment of the callback URL). */
  twurpleId: string;
  messageId: string;
  type: string;
  version: string;
  event: Record<string, unknown>;
  at: Date;
}

/** Options of {@link EventSubIngress}. */
export interface EventSubIngressOptions {
  /**
   * The inbox's namespace (`core:eventsub-inbox`): accepted notifications, message-id and
   * stream-id dedupe; shared by every instance.
   */
  store: Store;
  /**
   * The storage's SQLite connection, when the storage is a SQLite file: the inbox keeps its
   * notifications in a table of its own there (`streamcogs_eventsub_inbox`), not in `store`.
   */
  sql?: SqliteQuery;
  log: Logger;
  metrics: EventSubMetrics;
  /**
   * Runs the handlers, from the inbox: once per notification across every instance (again
   * after a crash cut it short). Throwing `RetryJobLater` runs it again later.
   */
  dispatch(notification: IngressNotification): Promise<void>;
  /** Twitch revoked the subscription routed as `twurpleId`. */
  onRevoked(twurpleId: string, status: string): void;
  /** A verification challenge for `twurpleId` was answered. */
  onVerified(twurpleId: string): void;
  /** Default 64 KiB. */
  maxBodyBytes?: number;
  /** Messages older than this are ignored (default 10 minutes). */
  windowMs?: number;
  /** Timestamps further ahead of our clock are refused (default 60 s). */
  futureSkewMs?: number;
  /** How long a message id is remembered (default 11 minutes: longer than the window). */
  dedupeTtlMs?: number;
  /** How long a `stream.online` stream id is remembered (default 12 hours). */
  streamDedupeTtlMs?: number;
  /** Acknowledged-but-unhandled notifications above which we answer 503 (default 10,000). */
  maxPending?: number;
  /**
   * How long an accepted notification waits in the inbox for a live instance (all of them
   * down) before it is dropped (default 1 hour).
   */
  inboxRetentionMs?: number;
  /**
   * How long a dispatch holds its notification: a dead instance's notifications are taken over
   * after this; a dispatch running longer may be repeated by another instance (default 60 s).
   */
  inboxLeaseMs?: number;
  /** Notifications dispatched at once by this process (default 64). */
  inboxConcurrency?: number;
}
