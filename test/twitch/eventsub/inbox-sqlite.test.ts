import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.js';
import { RetryJobLater } from '../../../core/index.js';
import { createStorage, type Storage } from '../../../core/storage.js';
import { EventSubInbox, type InboxOptions } from '../../../src/twitch/eventsub/inbox.js';
import type { IngressNotification } from '../../../src/twitch/eventsub/ingress-types.js';
import { eventSubMetrics } from '../../../src/twitch/eventsub/metrics.js';

const dirs: string[] = [];
const open: Storage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function storageAt(file?: string): Promise<{ storage: Storage; file: string }> {
  let at = file;
  if (!at) {
    const dir = await mkdtemp(path.join(tmpdir(), 'inbox-sqlite-'));
    dirs.push(dir);
    at = path.join(dir, 'streamcogs.sqlite');
  }
  const storage = await createStorage({ url: `sqlite://${at}` });
  open.push(storage);
  return { storage, file: at };
}

function inbox(
  storage: Storage,
  dispatch: InboxOptions['dispatch'],
  o: { keyv?: boolean; leaseMs?: number } = {},
): EventSubInbox {
  return new EventSubInbox({
    store: storage.core('eventsub-inbox'),
    sql: o.keyv ? undefined : storage.sql,
    log: createLogger({ level: 'silent' }),
    metrics: eventSubMetrics(new Registry()),
    dispatch,
    dedupeTtlMs: 660_000,
    streamDedupeTtlMs: 43_200_000,
    retentionMs: 3_600_000,
    leaseMs: o.leaseMs ?? 60_000,
    concurrency: 1,
    pollMs: 50,
  });
}

const cheer = (messageId: string): IngressNotification => ({
  twurpleId: 'channel.cheer.42',
  messageId,
  type: 'channel.cheer',
  version: '1',
  event: { bits: 100 },
  at: new Date(),
});

const never = () => new Promise<void>(() => {});

describe('the EventSub inbox on SQLite', () => {
  it('leaves what it did not start free for the next start at once, not after the lease', async () => {
    const { storage, file } = await storageAt();
    const first = inbox(storage, never); // concurrency 1: a runs (forever), b waits
    await first.start();
    expect(await first.accept(cheer('a'))).toBe('accepted');
    expect(await first.accept(cheer('b'))).toBe('accepted');
    await first.stop(10);
    await storage.close();

    const seen: string[] = [];
    const { storage: again } = await storageAt(file);
    const second = inbox(again, async (n) => void seen.push(n.messageId));
    await second.start();
    await second.idle(2000);
    expect(seen).toEqual(['b']); // a is still leased to the first (it may still run there)
    expect(await second.accept(cheer('b'))).toBe('duplicate');
    expect(await second.accept(cheer('a'))).toBe('duplicate');
    await second.stop();
  });

  it('runs a notification again later when its dispatch asks to (RetryJobLater)', async () => {
    const { storage } = await storageAt();
    let calls = 0;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const box = inbox(storage, async () => {
      if (++calls === 1) throw new RetryJobLater(100, 'not ready');
      resolve();
    });
    await box.start();
    expect(await box.accept(cheer('r'))).toBe('accepted');
    await done;
    await box.stop();
    expect(calls).toBe(2);
  });

  it('takes over the notifications and dedupe keys an older version left in keyv rows', async () => {
    const { storage, file } = await storageAt();
    const old = inbox(storage, never, { keyv: true, leaseMs: 200 });
    await old.start();
    expect(await old.accept(cheer('left'))).toBe('accepted');
    await old.stop(10);
    await storage.close();

    const seen: string[] = [];
    const { storage: again } = await storageAt(file);
    const upgraded = inbox(again, async (n) => void seen.push(n.messageId));
    await upgraded.start();
    expect(await upgraded.accept(cheer('left'))).toBe('duplicate');
    for (let i = 0; i < 60 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['left']);
    await upgraded.stop();
  });
});
