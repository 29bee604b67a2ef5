import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listenerCalls } from './fixtures/listener.js';
import { cliDelivery, post } from './helpers/cli.js';
import {
  bot,
  cog,
  startRuntime,
  startSandbox,
  type Harness,
  type Sandbox,
} from './helpers/harness.js';

let sandbox: Sandbox;
let h: Harness | undefined;
let aliceId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  aliceId = sandbox.world.ensureUser('alice').id;
});
afterAll(async () => sandbox.close());
beforeEach(() => {
  listenerCalls().length = 0;
});
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(delayMs: number): Promise<Harness> {
  const online = { type: 'stream.online', condition: { broadcaster_user_id: aliceId } };
  h = await startRuntime(sandbox, {
    bots: [bot('alice', [cog('es-a', { subscriptions: [online], delayMs })])],
  });
  return h;
}

/** Inbox rows committed to the runtime's SQLite file, read through a connection of our own. */
async function inboxOnDisk(dataDir: string, like: string): Promise<string[]> {
  const file = path.join(dataDir, 'streamcogs.sqlite');
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  try {
    return await new Promise<string[]>((resolve, reject) =>
      db.all(
        'SELECT key FROM streamcogs_eventsub_inbox WHERE key LIKE ? ORDER BY key',
        [like],
        (err: Error | null, rows: { key: string }[]) =>
          err ? reject(err) : resolve(rows.map((r) => r.key)),
      ),
    );
  } finally {
    await new Promise((r) => db.close(r));
  }
}

/** Another process's write transaction on the file (`BEGIN IMMEDIATE`) until `release()`. */
async function writeLock(dataDir: string): Promise<{ release(): Promise<void> }> {
  const db = new sqlite3.Database(path.join(dataDir, 'streamcogs.sqlite'));
  const run = (sql: string) =>
    new Promise<void>((resolve, reject) =>
      db.run(sql, (err: Error | null) => (err ? reject(err) : resolve())),
    );
  await run('BEGIN IMMEDIATE');
  return {
    async release() {
      await run('COMMIT');
      await new Promise((r) => db.close(r));
    },
  };
}

describe('EventSub acknowledgement', () => {
  it('waits for the claim to commit (held back by another writer), then goes out before the handler ran', async () => {
    const harness = await start(1000);
    const d = cliDelivery({
      secret: harness.eventsub.secret,
      type: 'stream.online',
      event: { id: 'claim-1', broadcaster_user_id: aliceId },
    });
    const writer = await writeLock(harness.dataDir);
    let answered = false;
    const reply = post(`${harness.runtime.url}/eventsub/event/stream.online.${aliceId}`, d);
    void reply.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 400));
    expect(answered).toBe(false); // the claim cannot commit while the other writer holds the lock
    await writer.release();
    expect((await reply).status).toBe(202);
    // In the inbox: a stream.online is keyed by its stream id, its message id marked too.
    expect(await inboxOnDisk(harness.dataDir, '%')).toEqual([
      `msg:${d.messageId}`,
      'stream:claim-1',
    ]);
    expect(listenerCalls()).toEqual([]); // still sleeping: the ack did not wait for it
    await harness.eventsub.ingress.idle();
    expect(listenerCalls().map((c) => c.event.id)).toEqual(['claim-1']);
  });

  it('claims nothing for a route nobody subscribed to (410) or a body that is not JSON (400)', async () => {
    const harness = await start(0);
    const stranger = cliDelivery({ secret: harness.eventsub.secret, type: 'stream.online' });
    const unrouted = await post(`${harness.runtime.url}/eventsub/event/stream.online.1`, stranger);
    expect(unrouted.status).toBe(410);
    const broken = cliDelivery({ secret: harness.eventsub.secret, type: 'stream.online' });
    const { createHmac } = await import('node:crypto');
    const body = '{"subscription":';
    const ts = broken.headers['Twitch-Eventsub-Message-Timestamp'] as string;
    const sig = createHmac('sha256', harness.eventsub.secret)
      .update(broken.messageId + ts + body)
      .digest('hex');
    broken.headers['Twitch-Eventsub-Message-Signature'] = `sha256=${sig}`;
    const bad = await post(`${harness.runtime.url}/eventsub/event/stream.online.${aliceId}`, {
      ...broken,
      body,
    });
    expect(bad.status).toBe(400);
    expect(await inboxOnDisk(harness.dataDir, '%')).toEqual([]);
    expect(listenerCalls()).toEqual([]);
  });
});
