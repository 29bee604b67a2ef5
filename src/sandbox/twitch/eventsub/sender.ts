import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import type { TwitchWorld } from '../world.js';
import type { WorldNotification } from './event-payloads.js';
import { postEventSubMessage } from './delivery.js';
import { PendingWork } from './pending-work.js';
import type { DeliveryRecord, OutgoingMessage } from './delivery.js';
import type { EventSubMessageType } from './signing.js';
import { EventSubStore, subscriptionJson, twitchTimestamp } from './subscription-store.js';
import type { EventSubStatus, EventSubSubscriptionRecord } from './subscription-store.js';
import { authorizingUser, findEventSubType } from './subscription-types.js';
import type {
  EventSubSenderEvents,
  EventSubSenderOptions,
  RawSendOptions,
} from './sender-types.js';

export type {
  EventSubSenderEvents,
  EventSubSenderOptions,
  RawSendOptions,
} from './sender-types.js';

interface StoredMessage {
  messageId: string;
  messageType: EventSubMessageType;
  subscriptionId: string;
  body: string;
  sends: number;
}

/**
 * Delivers signed EventSub webhooks: verification challenges, notifications for world events
 * (with exponential-backoff retries and revocation after repeated failures) and revocations.
 *
 * @example
 * ```ts
 * const sender = new EventSubSender({ world, callbackRewrite: (u) => u.replace('https://', 'http://') });
 * world.goLive('streamer'); // delivered to enabled stream.online subscriptions
 * await sender.idle();
 * await sender.close();
 * ```
 */
export class EventSubSender extends EventEmitter<EventSubSenderEvents> {
  /** Recent delivery attempts, oldest first. */
  readonly deliveries: DeliveryRecord[] = [];
  private readonly world: TwitchWorld;
  private readonly now: () => number;
  private readonly rewrite: (url: string) => string;
  private readonly opts: Required<
    Pick<
      EventSubSenderOptions,
      'maxAttempts' | 'retryBaseMs' | 'revokeAfterFailures' | 'timeoutMs' | 'maxRecords'
    >
  >;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly work = new PendingWork();
  private readonly abort = new AbortController();
  private seq = 0;

  constructor(options: EventSubSenderOptions) {
    super();
    this.world = options.world;
    this.now = options.now ?? options.world.now;
    this.rewrite = options.callbackRewrite ?? ((u) => u);
    this.opts = {
      maxAttempts: options.maxAttempts ?? 5,
      retryBaseMs: options.retryBaseMs ?? 1000,
      revokeAfterFailures: options.revokeAfterFailures ?? 10,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRecords: options.maxRecords ?? 1000,
    };
    this.world.on('notification', this.onNotification);
    this.world.on('grants-revoked', this.onGrantsRevoked);
  }

  /** Sends the verification challenge soon (after the 202 went out). @example `sender.verifySoon(sub)` */
  verifySoon(sub: EventSubSubscriptionRecord): void {
    this.work.later(0, () => this.verify(sub.id));
  }

  /**
   * Sends the `webhook_callback_verification` challenge; the subscription becomes `enabled` when
   * the callback echoes it with a 2xx, else `webhook_callback_verification_failed`.
   *
   * @example
   * ```ts
   * const ok = await sender.verify(sub.id);
   * ```
   */
  async verify(subscriptionId: string): Promise<boolean> {
    const sub = this.world.eventSub.get(subscriptionId);
    if (!sub || sub.status !== 'webhook_callback_verification_pending') return false;
    const challenge = randomBytes(24).toString('base64url');
    const body = JSON.stringify({ challenge, subscription: subscriptionJson(sub) });
    const rec = await this.send(sub, this.store('webhook_callback_verification', sub.id, body));
    const ok = rec.ok && rec.responseBody === challenge;
    if (sub.status === 'webhook_callback_verification_pending') {
      this.setStatus(sub, ok ? 'enabled' : 'webhook_callback_verification_failed');
    }
    return ok;
  }

  /**
   * Re-sends a stored message with the same message id (a duplicate, as Twitch may send).
   *
   * @example
   * ```ts
   * const again = await sender.redeliver(sender.deliveries[0].messageId);
   * ```
   */
  async redeliver(messageId: string): Promise<DeliveryRecord> {
    const msg = this.messages.get(messageId);
    const sub = msg && this.world.eventSub.get(msg.subscriptionId);
    if (!msg || !sub) throw new Error(`unknown message ${messageId}`);
    return await this.send(sub, msg);
  }

  /**
   * Sends a hand-made notification once to every enabled subscription of `type` (or to
   * `subscriptionId`), optionally stale, from the future or badly signed. No retries.
   *
   * @example
   * ```ts
   * const [rec] = await sender.sendRaw({ type: 'stream.online', event, badSignature: true });
   * rec.status; // 410 from twurple
   * ```
   */
  async sendRaw(raw: RawSendOptions): Promise<DeliveryRecord[]> {
    const subs = raw.subscriptionId
      ? [this.world.eventSub.get(raw.subscriptionId)].filter((s) => s !== undefined)
      : this.world.eventSub.list().filter((s) => s.type === raw.type && s.status === 'enabled');
    const shift = (raw.futureBy ?? 0) - (raw.staleBy ?? 0);
    return await Promise.all(
      subs.map(async (sub) => {
        const body = JSON.stringify({ subscription: subscriptionJson(sub), event: raw.event });
        const msg = this.store(raw.messageType ?? 'notification', sub.id, body, raw.messageId);
        return await this.send(sub, msg, { shift, badSignature: raw.badSignature });
      }),
    );
  }

  /**
   * Revokes a subscription: sets its status to `reason` and sends a `revocation` message.
   *
   * @example
   * ```ts
   * await sender.revoke(sub.id, 'authorization_revoked');
   * ```
   */
  async revoke(
    subscriptionId: string,
    reason: EventSubStatus,
  ): Promise<DeliveryRecord | undefined> {
    const sub = this.world.eventSub.get(subscriptionId);
    if (!sub || !EventSubStore.isActive(sub.status)) return undefined;
    this.setStatus(sub, reason);
    const body = JSON.stringify({ subscription: subscriptionJson(sub) });
    return await this.send(sub, this.store('revocation', sub.id, body));
  }

  /** Resolves once no delivery is in flight or scheduled. @example `await sender.idle()` */
  async idle(): Promise<void> {
    await this.work.idle();
  }

  /** Stops listening, cancels retries and in-flight requests. @example `await sender.close()` */
  async close(): Promise<void> {
    this.world.off('notification', this.onNotification);
    this.world.off('grants-revoked', this.onGrantsRevoked);
    this.work.close();
    this.abort.abort(new Error('sender closed'));
    await this.idle();
  }

  private readonly onNotification = (n: WorldNotification): void => {
    for (const sub of this.world.eventSub.matching(n)) {
      const body = JSON.stringify({ subscription: subscriptionJson(sub), event: n.event });
      const msg = this.store('notification', sub.id, body);
      void this.work.track(() => this.attempt(msg));
    }
  };

  private readonly onGrantsRevoked = ({
    userId,
    clientIds,
  }: {
    userId: string;
    clientIds: string[];
  }): void => {
    for (const sub of this.world.eventSub.list()) {
      const spec = findEventSubType(sub.type, sub.version);
      if (!spec || spec.scopes.length === 0 || !clientIds.includes(sub.clientId)) continue;
      if (authorizingUser(spec, sub.condition) === userId) {
        void this.work.track(() => this.revoke(sub.id, 'authorization_revoked'));
      }
    }
  };

  private async attempt(msg: StoredMessage): Promise<void> {
    const sub = this.world.eventSub.get(msg.subscriptionId);
    if (!sub || sub.status !== 'enabled' || this.work.isClosed) return;
    const rec = await this.send(sub, msg);
    if (rec.ok) {
      sub.consecutiveFailures = 0;
      return;
    }
    sub.consecutiveFailures += 1;
    if (sub.consecutiveFailures >= this.opts.revokeAfterFailures) {
      await this.revoke(sub.id, 'notification_failures_exceeded');
    } else if (msg.sends < this.opts.maxAttempts) {
      this.work.later(this.opts.retryBaseMs * 2 ** (msg.sends - 1), () => this.attempt(msg));
    }
  }

  private store(
    type: EventSubMessageType,
    subscriptionId: string,
    body: string,
    id?: string,
  ): StoredMessage {
    const msg: StoredMessage = {
      messageId: id ?? randomUUID(),
      messageType: type,
      subscriptionId,
      body,
      sends: 0,
    };
    this.messages.set(msg.messageId, msg);
    if (this.messages.size > this.opts.maxRecords) {
      this.messages.delete(this.messages.keys().next().value as string);
    }
    return msg;
  }

  private async send(
    sub: EventSubSubscriptionRecord,
    msg: StoredMessage,
    extra: { shift?: number; badSignature?: boolean | undefined } = {},
  ): Promise<DeliveryRecord> {
    return await this.work.track(async () => {
      const at = this.now();
      const out: OutgoingMessage = {
        url: this.rewrite(sub.callback),
        secret: sub.secret,
        messageId: msg.messageId,
        messageType: msg.messageType,
        subscriptionId: sub.id,
        subscriptionType: sub.type,
        subscriptionVersion: sub.version,
        body: msg.body,
        timestamp: twitchTimestamp(at + (extra.shift ?? 0)),
        retry: msg.sends,
        badSignature: extra.badSignature ?? false,
      };
      msg.sends += 1;
      const signal = this.abort.signal;
      const rec = await postEventSubMessage(out, {
        timeoutMs: this.opts.timeoutMs,
        signal,
        at,
        seq: ++this.seq,
      });
      this.deliveries.push(rec);
      if (this.deliveries.length > this.opts.maxRecords) this.deliveries.shift();
      this.emit('delivery', rec);
      return rec;
    });
  }

  private setStatus(sub: EventSubSubscriptionRecord, status: EventSubStatus): void {
    sub.status = status;
    this.emit('status', { subscriptionId: sub.id, status });
  }
}
