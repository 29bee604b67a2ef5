import { randomUUID } from 'node:crypto';
import type { WorldNotification } from './event-payloads.js';

/** Twitch's EventSub subscription statuses. */
export type EventSubStatus =
  | 'enabled'
  | 'webhook_callback_verification_pending'
  | 'webhook_callback_verification_failed'
  | 'notification_failures_exceeded'
  | 'authorization_revoked'
  | 'moderator_removed'
  | 'user_removed'
  | 'version_removed';

/** One EventSub subscription as the sandbox stores it (the secret never leaves the server). */
export interface EventSubSubscriptionRecord {
  id: string;
  clientId: string;
  status: EventSubStatus;
  type: string;
  version: string;
  condition: Record<string, string>;
  callback: string;
  secret: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  cost: number;
  /** Failed delivery attempts in a row (reset by any 2xx). */
  consecutiveFailures: number;
}

/** Statuses that count towards cost and receive notifications (when enabled). */
const activeStatuses: ReadonlySet<EventSubStatus> = new Set([
  'enabled',
  'webhook_callback_verification_pending',
]);

/**
 * Twitch-style timestamp with nanosecond precision, e.g. `2024-05-01T10:11:12.634000000Z`.
 *
 * @example
 * ```ts
 * twitchTimestamp(0); // '1970-01-01T00:00:00.000000000Z'
 * ```
 */
export function twitchTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000000Z');
}

/**
 * The subscription object as it appears in Helix responses and EventSub payloads.
 *
 * @example
 * ```ts
 * const json = subscriptionJson(record); // { id, status, type, version, condition, transport, created_at, cost }
 * ```
 */
export function subscriptionJson(sub: EventSubSubscriptionRecord): Record<string, unknown> {
  return {
    id: sub.id,
    status: sub.status,
    type: sub.type,
    version: sub.version,
    condition: { ...sub.condition },
    created_at: twitchTimestamp(sub.createdAt),
    transport: { method: 'webhook', callback: sub.callback },
    cost: sub.cost,
  };
}

/**
 * In-memory EventSub subscriptions shared by the API server and the sender.
 *
 * @example
 * ```ts
 * const store = new EventSubStore();
 * const sub = store.add({ clientId: 'cid', type: 'stream.online', version: '1', condition: { broadcaster_user_id: '1' },
 *   callback: 'https://example.com/cb', secret: '0123456789', createdAt: Date.now(), cost: 1 });
 * store.get(sub.id)?.status; // 'webhook_callback_verification_pending'
 * ```
 */
export class EventSubStore {
  private readonly subs = new Map<string, EventSubSubscriptionRecord>();

  /** @example `store.add({ ...fields })` */
  add(
    fields: Omit<EventSubSubscriptionRecord, 'id' | 'status' | 'consecutiveFailures'>,
  ): EventSubSubscriptionRecord {
    const sub: EventSubSubscriptionRecord = {
      ...fields,
      id: randomUUID(),
      status: 'webhook_callback_verification_pending',
      consecutiveFailures: 0,
    };
    this.subs.set(sub.id, sub);
    return sub;
  }

  /** @example `store.get(id)` */
  get(id: string): EventSubSubscriptionRecord | undefined {
    return this.subs.get(id);
  }

  /** @example `store.remove(id)` */
  remove(id: string): boolean {
    return this.subs.delete(id);
  }

  /** All subscriptions, oldest first, optionally of one client. @example `store.list('cid')` */
  list(clientId?: string): EventSubSubscriptionRecord[] {
    const all = [...this.subs.values()];
    return clientId === undefined ? all : all.filter((s) => s.clientId === clientId);
  }

  /** Whether a status counts as active (cost, duplicates). @example `EventSubStore.isActive('enabled')` */
  static isActive(status: EventSubStatus): boolean {
    return activeStatuses.has(status);
  }

  /** Sum of the cost of a client's active subscriptions. @example `store.totalCost('cid')` */
  totalCost(clientId: string): number {
    return this.list(clientId)
      .filter((s) => EventSubStore.isActive(s.status))
      .reduce((sum, s) => sum + s.cost, 0);
  }

  /**
   * An active subscription with the same type, version, condition and callback, if any.
   *
   * @example
   * ```ts
   * store.findDuplicate('cid', 'stream.online', '1', { broadcaster_user_id: '1' }, url);
   * ```
   */
  findDuplicate(
    clientId: string,
    type: string,
    version: string,
    condition: Record<string, string>,
    callback: string,
  ): EventSubSubscriptionRecord | undefined {
    const key = JSON.stringify(Object.entries(condition).sort());
    return this.list(clientId).find(
      (s) =>
        EventSubStore.isActive(s.status) &&
        s.type === type &&
        s.version === version &&
        s.callback === callback &&
        JSON.stringify(Object.entries(s.condition).sort()) === key,
    );
  }

  /**
   * Enabled subscriptions a notification should go to: every condition field that the
   * notification's `match` names must be equal (other fields, e.g. `moderator_user_id`, are ignored).
   *
   * @example
   * ```ts
   * store.matching(streamOnline(user, '1', ts, 'live'));
   * ```
   */
  matching(n: Pick<WorldNotification, 'type' | 'version' | 'match'>): EventSubSubscriptionRecord[] {
    return this.list().filter((s) => {
      if (s.status !== 'enabled' || s.type !== n.type || s.version !== n.version) return false;
      return Object.entries(n.match).every(
        ([key, value]) => !s.condition[key] || s.condition[key] === value,
      );
    });
  }
}
