/**
 * twurple treats a token as expired this long before Twitch does.
 *
 * @example
 * ```ts
 * const usable = expiresIn * 1000 - TWURPLE_EXPIRY_GRACE_MS;
 * ```
 */
export const TWURPLE_EXPIRY_GRACE_MS = 60_000;
/**
 * Never refresh more often than this, whatever the token's lifetime.
 *
 * @example
 * ```ts
 * Math.max(MIN_REFRESH_DELAY_MS, due - Date.now());
 * ```
 */
export const MIN_REFRESH_DELAY_MS = 1000;
/**
 * Twitch asks apps to validate user tokens at startup and every hour.
 *
 * @example
 * ```ts
 * setInterval(validate, VALIDATE_EVERY_MS);
 * ```
 */
export const VALIDATE_EVERY_MS = 3_600_000;

/**
 * How long to wait before refreshing a token proactively: a little before twurple would
 * consider it expired (one minute before Twitch does), so chat and Helix never wait on a
 * refresh. The margin is a tenth of the usable lifetime, at most five minutes.
 *
 * @example
 * ```ts
 * refreshDelayMs({ expiresIn: 14_400, obtainmentTimestamp: Date.now() }); // about 3 h 54 min
 * ```
 */
export function refreshDelayMs(
  token: { expiresIn: number | null; obtainmentTimestamp: number },
  now = Date.now(),
): number | undefined {
  if (token.expiresIn === null) return undefined;
  const usable = Math.max(0, token.expiresIn * 1000 - TWURPLE_EXPIRY_GRACE_MS);
  const margin = Math.min(5 * 60_000, usable * 0.1);
  const at = token.obtainmentTimestamp + usable - margin;
  return Math.max(MIN_REFRESH_DELAY_MS, at - now);
}

/**
 * When the access token stops working, as an ISO date (for `/readyz`).
 *
 * @example
 * ```ts
 * expiresAt({ expiresIn: 60, obtainmentTimestamp: 0 }); // '1970-01-01T00:01:00.000Z'
 * ```
 */
export function expiresAt(token: {
  expiresIn: number | null;
  obtainmentTimestamp: number;
}): string | undefined {
  if (token.expiresIn === null) return undefined;
  return new Date(token.obtainmentTimestamp + token.expiresIn * 1000).toISOString();
}

/**
 * Backoff for retrying a refresh that failed for a transient reason: 2 s, 4 s, ... up to 5 min.
 *
 * @example
 * ```ts
 * retryDelayMs(3); // 16000
 * ```
 */
export function retryDelayMs(attempt: number): number {
  return Math.min(300_000, 2000 * 2 ** Math.max(0, attempt));
}
