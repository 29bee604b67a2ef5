/**
 * Runs work one at a time per key, in this process: the next run for a key starts once the
 * previous one settled (whether it failed or not).
 *
 * @example
 * ```ts
 * const serial = keyedSerial();
 * await serial('member:42', () => applyRoles('42'));
 * ```
 */
export function keyedSerial(): <T>(key: string | number, work: () => Promise<T>) => Promise<T> {
  const running = new Map<string | number, Promise<unknown>>();
  return async (key, work) => {
    const next = (running.get(key) ?? Promise.resolve()).catch(() => {}).then(work);
    running.set(key, next);
    try {
      return await next;
    } finally {
      if (running.get(key) === next) running.delete(key);
    }
  };
}
