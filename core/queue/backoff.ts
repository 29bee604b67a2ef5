import type { RetryPolicy } from './types.js';

/**
 * The default retry policy: 8 attempts, 1 s doubling to at most 5 min, ±20 % jitter.
 *
 * @example
 * ```ts
 * const policy = { ...DEFAULT_RETRY, attempts: 3 };
 * ```
 */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 8,
  baseMs: 1000,
  maxMs: 300_000,
  factor: 2,
  jitter: 0.2,
});

/**
 * The delay before the next attempt after `failures` failed attempts (1 = the first).
 *
 * @example
 * ```ts
 * backoffMs(DEFAULT_RETRY, 1, () => 0.5); // 1000
 * backoffMs(DEFAULT_RETRY, 3, () => 0.5); // 4000
 * ```
 */
export function backoffMs(
  policy: RetryPolicy,
  failures: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.max(0, failures - 1));
  const spread = raw * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(raw + spread));
}
