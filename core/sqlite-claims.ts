import { groupWriter } from './sqlite-group-writer.js';
import { sqlitePruner } from './sqlite-pruner.js';

/** Runs one SQL statement on the storage's SQLite connection and returns its rows. */
export type SqliteQuery = (sql: string, ...params: unknown[]) => Promise<unknown>;

/** Options of {@link sqliteClaims}. */
export interface SqliteClaimsOptions {
  /** How often expired claims are deleted (default 30 s); 0 turns the timer off. */
  pruneEveryMs?: number;
  /** Most keys written by one statement (default 500). */
  maxBatch?: number;
  /** The clock (ms since the epoch); tests move it. */
  now?: () => number;
}

/** Claims kept in their own SQLite table, with group commit and pruning. */
export interface SqliteClaims {
  /** Sets `key` if absent or expired; true for the one caller that set it, once committed. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Deletes expired claims now; returns how many. */
  prune(): Promise<number>;
  /** Claims stored right now, expired ones not yet pruned included. */
  count(): Promise<number>;
  /** Stops the prune timer and waits for the batch being written. */
  close(): Promise<void>;
}

/** The table the claims live in, next to keyv's `keyv` table in the same file. */
export const CLAIMS_TABLE = 'streamcogs_claims';
/** Where claims written by keyv before this table existed live: `streamcogs:claim:<key>`. */
const LEGACY_PREFIX = 'streamcogs:claim:';

interface Claim {
  key: string;
  expires: number;
}

/**
 * Claims (`SET NX` semantics) on SQLite, in a table of their own: `key` and `expires`, an
 * index on `expires`. Concurrent claims are written together (group commit): while one
 * statement is being written the next ones queue, then go out as one multi-row
 * `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired RETURNING key`, a single atomic
 * statement whose returned keys are the ones won. A caller's promise settles only after that
 * statement committed, so a `true` is on disk (WAL) before anyone acts on it. Expired claims
 * are deleted every `pruneEveryMs`, so the table holds at most the claims of one TTL.
 * Claims keyv wrote before (`streamcogs:claim:*` rows) are moved in at open.
 *
 * @example
 * ```ts
 * const claims = await sqliteClaims((sql, ...p) => adapter.query(sql, ...p));
 * if (await claims.claim('msg:abc', 660_000)) handleOnce();
 * await claims.close();
 * ```
 */
export async function sqliteClaims(
  query: SqliteQuery,
  options: SqliteClaimsOptions = {},
): Promise<SqliteClaims> {
  const now = options.now ?? Date.now;
  const maxBatch = options.maxBatch ?? 500;
  await query(
    `CREATE TABLE IF NOT EXISTS ${CLAIMS_TABLE}(key TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID`,
  );
  await query(`CREATE INDEX IF NOT EXISTS ${CLAIMS_TABLE}_expires ON ${CLAIMS_TABLE}(expires)`);
  await migrateLegacy(query);

  const claims = groupWriter(async (batch: Claim[]): Promise<boolean[]> => {
    // One key twice in a batch: only its first claimer can win.
    const first = new Map<string, Claim>();
    for (const c of batch) if (!first.has(c.key)) first.set(c.key, c);
    const rows = [...first.values()];
    const values = rows.map(() => '(?, ?)').join(', ');
    const params = rows.flatMap((c) => [c.key, c.expires]);
    const won = (await query(
      `INSERT INTO ${CLAIMS_TABLE}(key, expires) VALUES ${values}
       ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE ${CLAIMS_TABLE}.expires <= ?
       RETURNING key`,
      ...params,
      now(),
    )) as { key: string }[];
    const keys = new Set(won.map((r) => r.key));
    return batch.map((c) => first.get(c.key) === c && keys.has(c.key));
  }, maxBatch);

  const pruner = sqlitePruner(query, {
    table: CLAIMS_TABLE,
    expires: 'expires',
    everyMs: options.pruneEveryMs ?? 30_000,
    now,
  });

  return {
    claim: (key, ttlMs) => claims.push({ key, expires: now() + Math.max(1, ttlMs) }),
    prune: pruner.prune,
    async count() {
      const [row] = (await query(`SELECT count(*) AS n FROM ${CLAIMS_TABLE}`)) as { n: number }[];
      return row?.n ?? 0;
    },
    async close() {
      await claims.drain();
      await pruner.close();
    },
  };
}

/** Moves unexpired claims keyv stored as `streamcogs:claim:<key>` into the claims table. */
async function migrateLegacy(query: SqliteQuery): Promise<void> {
  const hasKeyv = (await query(
    `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keyv'`,
  )) as unknown[];
  if (hasKeyv.length === 0) return;
  const like = `${LEGACY_PREFIX}%`;
  await query(
    `INSERT OR IGNORE INTO ${CLAIMS_TABLE}(key, expires)
     SELECT substr(key, ${LEGACY_PREFIX.length + 1}), json_extract(value, '$.expires') FROM keyv
     WHERE key LIKE ? AND json_extract(value, '$.expires') IS NOT NULL`,
    like,
  );
  await query(`DELETE FROM keyv WHERE key LIKE ?`, like);
}
