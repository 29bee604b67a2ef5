import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createStorage } from '../../core/storage.js';
import { sqliteCheckpointer } from '../../core/sqlite-checkpoint.js';
import { sqliteClaims, type SqliteQuery } from '../../core/sqlite-claims.js';

const dirs: string[] = [];
async function sqliteFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'claims-'));
  dirs.push(dir);
  return path.join(dir, 'streamcogs.sqlite');
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A plain connection to the file, as another tool would open it. */
async function open(file: string): Promise<{ query: SqliteQuery; close(): Promise<void> }> {
  const db = new sqlite3.Database(file);
  const query: SqliteQuery = (sql, ...params) =>
    new Promise((resolve, reject) =>
      db.all(sql, params, (err: Error | null, rows: unknown[]) =>
        err ? reject(err) : resolve(rows),
      ),
    );
  return { query, close: () => new Promise((r) => db.close(() => r())) };
}

describe('claims on SQLite', () => {
  it('lets exactly one of many concurrent claimers of a key win, and each key once', async () => {
    const storage = await createStorage({ url: `sqlite://${await sqliteFile()}` });
    const store = storage.core('t');
    const keys = Array.from({ length: 300 }, (_, i) => `k${i % 100}`);
    const results = await Promise.all(keys.map((k) => store.claim(k, 60_000)));
    const won = keys.filter((_, i) => results[i]);
    expect(won.sort()).toEqual([...new Set(keys)].sort());
    expect(await store.claim('k7', 60_000)).toBe(false);
    await storage.close();
  });

  it('keeps a claim across a restart, until it expires', async () => {
    const file = await sqliteFile();
    const first = await createStorage({ url: `sqlite://${file}` });
    expect(await first.core('t').claim('msg:1', 60_000)).toBe(true);
    expect(await first.core('t').claim('short', 1)).toBe(true);
    await first.close();
    await new Promise((r) => setTimeout(r, 5));
    const again = await createStorage({ url: `sqlite://${file}` });
    expect(await again.core('t').claim('msg:1', 60_000)).toBe(false);
    expect(await again.core('t').claim('short', 60_000)).toBe(true);
    await again.close();
  });

  it('moves claims keyv stored before the table existed, so none is won twice', async () => {
    const file = await sqliteFile();
    const db = await open(file);
    await db.query('CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)');
    const live = JSON.stringify({ value: 1, expires: Date.now() + 60_000 });
    await db.query('INSERT INTO keyv VALUES (?, ?)', 'streamcogs:claim:core:q:seq:1', live);
    await db.query('INSERT INTO keyv VALUES (?, ?)', 'streamcogs:core:q:other', '{"value":2}');
    await db.close();
    const storage = await createStorage({ url: `sqlite://${file}` });
    expect(await storage.core('q').claim('seq:1', 60_000)).toBe(false);
    expect(await storage.core('q').claim('seq:2', 60_000)).toBe(true);
    expect(await storage.core('q').get('other')).toBe(2);
    await storage.close();
  });

  it('prunes expired claims, so the table holds one TTL of keys at most', async () => {
    const file = await sqliteFile();
    const db = await open(file);
    let clock = 1_000_000;
    const claims = await sqliteClaims(db.query, { pruneEveryMs: 0, now: () => clock });
    for (let second = 0; second < 20; second++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => claims.claim(`s${second}-${i}`, 5_000)),
      );
      clock += 1000;
      await claims.prune();
      // Claims of the last 5 s live (the ones from exactly 5 s ago expire now).
      expect(await claims.count()).toBeLessThanOrEqual(5 * 50);
    }
    expect(await claims.count()).toBe(4 * 50);
    clock += 5_000;
    expect(await claims.prune()).toBe(4 * 50);
    expect(await claims.count()).toBe(0);
    await claims.close();
    await db.close();
  });

  it('checkpoints on its own connection, so the WAL is reused instead of growing', async () => {
    const file = await sqliteFile();
    const db = await open(file);
    await db.query('PRAGMA journal_mode=WAL');
    const checkpointer = await sqliteCheckpointer(file, db.query, 60_000);
    expect(await db.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }]);
    const claims = await sqliteClaims(db.query, { pruneEveryMs: 0 });
    const write = async (round: string) => {
      for (let i = 0; i < 200; i++) await claims.claim(`${round}-${i}`, 60_000);
    };
    await write('a');
    const walAfterOneRound = (await stat(`${file}-wal`)).size;
    await checkpointer.checkpoint();
    await write('b');
    // Written from the start again (a round's pages, a few more as the tree deepens), not appended.
    expect((await stat(`${file}-wal`)).size).toBeLessThan(walAfterOneRound * 1.5);
    await write('c'); // no checkpoint in between: the WAL grows
    expect((await stat(`${file}-wal`)).size).toBeGreaterThan(walAfterOneRound * 1.5);
    await claims.close();
    await checkpointer.stop();
    await db.close();
  });
});
