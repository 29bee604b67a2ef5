/**
 * Polls `check` until it returns a truthy value, or rejects after `timeoutMs`.
 * For tests: waits for a condition instead of sleeping a fixed time.
 *
 * @example
 * ```ts
 * const record = await waitFor(() => chat.received.find((r) => r.command === 'JOIN'), { what: 'a JOIN' });
 * ```
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const { timeoutMs = 5000, intervalMs = 5, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() >= deadline)
      throw new Error(`waitFor: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
