import { createHmac } from 'node:crypto';

/** EventSub webhook message types. */
export type EventSubMessageType = 'notification' | 'webhook_callback_verification' | 'revocation';

/**
 * `sha256=` + hex HMAC-SHA256(secret, messageId + timestamp + body), as Twitch signs webhooks.
 *
 * @example
 * ```ts
 * signEventSub('0123456789', 'msg-1', '2024-01-01T00:00:00.000000000Z', '{}');
 * ```
 */
export function signEventSub(
  secret: string,
  messageId: string,
  timestamp: string,
  body: string,
): string {
  return `sha256=${createHmac('sha256', secret)
    .update(messageId + timestamp + body)
    .digest('hex')}`;
}

/**
 * The full header set of one EventSub webhook delivery.
 *
 * @example
 * ```ts
 * const headers = eventSubHeaders({ secret, messageId, timestamp, body, messageType: 'notification',
 *   subscriptionType: 'stream.online', subscriptionVersion: '1', retry: 0 });
 * ```
 */
export function eventSubHeaders(msg: {
  secret: string;
  messageId: string;
  timestamp: string;
  body: string;
  messageType: EventSubMessageType;
  subscriptionType: string;
  subscriptionVersion: string;
  retry: number;
  badSignature?: boolean;
}): Record<string, string> {
  let signature = signEventSub(msg.secret, msg.messageId, msg.timestamp, msg.body);
  if (msg.badSignature) {
    const last = signature.at(-1) === '0' ? '1' : '0';
    signature = signature.slice(0, -1) + last;
  }
  return {
    'Content-Type': 'application/json',
    'Twitch-Eventsub-Message-Id': msg.messageId,
    'Twitch-Eventsub-Message-Retry': String(msg.retry),
    'Twitch-Eventsub-Message-Type': msg.messageType,
    'Twitch-Eventsub-Message-Signature': signature,
    'Twitch-Eventsub-Message-Timestamp': msg.timestamp,
    'Twitch-Eventsub-Subscription-Type': msg.subscriptionType,
    'Twitch-Eventsub-Subscription-Version': msg.subscriptionVersion,
  };
}
