import type { SqliteQuery } from './sqlite-claims.js';
import { groupWriter, type GroupWriter } from './sqlite-group-writer.js';
import { sqlitePruner } from './sqlite-pruner.js';

/**
 * One row offered to {@link SqliteInboxTable.insert}: a job (`body` and `due`) or a dedupe
 * marker (neither). Times are ms since the epoch.
 *
 * @example
 * ```ts
 * const row: InboxInsert = { key: 'msg:abc', body: '{"type":"stream.online"}',
 *   due: now + 60_000, keepUntil: now + 660_000, expires: now + 3_600_000 };
 * ```
 */
export interface InboxInsert {
  /** The dedupe key: a second insert of it loses until the row expired. */
  key: string;
  /** The job (JSON); absent for a marker, which is final from the start. */
  body?: string;
  /** A job's lease end: until then nobody else takes it (the inserter runs it). */
  due?: number;
  /** Until when the key stays deduplicated once the job is final. */
  keepUntil: number;
  /** When the row goes whatever its state: a job nobody ran by then is dropped. */
  expires: number;
}

/**
 * A change of a job's row, made only if the row is still at `run` (nobody took it since):
 * `done` (final, its body dropped, kept until `keepUntil`), `retry` (free again at `due`),
 * `lease` (run again by the caller: `run` + 1, held until `due`).
 *
 * @example
 * ```ts
 * await table.change({ key: 'msg:abc', run: 1, to: 'done' });
 * ```
 */
export interface InboxChange {
  key: string;
  run: number;
  to: 'done' | 'retry' | 'lease';
  /** `retry`: free again at; `lease`: held until. */
  due?: number;
}

/**
 * A job taken by {@link SqliteInboxTable.take}: held by the caller until its `due`.
 *
 * @example
 * ```ts
 * for (const job of await table.take(10, Date.now() + 60_000)) run(job.key, JSON.parse(job.body));
 * ```
 */
export interface InboxTaken {
  key: string;
  body: string;
  run: number;
}

/** Options of {@link sqliteInboxTable}. */
export interface SqliteInboxOptions {
  /** The table's name (letters, digits, `_`); one table per inbox. */
  table: string;
  /** How often expired rows are deleted (default 30 s); 0 turns the timer off. */
  pruneEveryMs?: number;
  /** Most rows written by one statement (default 500). */
  maxBatch?: number;
  /** The clock (ms since the epoch); tests move it. */
  now?: () => number;
}

/** A durable inbox of jobs in a SQLite table of its own, written by group commit. */
export interface SqliteInboxTable {
  /** Inserts rows unless their key is known; per row, whether it was inserted, once committed. */
  insert(rows: InboxInsert[]): Promise<boolean[]>;
  /** Applies a change if the row is still at its `run`; the new run (or undefined), once committed. */
  change(c: InboxChange): Promise<number | undefined>;
  /** Takes up to `limit` jobs nobody holds (lease lapsed, retry due), holding them until `until`. */
  take(limit: number, until: number): Promise<InboxTaken[]>;
  /** Deletes expired rows now; returns how many. */
  prune(): Promise<number>;
  /** Rows stored right now (markers, jobs, expired ones not yet pruned). */
  count(): Promise<number>;
  /** Stops the prune timer and waits for the statements being written. */
  close(): Promise<void>;
}

/**
 * A durable inbox on SQLite: one row per job, keyed by its dedupe key, in a table of its own
 * (`key`, `body`, `state`, `run`, `due`, `keep_until`, `expires`; indexes on `expires` and on
 * `due` for unfinished rows). Accepting a job is one row of a group-committed multi-row
 * `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired RETURNING key`: one statement, one
 * commit for all the jobs offered meanwhile, and each caller resolves after it committed, so
 * a `true` is on disk (WAL) before anyone acts on it, and the key is deduplicated by the same
 * statement. The inserter holds the job until `due` (its lease) and runs it; a change (`done`,
 * `retry`, a new `lease`) is one row of a group-committed `UPDATE ... FROM (VALUES ...)` that
 * applies only while the row is still at the caller's `run`, so a job taken over by someone
 * else is never finished twice. {@link SqliteInboxTable.take} takes jobs whose lease lapsed
 * (their process died) or whose retry is due. Expired rows are deleted every `pruneEveryMs`.
 *
 * @example
 * ```ts
 * const table = await sqliteInboxTable((sql, ...p) => adapter.query(sql, ...p), { table: 'my_inbox' });
 * const [won] = await table.insert([{ key: 'msg:1', body: '{}', due: now + 60_000, keepUntil: now + 660_000, expires: now + 3_600_000 }]);
 * if (won) await table.change({ key: 'msg:1', run: 1, to: 'done' });
 * await table.close();
 * ```
 */
export async function sqliteInboxTable(
  query: SqliteQuery,
  options: SqliteInboxOptions,
): Promise<SqliteInboxTable> {
  const t = options.table;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) throw new Error(`bad inbox table name "${t}"`);
  const now = options.now ?? Date.now;
  const maxBatch = options.maxBatch ?? 500;
  await query(
    `CREATE TABLE IF NOT EXISTS ${t}(key TEXT PRIMARY KEY, body TEXT, state TEXT NOT NULL,
       run INTEGER NOT NULL, due INTEGER, keep_until INTEGER NOT NULL, expires INTEGER NOT NULL)`,
  );
  await query(`CREATE INDEX IF NOT EXISTS ${t}_expires ON ${t}(expires)`);
  await query(`CREATE INDEX IF NOT EXISTS ${t}_due ON ${t}(due) WHERE due IS NOT NULL`);

  // One item is the rows of one insert call: never split across statements (all or none).
  const inserts: GroupWriter<InboxInsert[], boolean[]> = groupWriter<InboxInsert[], boolean[]>(
    async (groups) => {
      // One key twice in a batch: only its first row can be inserted.
      const first = new Map<string, InboxInsert>();
      for (const g of groups) for (const r of g) if (!first.has(r.key)) first.set(r.key, r);
      const unique = [...first.values()];
      const at = now();
      const won = (await query(
        `INSERT INTO ${t}(key, body, state, run, due, keep_until, expires)
       VALUES ${unique.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT(key) DO UPDATE SET body = excluded.body, state = excluded.state,
         run = excluded.run, due = excluded.due, keep_until = excluded.keep_until,
         expires = excluded.expires
       WHERE ${t}.expires <= ?
       RETURNING key`,
        ...unique.flatMap((r) => {
          const job = r.body !== undefined;
          return [
            r.key,
            r.body ?? null,
            job ? 'running' : 'done',
            job ? 1 : 0,
            job ? (r.due ?? at) : null,
            r.keepUntil,
            Math.max(r.expires, r.keepUntil),
          ];
        }),
        at,
      )) as { key: string }[];
      const keys = new Set(won.map((r) => r.key));
      setImmediate(() => changes.pump()); // once this batch is off the connection
      return groups.map((g) => g.map((r) => first.get(r.key) === r && keys.has(r.key)));
    },
    maxBatch,
  );

  // Changes (a finished job, a retry) matter less than acknowledgements: they wait while
  // inserts are being written, up to 20 ms, then go out in bigger batches.
  const changes: GroupWriter<InboxChange, number | undefined> = groupWriter<
    InboxChange,
    number | undefined
  >(
    async (items) => {
      // A key changes at most once per statement; a second change of it waits for the next.
      const results: (number | undefined)[] = [];
      let rest = items.map((c, i) => ({ c, i }));
      while (rest.length > 0) {
        const seen = new Set<string>();
        const round = rest.filter(({ c }) => !seen.has(c.key) && seen.add(c.key));
        const taken = new Set(round);
        rest = rest.filter((x) => !taken.has(x));
        const rows = (await query(
          `UPDATE ${t} SET
           state = v.column3,
           run = ${t}.run + (v.column3 = 'running'),
           due = v.column4,
           body = CASE WHEN v.column3 = 'done' THEN NULL ELSE ${t}.body END,
           expires = CASE WHEN v.column3 = 'done' THEN ${t}.keep_until ELSE ${t}.expires END
         FROM (VALUES ${round.map(() => '(?, ?, ?, ?)').join(', ')}) AS v
         WHERE ${t}.key = v.column1 AND ${t}.run = v.column2 AND ${t}.due IS NOT NULL
         RETURNING ${t}.key AS key, ${t}.run AS run`,
          ...round.flatMap(({ c }) => [
            c.key,
            c.run,
            c.to === 'lease' ? 'running' : c.to,
            c.to === 'done' ? null : (c.due ?? now()),
          ]),
        )) as { key: string; run: number }[];
        const runs = new Map(rows.map((r) => [r.key, r.run]));
        for (const { c, i } of round) results[i] = runs.get(c.key);
      }
      return results;
    },
    maxBatch,
    { busy: () => inserts.busy(), lingerMs: 20 },
  );

  const pruner = sqlitePruner(query, {
    table: t,
    expires: 'expires',
    everyMs: options.pruneEveryMs ?? 30_000,
    now,
  });

  return {
    insert: (rows) => (rows.length === 0 ? Promise.resolve([]) : inserts.push(rows)),
    change: (c) => changes.push(c),
    async take(limit, until) {
      if (limit <= 0) return [];
      const at = now();
      return (await query(
        `UPDATE ${t} SET state = 'running', run = run + 1, due = ?
         WHERE key IN (SELECT key FROM ${t} WHERE due IS NOT NULL AND due <= ? AND expires > ?
                       ORDER BY due LIMIT ?)
         RETURNING key, body, run`,
        until,
        at,
        at,
        limit,
      )) as InboxTaken[];
    },
    prune: pruner.prune,
    async count() {
      const [row] = (await query(`SELECT count(*) AS n FROM ${t}`)) as { n: number }[];
      return row?.n ?? 0;
    },
    async close() {
      await inserts.drain();
      await changes.drain();
      await pruner.close();
    },
  };
}
