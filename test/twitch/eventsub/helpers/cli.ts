import { createHmac, randomUUID } from 'node:crypto';

/** A Twitch-style timestamp with nanoseconds, as the Twitch CLI writes it (RFC 3339 nano). */
export function nanoTimestamp(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1123456Z');
}

/** One signed delivery, shaped like `twitch event trigger ... -T webhook -F <url> -s <secret>`. */
export interface CliDelivery {
  headers: Record<string, string>;
  body: string;
  messageId: string;
}

/** Options of {@link cliDelivery}. */
export interface CliOptions {
  secret: string;
  type: string;
  version?: string;
  event?: Record<string, unknown>;
  condition?: Record<string, string>;
  callback?: string;
  messageType?: 'notification' | 'webhook_callback_verification' | 'revocation';
  messageId?: string;
  /** Message time (ms); default now. */
  at?: number;
  challenge?: string;
  status?: string;
  /** Sign with this secret instead (a wrong signature). */
  signWith?: string;
  /** Leave the signature header out. */
  unsigned?: boolean;
  padTo?: number;
}

/**
 * Builds a delivery the way the Twitch CLI signs it: HMAC-SHA256 over id + timestamp + body,
 * `sha256=<hex>`, nanosecond timestamps, a UUID message id and the subscription headers.
 */
export function cliDelivery(o: CliOptions): CliDelivery {
  const messageId = o.messageId ?? randomUUID();
  const timestamp = nanoTimestamp(o.at);
  const messageType = o.messageType ?? 'notification';
  const subscription = {
    id: randomUUID(),
    status:
      o.status ??
      (messageType === 'webhook_callback_verification'
        ? 'webhook_callback_verification_pending'
        : 'enabled'),
    type: o.type,
    version: o.version ?? '1',
    condition: o.condition ?? {},
    transport: {
      method: 'webhook',
      callback: o.callback ?? 'https://bots.example.test/eventsub/event/x',
    },
    created_at: nanoTimestamp(),
    cost: 0,
  };
  const payload: Record<string, unknown> = { subscription };
  if (messageType === 'notification') payload.event = o.event ?? {};
  if (messageType === 'webhook_callback_verification')
    payload.challenge = o.challenge ?? randomUUID();
  if (o.padTo) payload.padding = 'x'.repeat(o.padTo);
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', o.signWith ?? o.secret)
    .update(messageId + timestamp + body)
    .digest('hex')}`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'twitch-cli/1.1.25',
    'Twitch-Eventsub-Message-Id': messageId,
    'Twitch-Eventsub-Message-Retry': '0',
    'Twitch-Eventsub-Message-Type': messageType,
    'Twitch-Eventsub-Message-Timestamp': timestamp,
    'Twitch-Eventsub-Subscription-Type': o.type,
    'Twitch-Eventsub-Subscription-Version': o.version ?? '1',
  };
  if (!o.unsigned) headers['Twitch-Eventsub-Message-Signature'] = signature;
  return { headers, body, messageId };
}

/** POSTs a delivery; returns status, content type and body. */
export async function post(
  url: string,
  d: CliDelivery,
): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
  };
}
