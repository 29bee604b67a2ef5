import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Twitch's replay window: older messages are ignored.
 *
 * @example
 * ```ts
 * timestampVerdict(ts, Date.now(), TEN_MINUTES);
 * ```
 */
export const TEN_MINUTES = 10 * 60 * 1000;

/**
 * Checks `Twitch-Eventsub-Message-Signature` (`sha256=` + hex HMAC-SHA256 of
 * `messageId + timestamp + rawBody`) in constant time.
 *
 * @example
 * ```ts
 * verifySignature(secret, id, ts, body, req.headers['twitch-eventsub-message-signature']); // true
 * ```
 */
export function verifySignature(
  secret: string,
  messageId: string,
  timestamp: string,
  body: Buffer,
  signature: string | undefined,
): boolean {
  if (!signature?.startsWith('sha256=') || !messageId || !timestamp) return false;
  const given = Buffer.from(signature.slice(7), 'hex');
  const expected = createHmac('sha256', secret)
    .update(messageId)
    .update(timestamp)
    .update(body)
    .digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Where a message timestamp falls relative to the accepted window. */
export type TimestampVerdict = 'ok' | 'stale' | 'future' | 'invalid';

/**
 * Classifies a `Twitch-Eventsub-Message-Timestamp`: older than `windowMs` is `stale`
 * (Twitch's rule: ignore), more than `futureSkewMs` ahead of our clock is `future` (refuse).
 *
 * @example
 * ```ts
 * timestampVerdict('2024-01-01T00:00:00.123456789Z', Date.now()); // 'stale'
 * ```
 */
export function timestampVerdict(
  timestamp: string,
  now: number,
  windowMs = TEN_MINUTES,
  futureSkewMs = 60_000,
): TimestampVerdict {
  const at = Date.parse(timestamp);
  if (!Number.isFinite(at)) return 'invalid';
  if (at < now - windowMs) return 'stale';
  if (at > now + futureSkewMs) return 'future';
  return 'ok';
}

/**
 * Thrown by {@link readBodyLimited} when the body is over the limit.
 *
 * @example
 * ```ts
 * if (err instanceof BodyTooLargeError) ctx.status = 413;
 * ```
 */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body, refusing one over `limit` bytes: at once when `Content-Length` says
 * so (nothing is read or hashed), else as soon as the bytes received pass the limit.
 *
 * @example
 * ```ts
 * const body = await readBodyLimited(ctx.req, 64 * 1024); // throws BodyTooLargeError
 * ```
 */
export async function readBodyLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      req.resume(); // discard the rest; the 413 closes the connection
      reject(new BodyTooLargeError(limit));
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
