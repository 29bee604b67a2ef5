import type { SqliteQuery } from './sqlite-claims.js';

/** Rows deleted by one statement: a large backlog never holds the write lock for long. */
const PRUNE_CHUNK = 5000;

/** Options of {@link sqlitePruner}. */
export interface SqlitePrunerOptions {
  /** The table (a trusted identifier); its rows are keyed by a `key` column. */
  table: string;
  /** The SQL expression of a row's expiry in ms since the epoch, e.g. `expires`. */
  expires: string;
  /** How often expired rows are deleted; 0 turns the timer off (call `prune` yourself). */
  everyMs: number;
  /** The clock (ms since the epoch). */
  now: () => number;
}

/** Deletes a table's expired rows, now or on a timer. */
export interface SqlitePruner {
  /** Deletes every expired row now, in chunks; returns how many. */
  prune(): Promise<number>;
  /** Stops the timer and waits for a prune under way. */
  close(): Promise<void>;
}

/**
 * Deletes the rows of `table` whose `expires` expression has passed, in chunks of 5,000 (one
 * statement each, through the index on that expression), every `everyMs`. A failed timed
 * prune is tried again at the next tick; a prune called directly rejects.
 *
 * @example
 * ```ts
 * const pruner = sqlitePruner(query, { table: 'my_claims', expires: 'expires', everyMs: 30_000, now: Date.now });
 * await pruner.prune(); // -> rows deleted
 * await pruner.close();
 * ```
 */
export function sqlitePruner(query: SqliteQuery, options: SqlitePrunerOptions): SqlitePruner {
  const { table, expires, now } = options;
  const prune = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const gone = (await query(
        `DELETE FROM ${table} WHERE key IN
           (SELECT key FROM ${table} WHERE ${expires} <= ? LIMIT ${PRUNE_CHUNK}) RETURNING 1`,
        now(),
      )) as unknown[];
      total += gone.length;
      if (gone.length < PRUNE_CHUNK) return total;
    }
  };
  let pruning: Promise<unknown> = Promise.resolve();
  const timer =
    options.everyMs > 0
      ? setInterval(() => {
          pruning = prune().catch(() => 0);
        }, options.everyMs)
      : undefined;
  timer?.unref();
  return {
    prune,
    async close() {
      if (timer) clearInterval(timer);
      await pruning;
    },
  };
}
