import { randomUUID } from 'node:crypto';
import { eventSubHeaders } from '../../../src/sandbox/twitch/eventsub/signing.js';

/** One signed EventSub webhook request, ready to send (and to send again, as a Twitch retry). */
export interface SignedDelivery {
  messageId: string;
  /** The callback path: `/eventsub/event/<twurple route id>`. */
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The event's `id` (the stream id of a `stream.online`). */
  eventId: string;
}

/**
 * A `stream.online` notification for `broadcasterId`, signed with `secret` the way Twitch
 * signs it (the sandbox's own signer), addressed to the route twurple gives that condition.
 *
 * @example
 * ```ts
 * const d = streamOnlineDelivery(harness.eventsub.secret, aliceId, 's-1');
 * await httpsRequest(nginx, { method: 'POST', path: d.path, headers: d.headers, body: d.body });
 * ```
 */
export function streamOnlineDelivery(
  secret: string,
  broadcasterId: string,
  eventId: string,
  options: { padTo?: number } = {},
): SignedDelivery {
  const messageId = randomUUID();
  const timestamp = new Date().toISOString();
  const route = `stream.online.${broadcasterId}`;
  const payload: Record<string, unknown> = {
    subscription: {
      id: randomUUID(),
      status: 'enabled',
      type: 'stream.online',
      version: '1',
      condition: { broadcaster_user_id: broadcasterId },
      transport: {
        method: 'webhook',
        callback: `https://localhost/eventsub/event/${route}`,
      },
      created_at: timestamp,
      cost: 0,
    },
    event: {
      id: eventId,
      broadcaster_user_id: broadcasterId,
      broadcaster_user_login: 'alice',
      broadcaster_user_name: 'Alice',
      type: 'live',
      started_at: timestamp,
    },
  };
  if (options.padTo) payload.padding = 'x'.repeat(options.padTo);
  const body = JSON.stringify(payload);
  const headers = eventSubHeaders({
    secret,
    messageId,
    timestamp,
    body,
    messageType: 'notification',
    subscriptionType: 'stream.online',
    subscriptionVersion: '1',
    retry: 0,
  });
  return { messageId, path: `/eventsub/event/${route}`, headers, body, eventId };
}

/**
 * The same delivery as Twitch retries it: same id, timestamp, body and signature, the
 * `Twitch-Eventsub-Message-Retry` header counted up.
 *
 * @example
 * ```ts
 * const again = retried(d, 1);
 * ```
 */
export function retried(d: SignedDelivery, retry: number): SignedDelivery {
  return { ...d, headers: { ...d.headers, 'Twitch-Eventsub-Message-Retry': String(retry) } };
}
