import { performance } from 'node:perf_hooks';
import { eventSubHeaders } from './signing.js';
import type { EventSubMessageType } from './signing.js';

/** One HTTP delivery attempt of an EventSub message, as recorded by the sender. */
export interface DeliveryRecord {
  seq: number;
  /** Milliseconds since the epoch (sender clock) when the attempt started. */
  at: number;
  messageId: string;
  messageType: EventSubMessageType;
  subscriptionId: string;
  subscriptionType: string;
  url: string;
  /** 0 for the first attempt, then 1, 2, ... (the `Twitch-Eventsub-Message-Retry` header). */
  retry: number;
  /** HTTP status, or null when the request failed (refused, timed out, aborted). */
  status: number | null;
  ok: boolean;
  latencyMs: number;
  /** Start of the response body (for challenges and error pages). */
  responseBody: string;
  error?: string;
  timestamp: string;
  badSignature: boolean;
}

/** What {@link postEventSubMessage} needs to sign and send one message. */
export interface OutgoingMessage {
  url: string;
  secret: string;
  messageId: string;
  messageType: EventSubMessageType;
  subscriptionId: string;
  subscriptionType: string;
  subscriptionVersion: string;
  body: string;
  timestamp: string;
  retry: number;
  badSignature?: boolean;
}

/**
 * POSTs one signed EventSub message and describes the outcome (never throws).
 *
 * @example
 * ```ts
 * const rec = await postEventSubMessage(msg, { timeoutMs: 5000, signal, at: Date.now(), seq: 1 });
 * rec.status; // 200
 * ```
 */
export async function postEventSubMessage(
  msg: OutgoingMessage,
  opts: { timeoutMs: number; signal: AbortSignal; at: number; seq: number },
): Promise<DeliveryRecord> {
  const headers = eventSubHeaders({ ...msg, retry: msg.retry });
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(opts.signal.reason);
  opts.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new Error('delivery timed out')), opts.timeoutMs);
  const started = performance.now();
  const base = {
    seq: opts.seq,
    at: opts.at,
    messageId: msg.messageId,
    messageType: msg.messageType,
    subscriptionId: msg.subscriptionId,
    subscriptionType: msg.subscriptionType,
    url: msg.url,
    retry: msg.retry,
    timestamp: msg.timestamp,
    badSignature: msg.badSignature ?? false,
  };
  try {
    const res = await fetch(msg.url, {
      method: 'POST',
      headers,
      body: msg.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const text = await res.text();
    return {
      ...base,
      status: res.status,
      ok: res.status >= 200 && res.status < 300,
      latencyMs: performance.now() - started,
      responseBody: text.slice(0, 500),
    };
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return {
      ...base,
      status: null,
      ok: false,
      latencyMs: performance.now() - started,
      responseBody: '',
      error: cause ?? (e instanceof Error ? e.message : String(e)),
    };
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
  }
}
