import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommitSqlite } from '../../core/sqlite-group-commit.js';
import { createStorage, type Storage } from '../../core/storage.js';
import { until } from './queue/helpers.js';

const WRITER = fileURLToPath(new URL('./fixtures/sqlite-writer.ts', import.meta.url));

let dir = '';
let storage: Storage | undefined;
afterEach(async () => {
  await storage?.close();
  storage = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<Storage> {
  dir = await mkdtemp(path.join(tmpdir(), 'group-commit-'));
  storage = await createStorage({ dataDir: dir });
  return storage;
}

/** Runs one statement on a second connection to the storage's file. */
async function onSecondConnection(sql: string): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d: sqlite3.Database = new sqlite3.Database(path.join(dir, 'streamcogs.sqlite'), (e) =>
      e ? reject(e) : resolve(d),
    );
  });
  try {
    await new Promise<void>((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

describe('keyv writes on SQLite (group commit)', () => {
  it('writes concurrent sets (and reads concurrent gets) of many keys in a few statements, the last set of a key winning', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'group-commit-'));
    const adapter = new GroupCommitSqlite({ uri: `sqlite://${path.join(dir, 'db.sqlite')}` });
    const query = adapter.query;
    let statements = 0;
    let reads = 0;
    adapter.query = (sql, ...params) => {
      if (/^\s*INSERT/.test(sql)) statements++;
      if (/^\s*SELECT/.test(sql)) reads++;
      return query(sql, ...params);
    };
    await adapter.get('warm-up');
    const writes = Array.from({ length: 300 }, (_, i) => adapter.set(`k:${i % 100}`, `v${i}`));
    await Promise.all(writes);
    // 100 keys written 3 times each: at least 3 batches, far fewer than 300 statements.
    expect(statements).toBeGreaterThanOrEqual(3);
    expect(statements).toBeLessThanOrEqual(10);
    reads = 0;
    const values = await Promise.all(Array.from({ length: 100 }, (_, i) => adapter.get(`k:${i}`)));
    expect(values).toEqual(Array.from({ length: 100 }, (_, i) => `v${i + 200}`));
    // Concurrent reads share statements too.
    expect(reads).toBeLessThanOrEqual(5);
    expect([await adapter.has('k:7'), await adapter.has('missing')]).toEqual([true, false]);
    expect(await adapter.get('k:7')).toBe('v207');
    expect(await adapter.getMany(['k:0', 'k:99', 'missing'])).toEqual(['v200', 'v299', undefined]);
    await adapter.disconnect();
  });

  it('applies writes of one key in order and lets a get issued after a set see it', async () => {
    const store = (await open()).core('t');
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const written = store.set(`k:${i}`, i);
        const read = store.get<number>(`k:${i}`);
        const again = store.set(`k:${i}`, i + 1000);
        const has = store.has(`k:${i}`);
        const last = store.get<number>(`k:${i}`);
        await written;
        await again;
        return [await read, await has, await last];
      }),
    );
    results.forEach((r, i) => expect(r).toEqual([i, true, i + 1000]));
  });

  it('deletes: true when the key was there, false when not, in order with sets', async () => {
    const store = (await open()).core('t');
    await store.set('there', 1);
    const [gone, notThere] = await Promise.all([store.delete('there'), store.delete('never')]);
    expect([gone, notThere]).toEqual([true, false]);
    const set = store.set('cycle', 'a');
    const removed = store.delete('cycle');
    const afterDelete = store.get('cycle');
    const reset = store.set('cycle', 'b');
    await set;
    await reset;
    expect([await removed, await afterDelete, await store.get('cycle')]).toEqual([
      true,
      undefined,
      'b',
    ]);
    expect(await store.get('there')).toBeUndefined();
  });

  it('rejects only the write a statement refused; the rest of the batch and later writes land', async () => {
    const store = (await open()).core('t');
    await store.set('warm-up', 0);
    await onSecondConnection(
      `CREATE TRIGGER refuse BEFORE INSERT ON keyv WHEN NEW.key LIKE '%:refused'
       BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`,
    );
    const outcomes = await Promise.allSettled([
      store.set('a', 1),
      store.set('refused', 2),
      store.set('b', 3),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('refused by trigger');
    expect([await store.get('a'), await store.get('refused'), await store.get('b')]).toEqual([
      1,
      undefined,
      3,
    ]);
    await store.set('later', 4);
    expect(await store.get('later')).toBe(4);
  });

  it('writes a setMany all or none, in the same statement as the writes around it', async () => {
    const store = (await open()).core('t');
    await store.set('warm-up', 0);
    await onSecondConnection(
      `CREATE TRIGGER refuse BEFORE INSERT ON keyv WHEN NEW.key LIKE '%:refused'
       BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`,
    );
    const outcomes = await Promise.allSettled([
      store.set('alone', 1),
      store.setMany([
        { key: 'pair-a', value: 'a', ttlMs: 60_000 },
        { key: 'refused', value: 'b' },
      ]),
      store.setMany([
        { key: 'entry', value: { jobs: [] } },
        { key: 'points-at-entry', value: 7, ttlMs: 60_000 },
      ]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect([
      await store.get('alone'),
      await store.get('pair-a'),
      await store.get('refused'),
      await store.get('entry'),
      await store.get('points-at-entry'),
    ]).toEqual([1, undefined, undefined, { jobs: [] }, 7]);
  });

  it('keeps every resolved set when the process is killed with SIGKILL', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'group-commit-kill-'));
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    try {
      await until(
        () => out.split('\n').length > 2001,
        `2,000 resolved sets (stderr: ${err})`,
        30_000,
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const resolved = out.split('\n').filter((l) => l.startsWith('w:'));
    storage = await createStorage({ dataDir: dir });
    const store = storage.core('kill');
    const missing: string[] = [];
    for (const key of resolved) if ((await store.get(key)) === undefined) missing.push(key);
    expect(resolved.length).toBeGreaterThan(2000);
    expect(missing).toEqual([]);
  });
});
