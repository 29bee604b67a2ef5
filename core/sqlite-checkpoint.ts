import { stat } from 'node:fs/promises';
import sqlite3 from 'sqlite3';
import type { SqliteQuery } from './sqlite-claims.js';

/** A running background checkpointer; `stop()` checkpoints once more and closes it. */
export interface SqliteCheckpointer {
  /** Checkpoints now (PASSIVE: never blocks writers); resolves when done. */
  checkpoint(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints (the only fsyncs in WAL mode with `synchronous=NORMAL`) off
 * the writers: the storage's connection stops checkpointing by itself
 * (`wal_autocheckpoint=0`) and a second connection to the same file runs a PASSIVE checkpoint
 * once the WAL file reaches `walBytes` (looked at every `everyMs`): SQLite's own threshold
 * (1,000 pages), but left to SQLite the commit that crosses it pays for the checkpoint and its
 * fsyncs, tens of milliseconds on a busy disk, and every request waiting on that commit with
 * it. Durability is unchanged: a commit is in the WAL (in the OS's hands) when it returns, as
 * before; the WAL stays under `walBytes` plus what `everyMs` of writes adds.
 *
 * @example
 * ```ts
 * const checkpointer = await sqliteCheckpointer(file, (sql) => adapter.query(sql));
 * await checkpointer.stop(); // before closing the storage's connection
 * ```
 */
export async function sqliteCheckpointer(
  file: string,
  query: SqliteQuery,
  everyMs = 1000,
  walBytes = 4 * 1024 * 1024,
): Promise<SqliteCheckpointer> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(file, (err) =>
      err ? reject(err) : resolve(opened),
    );
  });
  db.configure('busyTimeout', 5000);
  await query('PRAGMA wal_autocheckpoint=0');
  let running: Promise<void> = Promise.resolve();
  const checkpoint = (): Promise<void> =>
    (running = running.then(
      () =>
        new Promise<void>((resolve) => db.all('PRAGMA wal_checkpoint(PASSIVE)', () => resolve())),
    ));
  const timer = setInterval(() => {
    stat(`${file}-wal`).then(
      (wal) => (wal.size >= walBytes ? checkpoint() : undefined),
      () => undefined,
    );
  }, everyMs);
  timer.unref();
  return {
    checkpoint,
    async stop() {
      clearInterval(timer);
      await checkpoint();
      await new Promise<void>((resolve) => db.close(() => resolve()));
      await query('PRAGMA wal_autocheckpoint=1000');
    },
  };
}
