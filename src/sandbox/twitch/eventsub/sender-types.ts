/** Option and event types of the EventSub sender. */
import type { TwitchWorld } from '../world.js';
import type { DeliveryRecord } from './delivery.js';
import type { EventSubMessageType } from './signing.js';
import type { EventSubStatus } from './subscription-store.js';

/** Options of an {@link EventSubSender}. */
export interface EventSubSenderOptions {
  world: TwitchWorld;
  /** Clock for message timestamps (default: the world's). */
  now?: () => number;
  /** Maps a subscription's callback to the URL actually POSTed to (e.g. https -> http on loopback). */
  callbackRewrite?: (url: string) => string;
  /** Attempts per notification, first one included (default 5). */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time (default 1000 ms). */
  retryBaseMs?: number;
  /** Failed attempts in a row after which the subscription is revoked (default 10). */
  revokeAfterFailures?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Delivery records kept (default 1000). */
  maxRecords?: number;
}

/** Fields of {@link EventSubSender.sendRaw}. */
export interface RawSendOptions {
  /** Subscription type; delivered to every enabled subscription of it (or `subscriptionId`). */
  type: string;
  event: Record<string, unknown>;
  subscriptionId?: string;
  messageId?: string;
  messageType?: EventSubMessageType;
  /** Backdate the timestamp by this many ms. */
  staleBy?: number;
  /** Put the timestamp this many ms in the future. */
  futureBy?: number;
  badSignature?: boolean;
}

/** Events of an {@link EventSubSender}. */
export interface EventSubSenderEvents {
  delivery: [DeliveryRecord];
  status: [{ subscriptionId: string; status: EventSubStatus }];
}
