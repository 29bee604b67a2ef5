import type { IncomingHttpHeaders } from 'node:http';

/** The EventSub headers of the delivery being handled. */
export interface DeliveryContext {
  messageId: string;
  messageType: string;
  /** `Twitch-Eventsub-Message-Timestamp`, as sent. */
  timestamp: string;
  subscriptionType: string;
  subscriptionVersion: string;
  /** `Twitch-Eventsub-Message-Retry` (0 when absent). */
  retry: number;
  /** When we received it (ms since the epoch). */
  receivedAt: number;
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/**
 * Reads the `Twitch-Eventsub-*` headers of a request.
 *
 * @example
 * ```ts
 * const d = readDeliveryContext(ctx.req.headers);
 * if (!d.messageId) ctx.throw(403, 'missing Twitch-Eventsub-Message-Id');
 * ```
 */
export function readDeliveryContext(headers: IncomingHttpHeaders): DeliveryContext {
  const retry = Number(header(headers, 'twitch-eventsub-message-retry'));
  return {
    messageId: header(headers, 'twitch-eventsub-message-id'),
    messageType: header(headers, 'twitch-eventsub-message-type'),
    timestamp: header(headers, 'twitch-eventsub-message-timestamp'),
    subscriptionType: header(headers, 'twitch-eventsub-subscription-type'),
    subscriptionVersion: header(headers, 'twitch-eventsub-subscription-version'),
    retry: Number.isFinite(retry) ? retry : 0,
    receivedAt: Date.now(),
  };
}
