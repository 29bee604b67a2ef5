import KeyvSqlite from '@keyv/sqlite';
import type { KeyvSqliteOptions } from '@keyv/sqlite';

type Op =
  | {
      kind: 'set';
      key: string;
      value: unknown;
      /** A `setMany`: rows written by this one op, in the same statement. */
      group?: { key: string; value: unknown }[];
      resolve(v: boolean): void;
      reject(e: unknown): void;
    }
  | {
      kind: 'delete';
      key: string;
      value?: undefined;
      resolve(v: boolean): void;
      reject(e: unknown): void;
    };

/** Writes of distinct keys that go out together; `done` settles (never rejects) once written. */
interface Batch {
  ops: Op[];
  keys: Set<string>;
  done: Promise<void>;
  finish(): void;
}

const DEFAULT_MAX_BATCH = 500;

/**
 * keyv's SQLite adapter with group commit. keyv writes every `set` and `delete` as its own
 * autocommit statement; here, while one batch is being written the next writes queue, then go
 * out together: the sets as one multi-row `INSERT ... ON CONFLICT(key) DO UPDATE`, the deletes
 * as one `DELETE ... WHERE key IN (...) RETURNING key` (each a single atomic statement, so one
 * commit each instead of one per write). Guarantees:
 *
 * - a write's promise settles only after its statement committed (in the WAL);
 * - writes to one key are applied in the order they were issued (a key written twice goes
 *   into the next batch, and batches are written one after the other);
 * - concurrent `get`s and `has`es are read by one `SELECT ... WHERE key IN (...)`;
 * - a `get`/`has`/`getMany` issued after a write of the same key sees it: it waits for that
 *   write first (sqlite3 runs the statements of one connection on its thread pool, so a later
 *   statement is not guaranteed to run after an earlier one that is still pending);
 * - a failing statement rejects the callers of that statement (the batch's sets, or its
 *   deletes). A constraint error (a trigger's `RAISE`, a `CHECK`) is retried row by row, so
 *   only the writes that fail alone reject; any other error (busy, disk full, closed)
 *   rejects the whole statement's callers.
 *
 * @example
 * ```ts
 * const adapter = new GroupCommitSqlite({ uri: 'sqlite://data/streamcogs.sqlite', busyTimeout: 5000 });
 * const keyv = new Keyv({ store: adapter, namespace: 'streamcogs' });
 * await Promise.all([keyv.set('a', 1), keyv.set('b', 2)]); // one INSERT, one commit
 * await adapter.disconnect();
 * ```
 */
export class GroupCommitSqlite extends KeyvSqlite {
  readonly #maxBatch: number;
  #queue: Batch[] = [];
  #writing: Promise<void> | undefined;
  /** The batch holding the latest write of each key not yet committed. */
  readonly #latest = new Map<string, Batch>();
  #reads: { key: string; resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  #reading = false;

  constructor(options: KeyvSqliteOptions & { maxBatch?: number }) {
    const { maxBatch, ...rest } = options;
    super(rest);
    this.#maxBatch = maxBatch ?? DEFAULT_MAX_BATCH;
  }

  override set(key: string, value: unknown): Promise<boolean> {
    return this.#enqueue('set', key, value);
  }

  /**
   * Writes `entries` in one statement (all or none): they go into one batch of their own
   * keys, never split. keyv calls it for `keyv.setMany`.
   */
  async setMany(entries: { key: string; value: unknown }[]): Promise<boolean[]> {
    if (entries.length === 0) return [];
    const keys = new Set(entries.map((e) => e.key));
    if (keys.size !== entries.length) throw new Error('setMany: a key appears twice');
    const last = this.#queue.at(-1);
    const fits =
      last !== undefined &&
      last.ops.length + entries.length <= this.#maxBatch &&
      entries.every((e) => !last.keys.has(e.key));
    const batch = fits ? last : this.#newBatch();
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const written = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // One op carries the whole group, so a constraint retry never splits it.
    batch.ops.push({
      kind: 'set',
      key: entries[0]?.key ?? '',
      value: undefined,
      group: entries,
      resolve: () => resolve(),
      reject,
    });
    for (const e of entries) {
      batch.keys.add(e.key);
      this.#latest.set(e.key, batch);
    }
    this.#pump();
    await written;
    return entries.map(() => true);
  }

  override delete(key: string): Promise<boolean> {
    return this.#enqueue('delete', key, undefined);
  }

  override async deleteMany(keys: string[]): Promise<boolean> {
    const gone = await Promise.all(keys.map((k) => this.delete(k)));
    return gone.some(Boolean);
  }

  override async get<Value>(key: string): Promise<Value | undefined> {
    await this.#latest.get(key)?.done;
    return (await this.#read(key)) as Value | undefined;
  }

  override async getMany<Value>(keys: string[]) {
    await Promise.all(keys.map((k) => this.#latest.get(k)?.done));
    return super.getMany<Value>(keys);
  }

  override async has(key: string): Promise<boolean> {
    await this.#latest.get(key)?.done;
    return (await this.#read(key)) !== undefined;
  }

  override async clear(): Promise<void> {
    await this.#drain();
    await super.clear();
  }

  /** Waits for every queued write, then closes the connection. */
  override async disconnect(): Promise<void> {
    await this.#drain();
    await super.disconnect();
  }

  async #drain(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  #enqueue(kind: Op['kind'], key: string, value: unknown): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let batch = this.#queue.at(-1);
      if (!batch || batch.keys.has(key) || batch.ops.length >= this.#maxBatch)
        batch = this.#newBatch();
      batch.ops.push({ kind, key, value, resolve, reject } as Op);
      batch.keys.add(key);
      this.#latest.set(key, batch);
      this.#pump();
    });
  }

  /** Reads `key`'s row: concurrent reads go out as one `SELECT ... WHERE key IN (...)`. */
  #read(key: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#reads.push({ key, resolve, reject });
      this.#pumpReads();
    });
  }

  #pumpReads(): void {
    if (this.#reading || this.#reads.length === 0) return;
    const batch = this.#reads.splice(0, this.#maxBatch);
    const keys = [...new Set(batch.map((r) => r.key))];
    this.#reading = true;
    void (
      this.query(
        `SELECT key, value FROM ${this.opts.table} WHERE key IN (${keys.map(() => '?').join(', ')})`,
        ...keys,
      ) as Promise<{ key: string; value: unknown }[]>
    )
      .then(
        (rows) => {
          const found = new Map(rows.map((r) => [r.key, r.value]));
          for (const r of batch) r.resolve(found.get(r.key));
        },
        (err: unknown) => {
          for (const r of batch) r.reject(err);
        },
      )
      .finally(() => {
        this.#reading = false;
        this.#pumpReads();
      });
  }

  #newBatch(): Batch {
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const batch: Batch = { ops: [], keys: new Set(), done, finish };
    this.#queue.push(batch);
    return batch;
  }

  #pump(): void {
    if (this.#writing) return;
    const batch = this.#queue.shift();
    if (!batch) return;
    this.#writing = this.#write(batch).finally(() => {
      for (const key of batch.keys) if (this.#latest.get(key) === batch) this.#latest.delete(key);
      batch.finish();
      this.#writing = undefined;
      this.#pump();
    });
  }

  async #write(batch: Batch): Promise<void> {
    const sets = batch.ops.filter((o) => o.kind === 'set');
    const deletes = batch.ops.filter((o) => o.kind === 'delete');
    await Promise.all([
      this.#settle(sets, (ops) => this.#upsert(ops)),
      this.#settle(deletes, (ops) => this.#remove(ops)),
    ]);
  }

  /** Runs `write` for `ops`; on a constraint error retries each op alone. */
  async #settle(ops: Op[], write: (ops: Op[]) => Promise<Set<string>>): Promise<void> {
    if (ops.length === 0) return;
    try {
      const hit = await write(ops);
      for (const o of ops) o.resolve(o.kind === 'set' || hit.has(o.key));
    } catch (err) {
      if (ops.length > 1 && (err as { code?: string }).code === 'SQLITE_CONSTRAINT') {
        for (const o of ops) await this.#settle([o], write);
        return;
      }
      for (const o of ops) o.reject(err);
    }
  }

  async #upsert(ops: Op[]): Promise<Set<string>> {
    const rows = ops.flatMap((o): { key: string; value: unknown }[] =>
      o.kind === 'set' && o.group ? o.group : [{ key: o.key, value: o.value }],
    );
    const values = rows.map(() => '(?, ?)').join(', ');
    await this.query(
      `INSERT INTO ${this.opts.table}(key, value) VALUES ${values}
       ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      ...rows.flatMap((r) => [r.key, r.value]),
    );
    return new Set();
  }

  async #remove(ops: Op[]): Promise<Set<string>> {
    const marks = ops.map(() => '?').join(', ');
    const rows = (await this.query(
      `DELETE FROM ${this.opts.table} WHERE key IN (${marks}) RETURNING key`,
      ...ops.map((o) => o.key),
    )) as { key: string }[];
    return new Set(rows.map((r) => r.key));
  }
}
