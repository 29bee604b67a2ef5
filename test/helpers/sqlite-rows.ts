import path from 'node:path';
import sqlite3 from 'sqlite3';

/**
 * Every row of every table in the data folder's SQLite file, as text, sorted: what the
 * storage holds, independent of where SQLite keeps it (main file or WAL) and of background
 * checkpoints, which move bytes between the two without changing a row.
 *
 * @example
 * ```ts
 * const before = await sqliteRows(dataDir);
 * await forgedRequest();
 * expect(await sqliteRows(dataDir)).toEqual(before);
 * ```
 */
export async function sqliteRows(dataDir: string, file = 'streamcogs.sqlite'): Promise<string[]> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(
      path.join(dataDir, file),
      sqlite3.OPEN_READONLY,
      (err) => (err ? reject(err) : resolve(opened)),
    );
  });
  const all = (sql: string) =>
    new Promise<Record<string, unknown>[]>((resolve, reject) =>
      db.all(sql, (err, rows: Record<string, unknown>[]) => (err ? reject(err) : resolve(rows))),
    );
  try {
    const tables = await all(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`);
    const rows: string[] = [];
    for (const { name } of tables) {
      for (const row of await all(`SELECT * FROM "${String(name)}"`))
        rows.push(`${String(name)} ${JSON.stringify(row)}`);
    }
    return rows.sort();
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}
