import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStorage, type Storage, type Store } from '../../../core/storage.js';
import { EventLog } from '../../../plugins/eventsub/event-log.js';
import type { StoredEvent } from '../../../plugins/eventsub/types.js';

function event(n: number): StoredEvent {
  return {
    id: `msg-${n}`,
    type: 'channel.cheer',
    broadcaster_user_id: '1',
    broadcaster_user_login: 'streamer',
    broadcaster_user_name: 'Streamer',
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    source: 'eventsub',
    event: { bits: n },
  };
}

let storage: Storage | undefined;
let dir: string | undefined;
afterEach(async () => {
  await storage?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the eventsub cog's event log", () => {
  it('keeps the newest events up to its bound, newest first, across a restart', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-eventlog-'));
    storage = await createStorage({ dataDir: dir });
    const log = new EventLog(storage.forCog('alice', 'eventsub'), 5, 60_000);
    for (let n = 1; n <= 8; n++) log.add(event(n));
    expect(log.size).toBe(5);
    expect(log.latest(50).map((e) => e.id)).toEqual(['msg-8', 'msg-7', 'msg-6', 'msg-5', 'msg-4']);
    expect(log.latest(2).map((e) => e.id)).toEqual(['msg-8', 'msg-7']);
    expect(log.latest(-1)).toEqual([]);
    await log.flush();
    await storage.close();

    storage = await createStorage({ dataDir: dir });
    const next = new EventLog(storage.forCog('alice', 'eventsub'), 5, 60_000);
    next.add(event(9)); // arrived before the stored list was read
    await next.load();
    expect(next.latest(50).map((e) => e.id)).toEqual(['msg-9', 'msg-8', 'msg-7', 'msg-6', 'msg-5']);
    await next.flush();
  });

  it('says when the list could not be stored, and keeps it in memory', async () => {
    const refused = new Error('disk full');
    const failing = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.reject(refused),
    } as unknown as Store;
    const errors: unknown[] = [];
    const log = new EventLog(failing, 5, 60_000, (err) => errors.push(err));
    log.add(event(1));
    await log.flush();
    expect(errors).toEqual([refused]);
    expect(log.latest(5).map((e) => e.id)).toEqual(['msg-1']);
  });
});
