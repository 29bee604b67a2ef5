/**
 * Polls `check` until it returns a value other than `undefined`/`false`, or fails after
 * `timeoutMs` with `what` in the message.
 *
 * @example
 * ```ts
 * const reply = await waitUntil(() => bot.botMessages('alice').at(-1), 'a reply');
 * ```
 */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
