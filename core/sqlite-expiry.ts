import type { SqliteQuery } from './sqlite-claims.js';
import { sqlitePruner } from './sqlite-pruner.js';

/** Options of {@link sqliteExpiry}. */
export interface SqliteExpiryOptions {
  /** How often expired rows are deleted (default 60 s); 0 turns the timer off. */
  pruneEveryMs?: number;
  /** The clock (ms since the epoch); tests move it. */
  now?: () => number;
}

/** Deletes keyv rows whose TTL has passed, on a timer. */
export interface SqliteExpiry {
  /** Deletes the expired rows now; returns how many. */
  prune(): Promise<number>;
  /** Stops the timer and waits for a prune in progress. */
  close(): Promise<void>;
}

/**
 * keyv on SQLite forgets an expired value only when it is read again: a key written with a
 * TTL and never read (a dedupe id, a finished queue job) stays in the file forever. Redis
 * expires keys by itself; this gives SQLite the same bound. keyv stores the expiry inside the
 * JSON value (`{"value":...,"expires":<ms>}`), so an index on that expression lets each prune
 * find the expired rows without reading the table; rows without a TTL are never touched.
 * Deletes go in chunks, so a large backlog never holds the write lock for long.
 *
 * @example
 * ```ts
 * const expiry = await sqliteExpiry((sql, ...p) => adapter.query(sql, ...p));
 * await expiry.prune();
 * await expiry.close();
 * ```
 */
export async function sqliteExpiry(
  query: SqliteQuery,
  options: SqliteExpiryOptions = {},
): Promise<SqliteExpiry> {
  const now = options.now ?? Date.now;
  await query(`CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)`);
  await query(`CREATE INDEX IF NOT EXISTS keyv_expires ON keyv(json_extract(value, '$.expires'))`);
  return sqlitePruner(query, {
    table: 'keyv',
    expires: "json_extract(value, '$.expires')",
    everyMs: options.pruneEveryMs ?? 60_000,
    now,
  });
}
