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
 * A `stream.online` notification for `broadcasterId` (login `options.login`, default alice),
 * signed with `secret` the way Twitch signs it (the sandbox's own signer), addressed to the
 * route twurple gives that condition.
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
  options: { padTo?: number; login?: string } = {},
): SignedDelivery {
  const login = options.login ?? 'alice';
  return signedDelivery(
    secret,
    'stream.online',
    broadcasterId,
    {
      id: eventId,
      broadcaster_user_id: broadcasterId,
      broadcaster_user_login: login,
      broadcaster_user_name: options.login ?? 'Alice',
      type: 'live',
    },
    options.padTo,
  );
}

/**
 * A `stream.offline` notification for `broadcasterId`, signed like {@link streamOnlineDelivery}.
 *
 * @example
 * ```ts
 * const d = streamOfflineDelivery(secret, bobId, 'bob');
 * ```
 */
export function streamOfflineDelivery(
  secret: string,
  broadcasterId: string,
  login: string,
): SignedDelivery {
  return signedDelivery(secret, 'stream.offline', broadcasterId, {
    broadcaster_user_id: broadcasterId,
    broadcaster_user_login: login,
    broadcaster_user_name: login,
  });
}

function signedDelivery(
  secret: string,
  type: 'stream.online' | 'stream.offline',
  broadcasterId: string,
  event: Record<string, unknown>,
  padTo?: number,
): SignedDelivery {
  const messageId = randomUUID();
  const timestamp = new Date().toISOString();
  const route = `${type}.${broadcasterId}`;
  const payload: Record<string, unknown> = {
    subscription: {
      id: randomUUID(),
      status: 'enabled',
      type,
      version: '1',
      condition: { broadcaster_user_id: broadcasterId },
      transport: {
        method: 'webhook',
        callback: `https://localhost/eventsub/event/${route}`,
      },
      created_at: timestamp,
      cost: 0,
    },
    event: type === 'stream.online' ? { ...event, started_at: timestamp } : event,
  };
  if (padTo) payload.padding = 'x'.repeat(padTo);
  const body = JSON.stringify(payload);
  const headers = eventSubHeaders({
    secret,
    messageId,
    timestamp,
    body,
    messageType: 'notification',
    subscriptionType: type,
    subscriptionVersion: '1',
    retry: 0,
  });
  return {
    messageId,
    path: `/eventsub/event/${route}`,
    headers,
    body,
    eventId: typeof event.id === 'string' ? event.id : messageId,
  };
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
