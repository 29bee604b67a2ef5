import { AsyncLocalStorage } from 'node:async_hooks';
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

/**
 * Holds the current delivery's headers while twurple's request handler runs, so the code
 * twurple calls back (which only sees the event) knows the message id and timestamp.
 *
 * @example
 * ```ts
 * deliveryContext.run(readDeliveryContext(req.headers), () => twurpleHandler(req, res, next));
 * // ...later, inside a callback twurple made:
 * deliveryContext.getStore()?.messageId;
 * ```
 */
export const deliveryContext = new AsyncLocalStorage<DeliveryContext>();

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
