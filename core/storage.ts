import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Keyv from 'keyv';
import { sqliteCheckpointer } from './sqlite-checkpoint.js';
import { sqliteClaims, type SqliteQuery } from './sqlite-claims.js';
import { sqliteExpiry } from './sqlite-expiry.js';
import { GroupCommitSqlite } from './sqlite-group-commit.js';

/**
 * A key-value namespace. Values are JSON-serialisable; `ttlMs` expires a key.
 *
 * @example
 * ```ts
 * await ctx.storage.set('counter', 3);
 * const n = (await ctx.storage.get<number>('counter')) ?? 0;
 * if (await ctx.storage.claim(`msg:${id}`, 600_000)) handleOnce();
 * ```
 */
export interface Store {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  /**
   * Writes several keys together, all or none: one statement on SQLite, one `MULTI` on Redis.
   * For writes that must not be seen apart (a log entry and the key that points at it).
   */
  setMany(entries: StoreEntry[]): Promise<void>;
  delete(key: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  /**
   * Sets `key` only if it is absent, atomically across every process sharing the
   * storage (Redis `SET NX`). Returns true for the one caller that set it.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** A nested namespace: keys are prefixed with `name:`. */
  namespace(name: string): Store;
}

/**
 * One key of {@link Store.setMany}.
 *
 * @example
 * ```ts
 * const entry: StoreEntry = { key: 'log:12', value: { jobs: [] }, ttlMs: 60_000 };
 * ```
 */
export interface StoreEntry {
  key: string;
  value: unknown;
  ttlMs?: number;
}

/** The process's storage: one backend, namespaced stores handed out per bot and cog. */
export interface Storage {
  readonly kind: 'sqlite' | 'redis';
  /** Where the data lives (file path or redis URL without credentials). */
  readonly location: string;
  /** The namespace `<bot>:<cog>` for one cog on one bot. */
  forCog(bot: string, cog: string): Store;
  /** The kernel's own namespaces (`core:...`). */
  core(name: string): Store;
  /**
   * SQLite only: runs one statement on the storage's connection, for kernel tables of their
   * own (the EventSub inbox). Undefined on Redis.
   */
  readonly sql?: SqliteQuery;
  close(): Promise<void>;
}

/** Options of {@link createStorage}. */
export interface StorageOptions {
  /** `redis://...` for Redis, `sqlite://path` or nothing for the SQLite file. */
  url?: string;
  /** Folder of the default SQLite file; defaults to `./data`. */
  dataDir?: string;
  /** SQLite: how often values whose TTL passed are deleted (default 60 s; Redis expires them). */
  expiryPruneEveryMs?: number;
}

type ClaimFn = (key: string, ttlMs: number) => Promise<boolean>;

/**
 * Runs the operations on one key one after the other, in the order they were issued. keyv
 * does not keep that order by itself: its `set` awaits the serialiser before reaching the
 * store, so a `get` or `delete` issued just after it can reach the store first.
 */
class KeyOrder {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<R>(keys: string | string[], op: () => Promise<R>): Promise<R> {
    const all = typeof keys === 'string' ? [keys] : keys;
    const before = all.flatMap((k) => this.#tails.get(k) ?? []);
    const result =
      before.length === 0
        ? op()
        : (before.length === 1 ? before[0]! : Promise.all(before)).then(op, op);
    const tail = result.catch(() => undefined);
    for (const k of all) this.#tails.set(k, tail);
    void tail.then(() => {
      for (const k of all) if (this.#tails.get(k) === tail) this.#tails.delete(k);
    });
    return result;
  }
}

class KeyvStore implements Store {
  constructor(
    private readonly keyv: Keyv,
    private readonly prefix: string,
    private readonly claimFn: ClaimFn,
    private readonly order: KeyOrder,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const k = this.prefix + key;
    return (await this.order.run(k, () => this.keyv.get<T>(k))) ?? undefined;
  }
  async set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const k = this.prefix + key;
    await this.order.run(k, () => this.keyv.set(k, value, ttlMs));
  }
  async setMany(entries: StoreEntry[]): Promise<void> {
    const keyed = entries.map((e) => ({ key: this.prefix + e.key, value: e.value, ttl: e.ttlMs }));
    await this.order.run(
      keyed.map((e) => e.key),
      () => this.keyv.setMany(keyed),
    );
  }
  delete(key: string): Promise<boolean> {
    const k = this.prefix + key;
    return this.order.run(k, () => this.keyv.delete(k));
  }
  has(key: string): Promise<boolean> {
    const k = this.prefix + key;
    return this.order.run(k, () => this.keyv.has(k));
  }
  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.claimFn(this.prefix + key, ttlMs);
  }
  namespace(name: string): Store {
    return new KeyvStore(this.keyv, `${this.prefix}${name}:`, this.claimFn, this.order);
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis';
  }
}

/**
 * Opens the storage: an SQLite file under `./data/` by default, Redis with `redis://`.
 *
 * @example
 * ```ts
 * const storage = await createStorage({ url: process.env.STORAGE_URL });
 * await storage.forCog('alice', 'go-live').set('last', Date.now());
 * await storage.close();
 * ```
 */
export async function createStorage(options: StorageOptions = {}): Promise<Storage> {
  const url = options.url ?? '';
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    // Loaded only here: the Redis client is ~12 MB of RSS a SQLite process never uses.
    const { default: KeyvRedis } = await import('@keyv/redis');
    const adapter = new KeyvRedis(url, { namespace: 'streamcogs' });
    const keyv = new Keyv({ store: adapter, namespace: 'streamcogs', useKeyPrefix: false });
    keyv.on('error', () => {});
    const client = (await adapter.getClient()) as unknown as {
      set(k: string, v: string, o: { NX: true; PX: number }): Promise<string | null>;
    };
    const claim: ClaimFn = async (key, ttlMs) =>
      (await client.set(`streamcogs:claim:${key}`, '1', { NX: true, PX: Math.max(1, ttlMs) })) ===
      'OK';
    return makeStorage('redis', redactUrl(url), keyv, claim, () => adapter.disconnect());
  }
  const file = url.startsWith('sqlite://')
    ? url.slice('sqlite://'.length)
    : path.join(options.dataDir ?? 'data', 'streamcogs.sqlite');
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  // Concurrent sets and deletes are written together, one commit each (see sqlite-group-commit).
  const adapter = new GroupCommitSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
  // WAL: a write costs ~1 ms instead of a full fsync'd journal (~10-20 ms); still durable
  // when the process is killed (synchronous=NORMAL only risks the last commits on power loss).
  await adapter.query('PRAGMA journal_mode=WAL');
  await adapter.query('PRAGMA synchronous=NORMAL');
  // Checkpoints (WAL mode's fsyncs) on a second connection, not in the commits we wait for.
  const checkpointer = await sqliteCheckpointer(path.resolve(file), (sql) => adapter.query(sql));
  // A write whose statement failed rejects (keyv would resolve it with `false`).
  const keyv = new Keyv({ store: adapter, namespace: 'streamcogs', throwOnErrors: true });
  keyv.on('error', () => {});
  // Claims: their own table, concurrent ones written by one statement (see sqlite-claims).
  const claims = await sqliteClaims((sql, ...params) => adapter.query(sql, ...params));
  // Values with a TTL that are never read again (dedupe ids, finished jobs) are deleted.
  const expiry = await sqliteExpiry((sql, ...params) => adapter.query(sql, ...params), {
    pruneEveryMs: options.expiryPruneEveryMs,
  });
  const sql: SqliteQuery = (statement, ...params) => adapter.query(statement, ...params);
  const storage = makeStorage('sqlite', path.resolve(file), keyv, claims.claim, async () => {
    await expiry.close();
    await claims.close();
    await checkpointer.stop();
    await adapter.disconnect();
  });
  return { ...storage, sql };
}

function makeStorage(
  kind: Storage['kind'],
  location: string,
  keyv: Keyv,
  claim: ClaimFn,
  close: () => Promise<void>,
): Storage {
  const root = new KeyvStore(keyv, '', claim, new KeyOrder());
  let closed = false;
  return {
    kind,
    location,
    forCog: (bot, cog) => root.namespace(bot).namespace(cog),
    core: (name) => root.namespace('core').namespace(name),
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}
