import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createStorage, type Storage } from '../../core/storage.js';
import type { SqliteQuery } from '../../core/sqlite-claims.js';
import { sqliteInboxTable, type InboxInsert } from '../../core/sqlite-inbox.js';

const TABLE = 'test_inbox';
const dirs: string[] = [];
const open: Storage[] = [];
async function sqliteFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'inbox-'));
  dirs.push(dir);
  return path.join(dir, 'streamcogs.sqlite');
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** The storage's connection and an inbox table on it, with a clock the test moves. */
async function inboxOn(file: string, clock = { now: 1_000_000 }) {
  const storage = await createStorage({ url: `sqlite://${file}` });
  open.push(storage);
  const table = await sqliteInboxTable(storage.sql as SqliteQuery, {
    table: TABLE,
    pruneEveryMs: 0,
    now: () => clock.now,
  });
  return { storage, table, clock };
}

/** A plain connection of our own to the file, as another process would open it. */
function connect(file: string): { query: SqliteQuery; close(): Promise<void> } {
  const db = new sqlite3.Database(file);
  db.configure('busyTimeout', 5000);
  const query: SqliteQuery = (sql, ...params) =>
    new Promise((resolve, reject) =>
      db.all(sql, params, (err: Error | null, rows: unknown[]) =>
        err ? reject(err) : resolve(rows),
      ),
    );
  return { query, close: () => new Promise((r) => db.close(() => r())) };
}

const job = (key: string, at: number, o: Partial<InboxInsert> = {}): InboxInsert => ({
  key,
  body: JSON.stringify({ key }),
  due: at + 60_000,
  keepUntil: at + 660_000,
  expires: at + 3_600_000,
  ...o,
});

async function rowsOf(file: string): Promise<{ key: string; state: string; run: number }[]> {
  const db = connect(file);
  try {
    return (await db.query(`SELECT key, state, run FROM ${TABLE} ORDER BY key`)) as {
      key: string;
      state: string;
      run: number;
    }[];
  } finally {
    await db.close();
  }
}

describe('the SQLite inbox table', () => {
  it('resolves an insert only once it is committed: not while another writer holds the lock', async () => {
    const file = await sqliteFile();
    const { table, clock } = await inboxOn(file);
    const other = connect(file);
    await other.query('BEGIN IMMEDIATE');
    let resolved = false;
    const inserted = table.insert([job('msg:a', clock.now)]).then((r) => ((resolved = true), r));
    await new Promise((r) => setTimeout(r, 300));
    expect(resolved).toBe(false);
    expect(await other.query(`SELECT key FROM ${TABLE}`)).toEqual([]);
    await other.query('COMMIT');
    expect(await inserted).toEqual([true]);
    expect(await other.query(`SELECT key FROM ${TABLE}`)).toEqual([{ key: 'msg:a' }]);
    await other.close();
  });

  it('inserts each key once among many concurrent inserts, and a group all or none', async () => {
    const file = await sqliteFile();
    const { table, clock } = await inboxOn(file);
    const keys = Array.from({ length: 300 }, (_, i) => `msg:${i % 100}`);
    const won = await Promise.all(keys.map((k) => table.insert([job(k, clock.now)])));
    expect(keys.filter((_, i) => won[i]?.[0]).sort()).toEqual([...new Set(keys)].sort());
    const pair = await table.insert([
      job('stream:1', clock.now),
      { key: 'msg:5', keepUntil: clock.now + 1000, expires: 0 },
    ]);
    expect(pair).toEqual([true, false]); // a stream id new, its message id seen
    expect((await rowsOf(file)).length).toBe(101);
  });

  it('remembers a key across a restart until it expires, then accepts it again', async () => {
    const file = await sqliteFile();
    const first = await inboxOn(file);
    expect(await first.table.insert([job('msg:a', first.clock.now)])).toEqual([true]);
    expect(await first.table.change({ key: 'msg:a', run: 1, to: 'done' })).toBe(1);
    await first.table.close();
    await first.storage.close();

    const clock = { now: first.clock.now + 600_000 }; // inside the dedupe window
    const again = await inboxOn(file, clock);
    expect(await again.table.insert([job('msg:a', clock.now)])).toEqual([false]);
    clock.now = first.clock.now + 660_001; // past it (the row is done: kept until keepUntil)
    expect(await again.table.insert([job('msg:a', clock.now)])).toEqual([true]);
    await again.table.close();
  });

  it('prunes expired rows only, so the table stays bounded', async () => {
    const file = await sqliteFile();
    const { table, clock } = await inboxOn(file);
    const t0 = clock.now;
    for (let round = 0; round < 5; round++) {
      const keys = Array.from({ length: 200 }, (_, i) => `msg:${round}:${i}`);
      await Promise.all(keys.map((k) => table.insert([job(k, clock.now)])));
      await Promise.all(keys.map((key) => table.change({ key, run: 1, to: 'done' })));
      clock.now += 330_000; // half a dedupe window per round
      await table.prune();
      expect(await table.count()).toBeLessThanOrEqual(400); // two rounds live at most
    }
    // A job nobody finished stays until its retention, not its dedupe window.
    await table.insert([job('msg:stuck', clock.now)]);
    clock.now += 700_000;
    await table.prune();
    expect((await rowsOf(file)).map((r) => r.key)).toEqual(['msg:stuck']);
    clock.now = t0 + 10 * 3_600_000;
    expect(await table.prune()).toBe(1);
    expect(await table.count()).toBe(0);
  });

  it('lets a restarted process take over a job only once its lease lapsed, and finish it once', async () => {
    const file = await sqliteFile();
    const first = await inboxOn(file);
    const t0 = first.clock.now;
    await first.table.insert([job('msg:a', t0), job('msg:b', t0)]);
    await first.table.change({ key: 'msg:b', run: 1, to: 'done' });
    await first.storage.close(); // "killed": msg:a was leased to it until t0 + 60 s

    const clock = { now: t0 + 30_000 };
    const second = await inboxOn(file, clock);
    expect(await second.table.take(10, clock.now + 60_000)).toEqual([]);
    clock.now = t0 + 60_000;
    const taken = await second.table.take(10, clock.now + 60_000);
    expect(taken).toEqual([{ key: 'msg:a', body: JSON.stringify({ key: 'msg:a' }), run: 2 }]);
    expect(await second.table.take(10, clock.now + 60_000)).toEqual([]); // held now
    // The first holder's run is over: its late change does nothing.
    expect(await second.table.change({ key: 'msg:a', run: 1, to: 'done' })).toBeUndefined();
    expect(await second.table.change({ key: 'msg:a', run: 2, to: 'done' })).toBe(2);
    clock.now += 120_000;
    expect(await second.table.take(10, clock.now + 60_000)).toEqual([]); // done stays done
    expect(await rowsOf(file)).toEqual([
      { key: 'msg:a', state: 'done', run: 2 },
      { key: 'msg:b', state: 'done', run: 1 },
    ]);
  });

  it('runs a retry again when it is due, under a new run', async () => {
    const file = await sqliteFile();
    const { table, clock } = await inboxOn(file);
    await table.insert([job('msg:r', clock.now)]);
    expect(await table.change({ key: 'msg:r', run: 1, to: 'retry', due: clock.now + 5000 })).toBe(
      1,
    );
    expect(await table.take(10, clock.now + 60_000)).toEqual([]);
    clock.now += 5000;
    expect(await table.change({ key: 'msg:r', run: 1, to: 'lease', due: clock.now + 60_000 })).toBe(
      2,
    );
    expect(await table.take(10, clock.now + 60_000)).toEqual([]);
  });

  it('refuses a table name that is not a plain identifier', async () => {
    const { storage } = await inboxOn(await sqliteFile());
    await expect(
      sqliteInboxTable(storage.sql as SqliteQuery, { table: 'x; DROP TABLE keyv' }),
    ).rejects.toThrow(/bad inbox table name/);
  });
});
