import type { Logger, Store } from '../../../core/index.js';
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
  /** Where message-id and stream-id claims live (shared by every instance). */
  store: Store;
  log: Logger;
  metrics: EventSubMetrics;
  /** Called after the 2xx went out, once per notification across every instance. */
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
}
