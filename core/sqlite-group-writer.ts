interface Pending<I, R> {
  item: I;
  at: number;
  resolve(r: R): void;
  reject(e: unknown): void;
}

/** A queue of items written in groups by {@link groupWriter}. */
export interface GroupWriter<I, R> {
  /** Queues `item`; resolves with its result once the statement that wrote it committed. */
  push(item: I): Promise<R>;
  /** Whether a batch is being written or waits. */
  busy(): boolean;
  /** Writes what waits, if it may go now. */
  pump(): void;
  /** Resolves once nothing waits and nothing is being written. */
  drain(): Promise<void>;
}

/**
 * Group commit for one kind of statement: while one batch is written the next items queue,
 * then go out together (at most `maxBatch` per statement). `write` returns one result per
 * item, in order; if it throws, every item of that batch rejects. With `yieldTo`, a batch
 * waits while that writer is busy, for at most `lingerMs` after its first item.
 *
 * @example
 * ```ts
 * const inserts = groupWriter(async (keys: string[]) => {
 *   const won = (await query(`INSERT OR IGNORE INTO t(key) VALUES ${keys.map(() => '(?)').join(', ')} RETURNING key`, ...keys)) as { key: string }[];
 *   return keys.map((k) => won.some((r) => r.key === k));
 * }, 500);
 * const first = await inserts.push('msg:1'); // true once committed
 * await inserts.drain();
 * ```
 */
export function groupWriter<I, R>(
  write: (items: I[]) => Promise<R[]>,
  maxBatch: number,
  yieldTo?: { busy(): boolean; lingerMs: number },
): GroupWriter<I, R> {
  let queue: Pending<I, R>[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const pump = (): void => {
    if (writing || queue.length === 0) return;
    if (yieldTo?.busy()) {
      const wait = (queue[0] as Pending<I, R>).at + yieldTo.lingerMs - Date.now();
      if (wait > 0) {
        timer ??= setTimeout(() => ((timer = undefined), pump()), wait);
        return;
      }
    }
    clearTimeout(timer);
    timer = undefined;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    writing = write(batch.map((p) => p.item))
      .then(
        (results) => batch.forEach((p, i) => p.resolve(results[i] as R)),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => {
        writing = undefined;
        pump();
      });
  };
  return {
    push: (item) =>
      new Promise<R>((resolve, reject) => {
        queue.push({ item, at: Date.now(), resolve, reject });
        pump();
      }),
    busy: () => writing !== undefined || queue.length > 0,
    pump,
    async drain() {
      while (writing || queue.length > 0) {
        clearTimeout(timer);
        timer = undefined;
        if (!writing) pump();
        await writing;
      }
    },
  };
}
