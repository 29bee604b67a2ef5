import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStorage, type Storage } from '../../core/storage.js';
import { sqliteRows } from '../helpers/sqlite-rows.js';

let dir = '';
let storage: Storage | undefined;
afterEach(async () => {
  await storage?.close();
  storage = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Rows of keyv's table in the data folder's file. */
async function keyvRows(): Promise<string[]> {
  return (await sqliteRows(dir)).filter((r) => r.startsWith('keyv '));
}

describe('values with a TTL on SQLite', () => {
  it('are deleted from the file once expired, even when never read again; the rest stay', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'expiry-'));
    storage = await createStorage({ dataDir: dir, expiryPruneEveryMs: 100 });
    const store = storage.core('t');
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.set(`short:${i}`, { i }, 150)));
    await store.set('long', 'kept', 3_600_000);
    await store.set('forever', 'kept');
    expect(await keyvRows()).toHaveLength(202);

    const deadline = Date.now() + 5000;
    while ((await keyvRows()).length > 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const left = await keyvRows();
    expect(left).toHaveLength(2);
    expect(left.join('\n')).toContain('streamcogs:core:t:long');
    expect(left.join('\n')).toContain('streamcogs:core:t:forever');
    expect(await store.get('long')).toBe('kept');
    expect(await store.get('forever')).toBe('kept');
    expect(await store.get('short:7')).toBeUndefined();
  });
});
