import { leaseGuardMs, RetryJobLater } from '../../../core/index.js';
import type { SqliteQuery } from '../../../core/sqlite-claims.js';
import {
  sqliteInboxTable,
  type InboxInsert,
  type SqliteInboxTable,
} from '../../../core/sqlite-inbox.js';
import { KeyvInbox } from './inbox-keyv.js';
import type {
  InboxBackend,
  InboxOptions,
  InboxVerdict,
  StoredNotification,
} from './inbox-types.js';
import type { IngressNotification } from './ingress-types.js';

/** The inbox's table in the storage's SQLite file. */
export const INBOX_TABLE = 'streamcogs_eventsub_inbox';
/** Where the keyv inbox (before this table) kept its rows and claims. */
const LEGACY = 'core:eventsub-inbox:';

/** A notification this process holds: accepted here, or taken over from a dead process. */
interface Held {
  key: string;
  n: IngressNotification;
  /** The row's run this process holds. */
  run: number;
  /** Its lease ends then (another process may take it over). */
  until: number;
  phase: 'ready' | 'running' | 'waiting';
  timer?: NodeJS.Timeout;
}

/**
 * The EventSub inbox on SQLite: a table of its own ({@link INBOX_TABLE}, see
 * `core/sqlite-inbox.ts`) keyed by the dedupe key (`msg:<message id>`, or
 * `stream:<stream id>` for `stream.online`, with a `msg:` marker beside it). Accepting a
 * notification is one row of a group-committed insert, leased to this process: the 2xx waits
 * for one commit. The notification is then dispatched from memory; finishing it is one row of
 * a group-committed update. A notification whose process died (lease lapsed) is taken over by
 * the poll, after a restart too.
 *
 * @example
 * ```ts
 * const inbox = new SqliteInbox(options, (sql, ...p) => adapter.query(sql, ...p));
 * await inbox.start();
 * if ((await inbox.accept(n)) === 'accepted') reply(202);
 * await inbox.stop(10_000);
 * ```
 */
export class SqliteInbox implements InboxBackend {
  readonly #o: InboxOptions;
  readonly #query: SqliteQuery;
  readonly #held = new Map<string, Held>();
  #ready: Held[] = [];
  #running = 0;
  #idle: (() => void)[] = [];
  #table: Promise<SqliteInboxTable> | undefined;
  /** The keyv inbox of an older version, while it had notifications left: drained, not fed. */
  #legacy: KeyvInbox | undefined;
  #poll: NodeJS.Timeout | undefined;
  #polling = false;
  #pumpScheduled = false;
  #stopping = false;
  readonly #inflight = new Set<Promise<void>>();

  constructor(options: InboxOptions, query: SqliteQuery) {
    this.#o = options;
    this.#query = query;
  }

  get pending(): number {
    return this.#held.size + (this.#legacy?.pending ?? 0);
  }

  #open(): Promise<SqliteInboxTable> {
    this.#table ??= sqliteInboxTable(this.#query, { table: INBOX_TABLE });
    return this.#table;
  }

  async start(): Promise<void> {
    await this.#open();
    this.#stopping = false;
    await this.#fromLegacy();
    await this.#takeOver();
    this.#poll = setInterval(() => void this.#takeOver(), this.#o.pollMs ?? 1000);
    this.#poll.unref();
  }

  async accept(n: IngressNotification): Promise<InboxVerdict> {
    if (this.#stopping) throw new Error('the EventSub inbox is stopped; accept before stop()');
    const table = await this.#open();
    const now = Date.now();
    const body = JSON.stringify({ ...n, at: n.at.getTime() } satisfies StoredNotification);
    const due = now + this.#o.leaseMs;
    const msg: InboxInsert = {
      key: `msg:${n.messageId}`,
      keepUntil: now + this.#o.dedupeTtlMs,
      expires: now + this.#o.retentionMs,
    };
    const streamId = n.type === 'stream.online' ? n.event.id : undefined;
    if (typeof streamId !== 'string' || !streamId) {
      const [won] = await table.insert([{ ...msg, body, due }]);
      return won ? this.#hold(msg.key, n, 1, due) : 'duplicate';
    }
    // Twitch has sent one stream.online twice under two message ids: the stream id is the
    // key. The message id is a marker in the same statement, only to tell a re-sent message
    // from a second message for the same stream.
    const stream: InboxInsert = {
      key: `stream:${streamId}`,
      body,
      due,
      keepUntil: now + this.#o.streamDedupeTtlMs,
      expires: now + this.#o.retentionMs,
    };
    const [first, firstOfItsId] = await table.insert([stream, { ...msg, expires: 0 }]);
    if (first) return this.#hold(stream.key, n, 1, due);
    return firstOfItsId ? 'duplicate_stream' : 'duplicate';
  }

  async idle(): Promise<void> {
    await this.#legacy?.idle();
    if (this.#ready.length === 0 && this.#running === 0) return;
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async stop(drainMs: number): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#poll);
    await this.#legacy?.stop(drainMs);
    this.#legacy = undefined;
    const table = this.#table ? await this.#table : undefined;
    const waiting = [...this.#held.values()].filter((h) => h.phase === 'ready');
    this.#ready = [];
    for (const h of this.#held.values()) clearTimeout(h.timer);
    await Promise.race([
      Promise.allSettled([...this.#inflight]),
      new Promise((r) => setTimeout(r, drainMs).unref()),
    ]);
    // Not started here: free at once for the next start, rather than after the lease.
    if (table)
      await Promise.allSettled(
        waiting.map((h) => table.change({ key: h.key, run: h.run, to: 'retry', due: 0 })),
      );
    this.#held.clear();
    this.#o.metrics.pending.set(0);
    this.#releaseIdle();
    await table?.close();
    this.#table = undefined;
  }

  /**
   * An older version kept the inbox in keyv rows: its dedupe keys (claims) become markers
   * here, so a message it accepted is not accepted again, and its unfinished notifications
   * are run by its own queue, which takes nothing new.
   */
  async #fromLegacy(): Promise<void> {
    const now = Date.now();
    const claims = (await this.#query(
      `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'streamcogs_claims'`,
    )) as unknown[];
    if (claims.length > 0)
      for (const prefix of [`${LEGACY}idem:`, LEGACY])
        await this.#query(
          `INSERT OR IGNORE INTO ${INBOX_TABLE}(key, body, state, run, due, keep_until, expires)
           SELECT substr(key, ${prefix.length + 1}), NULL, 'done', 0, NULL, expires, expires
           FROM streamcogs_claims WHERE key LIKE ? AND expires > ?
             AND (substr(key, ${prefix.length + 1}) LIKE 'msg:%'
               OR substr(key, ${prefix.length + 1}) LIKE 'stream:%')`,
          `${prefix}%`,
          now,
        );
    const left = (await this.#query(
      `SELECT 1 FROM keyv WHERE key LIKE ? AND json_extract(value, '$.value.done') IS NOT 1 LIMIT 1`,
      `streamcogs:${LEGACY}log:%`,
    ).catch(() => [])) as unknown[];
    if (left.length === 0) return;
    this.#legacy = new KeyvInbox(this.#o);
    await this.#legacy.start();
  }

  #hold(key: string, n: IngressNotification, run: number, until: number): InboxVerdict {
    const h: Held = { key, n, run, until, phase: 'ready' };
    this.#held.set(key, h);
    this.#o.metrics.pending.set(this.#held.size);
    this.#ready.push(h);
    this.#pumpSoon();
    return 'accepted';
  }

  /**
   * Starts dispatches after the current I/O callbacks: the acknowledgements of a batch of
   * accepts go out before the handlers of that batch run.
   */
  #pumpSoon(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (!this.#stopping && this.#running < this.#o.concurrency) {
      const h = this.#ready.shift();
      if (!h) break;
      if (h.phase !== 'ready') continue;
      h.phase = 'running';
      this.#running++;
      const p = this.#run(h)
        .catch((err: unknown) => {
          // Its row keeps its lease: the poll runs it again once the lease lapsed.
          this.#o.log.error({ err, key: h.key }, 'eventsub: the inbox could not record a run');
          this.#drop(h);
        })
        .finally(() => {
          this.#running--;
          this.#inflight.delete(p);
          this.#pump();
        });
      this.#inflight.add(p);
    }
    if (this.#ready.length === 0 && this.#running === 0) this.#releaseIdle();
  }

  async #run(h: Held): Promise<void> {
    const table = await this.#open();
    if (Date.now() > h.until - leaseGuardMs(this.#o.leaseMs)) {
      // Waited here most of its lease: take it again (unless someone else did).
      const until = Date.now() + this.#o.leaseMs;
      const run = await table.change({ key: h.key, run: h.run, to: 'lease', due: until });
      if (run === undefined) return this.#drop(h);
      Object.assign(h, { run, until });
    }
    let retryAt: number | undefined;
    try {
      await this.#o.dispatch(h.n);
    } catch (err) {
      if (err instanceof RetryJobLater) retryAt = Date.now() + err.delayMs;
      else
        this.#o.log.error(
          { err, messageId: h.n.messageId, type: h.n.type },
          'eventsub: handling a notification failed',
        );
    }
    if (retryAt === undefined) {
      await table.change({ key: h.key, run: h.run, to: 'done' });
      return this.#drop(h);
    }
    if ((await table.change({ key: h.key, run: h.run, to: 'retry', due: retryAt })) === undefined)
      return this.#drop(h);
    h.phase = 'waiting';
    h.timer = setTimeout(() => void this.#retry(h), Math.max(0, retryAt - Date.now())).unref();
  }

  async #retry(h: Held): Promise<void> {
    if (this.#stopping || this.#held.get(h.key) !== h) return;
    const table = await this.#open();
    const until = Date.now() + this.#o.leaseMs;
    try {
      const run = await table.change({ key: h.key, run: h.run, to: 'lease', due: until });
      if (run === undefined) return this.#drop(h);
      Object.assign(h, { run, until, phase: 'ready' });
      this.#ready.push(h);
      this.#pump();
    } catch (err) {
      this.#o.log.error({ err, key: h.key }, 'eventsub: the inbox could not retry; polling will');
      this.#drop(h);
    }
  }

  /** Takes what nobody holds: left by a process that died, or a retry this one dropped. */
  async #takeOver(): Promise<void> {
    if (this.#polling || this.#stopping) return;
    this.#polling = true;
    try {
      const table = await this.#open();
      const room = this.#o.concurrency * 2 - this.#ready.length - this.#running;
      const taken = await table.take(room, Date.now() + this.#o.leaseMs);
      for (const row of taken) {
        const mine = this.#held.get(row.key);
        if (mine) {
          // Ours, held past its lease: we hold it again under the new run.
          Object.assign(mine, { run: row.run, until: Date.now() + this.#o.leaseMs });
          if (mine.phase === 'waiting') {
            clearTimeout(mine.timer);
            mine.phase = 'ready';
            this.#ready.push(mine);
          }
          continue;
        }
        const stored = JSON.parse(row.body) as StoredNotification;
        const until = Date.now() + this.#o.leaseMs;
        this.#hold(row.key, { ...stored, at: new Date(stored.at) }, row.run, until);
      }
      if (taken.length > 0) this.#pump();
    } catch (err) {
      this.#o.log.warn({ err }, 'eventsub: the inbox poll failed; trying again');
    } finally {
      this.#polling = false;
    }
  }

  #drop(h: Held): void {
    clearTimeout(h.timer);
    if (this.#held.get(h.key) === h) {
      this.#held.delete(h.key);
      this.#o.metrics.pending.set(this.#held.size);
    }
  }

  #releaseIdle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
