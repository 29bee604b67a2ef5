import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listenerCalls } from './fixtures/listener.js';
import { cliDelivery, post } from './helpers/cli.js';
import {
  bot,
  cog,
  parsedLogs,
  startRuntime,
  startSandbox,
  until,
  type Harness,
  type RuntimeOptions,
  type Sandbox,
} from './helpers/harness.js';
import { sqliteRows } from '../../helpers/sqlite-rows.js';

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

const onlineOf = () => ({ type: 'stream.online', condition: { broadcaster_user_id: aliceId } });

async function start(extra: Partial<RuntimeOptions> = {}, delayMs = 0): Promise<Harness> {
  h = await startRuntime(sandbox, {
    bots: [bot('alice', [cog('es-a', { subscriptions: [onlineOf()], delayMs })])],
    ...extra,
  });
  return h;
}

function routeUrl(harness: Harness): string {
  return `${harness.runtime.url}/eventsub/event/stream.online.${aliceId}`;
}

function subscriptionId(): string {
  const sub = sandbox.world.eventSub
    .list()
    .find(
      (s) =>
        s.type === 'stream.online' &&
        s.condition.broadcaster_user_id === aliceId &&
        s.status === 'enabled',
    );
  if (!sub) throw new Error('no enabled stream.online subscription');
  return sub.id;
}

async function settle(harness: Harness): Promise<void> {
  await sandbox.api.eventSub.idle();
  await harness.eventsub.ingress.idle();
}

describe('EventSub ingress', () => {
  it('answers the challenge with 200, text/plain and the challenge as the body', async () => {
    const harness = await start();
    const verification = sandbox.api.eventSub.deliveries.findLast(
      (d) => d.messageType === 'webhook_callback_verification',
    );
    expect(verification).toMatchObject({ status: 200, ok: true });
    expect(sandbox.world.eventSub.get(subscriptionId())?.status).toBe('enabled');
    // The same as the Twitch CLI's verify-subscription: status, content type, exact body.
    const challenge = 'pogchamp-kappa-360noscope-vohiyo';
    const d = cliDelivery({
      secret: harness.eventsub.secret,
      type: 'stream.online',
      messageType: 'webhook_callback_verification',
      challenge,
    });
    const res = await post(routeUrl(harness), d);
    expect(res).toMatchObject({ status: 200, text: challenge });
    expect(res.type).toMatch(/^text\/plain/);
  });

  it('accepts a delivery signed like the Twitch CLI and hands it to the handler exactly once', async () => {
    const harness = await start();
    const event = {
      id: '9001',
      broadcaster_user_id: aliceId,
      broadcaster_user_login: 'alice',
      broadcaster_user_name: 'Alice',
      type: 'live',
      started_at: new Date().toISOString(),
    };
    const d = cliDelivery({ secret: harness.eventsub.secret, type: 'stream.online', event });
    const res = await post(routeUrl(harness), d);
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    await harness.eventsub.ingress.idle();
    expect(listenerCalls()).toEqual([
      { cog: 'es-a', bot: 'alice', id: d.messageId, type: 'stream.online', event },
    ]);
  });

  it('handles a sandbox notification once; the same message id again is acknowledged, not handled', async () => {
    const harness = await start();
    sandbox.world.goLive('alice');
    await settle(harness);
    expect(listenerCalls()).toHaveLength(1);
    const first = listenerCalls()[0]!;
    const again = await sandbox.api.eventSub.redeliver(first.id);
    expect(again.ok).toBe(true);
    await settle(harness);
    expect(listenerCalls()).toHaveLength(1);
    const metrics = await (await fetch(`${harness.runtime.url}/metrics`)).text();
    expect(metrics).toMatch(/streamcogs_eventsub_requests_total\{outcome="duplicate"\} 1/);
  });

  it('does not handle the same message id again after a restart with the same SQLite file', async () => {
    let harness = await start();
    sandbox.world.goLive('alice');
    await settle(harness);
    const [first] = listenerCalls();
    expect(first).toBeDefined();
    const dataDir = harness.dataDir;
    await harness.stop();
    h = undefined;
    harness = await start({ dataDir });
    const again = await sandbox.api.eventSub.redeliver(first!.id);
    expect(again.ok).toBe(true);
    await settle(harness);
    expect(listenerCalls()).toHaveLength(1);
    // A new message still gets through after the restart.
    sandbox.world.goOffline('alice');
    sandbox.world.goLive('alice');
    await settle(harness);
    expect(listenerCalls()).toHaveLength(2);
  });

  it('handles stream.online once per stream id, even under two message ids', async () => {
    const harness = await start();
    const event = {
      id: '777',
      broadcaster_user_id: aliceId,
      broadcaster_user_login: 'alice',
      type: 'live',
    };
    const [a] = await sandbox.api.eventSub.sendRaw({ type: 'stream.online', event });
    const [b] = await sandbox.api.eventSub.sendRaw({ type: 'stream.online', event });
    expect(a?.messageId).not.toBe(b?.messageId);
    expect([a?.ok, b?.ok]).toEqual([true, true]);
    await settle(harness);
    expect(listenerCalls().map((c) => c.event.id)).toEqual(['777']);
  });

  it('refuses a wrong or missing signature with 4xx: no handler, no storage write, a log line and a metric', async () => {
    const harness = await start();
    await harness.eventsub.stored(`stream.online@1?broadcaster_user_id=${aliceId}`); // writes done
    const rowsBefore = await sqliteRows(harness.dataDir);
    const [bad] = await sandbox.api.eventSub.sendRaw({
      type: 'stream.online',
      event: { id: '1', broadcaster_user_id: aliceId },
      badSignature: true,
    });
    expect(bad?.status).toBe(403);
    const unsigned = cliDelivery({
      secret: harness.eventsub.secret,
      type: 'stream.online',
      unsigned: true,
    });
    expect((await post(routeUrl(harness), unsigned)).status).toBe(403);
    const otherSecret = cliDelivery({
      secret: harness.eventsub.secret,
      signWith: 'not-the-secret-0000',
      type: 'stream.online',
    });
    expect((await post(routeUrl(harness), otherSecret)).status).toBe(403);
    await harness.eventsub.ingress.idle();
    expect(listenerCalls()).toEqual([]);
    expect(await sqliteRows(harness.dataDir)).toEqual(rowsBefore);
    // Nothing was claimed for that message id either.
    expect(
      await harness.runtime.storage.core('eventsub').claim(`msg:${unsigned.messageId}`, 1000),
    ).toBe(true);
    const warnings = parsedLogs(harness).filter((l) =>
      String(l.msg).includes('wrong or missing signature'),
    );
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${harness.runtime.url}/metrics`)).text();
    expect(metrics).toMatch(/streamcogs_eventsub_requests_total\{outcome="bad_signature"\} 3/);
  });

  it('answers 413 to a body over 64 KB before hashing it, with or without Content-Length', async () => {
    const harness = await start();
    const big = cliDelivery({
      secret: harness.eventsub.secret,
      type: 'stream.online',
      padTo: 70 * 1024,
    });
    const res = await post(routeUrl(harness), big);
    expect(res.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const url = new URL(routeUrl(harness));
      const req = request(url, { method: 'POST', headers: { ...big.headers } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write('x'.repeat(1024)); // no Content-Length: chunked
      req.end();
    });
    expect(chunked).toBe(413);
    await harness.eventsub.ingress.idle();
    expect(listenerCalls()).toEqual([]);
  });

  it('refuses a timestamp far in the future and ignores an 11-minute-old message', async () => {
    const harness = await start();
    const event = { id: '55', broadcaster_user_id: aliceId };
    const [future] = await sandbox.api.eventSub.sendRaw({
      type: 'stream.online',
      event,
      futureBy: 30 * 60_000,
    });
    expect(future?.status).toBe(400);
    const [stale] = await sandbox.api.eventSub.sendRaw({
      type: 'stream.online',
      event,
      staleBy: 11 * 60_000,
    });
    expect(stale?.ok).toBe(true);
    await harness.eventsub.ingress.idle();
    expect(listenerCalls()).toEqual([]);
    const metrics = await (await fetch(`${harness.runtime.url}/metrics`)).text();
    expect(metrics).toMatch(/outcome="future"\} 1/);
    expect(metrics).toMatch(/outcome="stale"\} 1/);
  });

  it('answers a revocation with 2xx and marks the subscription, with what to do', async () => {
    const harness = await start();
    const id = subscriptionId();
    const rec = await sandbox.api.eventSub.revoke(id, 'authorization_revoked');
    expect(rec?.ok).toBe(true);
    const key = `stream.online@1?broadcaster_user_id=${aliceId}`;
    await until(
      async () => (await harness.eventsub.stored(key))?.status === 'authorization_revoked',
    );
    const stored = await harness.eventsub.stored(key);
    expect(stored).toMatchObject({
      status: 'authorization_revoked',
      lastRevocation: { status: 'authorization_revoked' },
    });
    expect(stored?.fix).toContain(`user ${aliceId} must authorize`);
    const logged = parsedLogs(harness).find((l) => String(l.msg).includes('revoked'));
    expect(logged?.level).toBe(50);
  });

  it('acknowledges before a slow handler finishes', async () => {
    const harness = await start({}, 1500);
    const d = cliDelivery({
      secret: harness.eventsub.secret,
      type: 'stream.online',
      event: { id: 's1' },
    });
    const started = Date.now();
    const res = await post(routeUrl(harness), d);
    expect(res.status).toBe(202);
    expect(listenerCalls()).toEqual([]); // the handler is still sleeping
    expect(Date.now() - started).toBeLessThan(1200);
    await harness.eventsub.ingress.idle();
    expect(listenerCalls()).toHaveLength(1);
  });

  it('answers 503 (Twitch retries) when too many notifications wait for slow handlers', async () => {
    const harness = await start({ ingress: { maxPending: 1 } }, 1000);
    const first = cliDelivery({
      secret: harness.eventsub.secret,
      type: 'stream.online',
      event: { id: 'p1' },
    });
    const second = cliDelivery({
      secret: harness.eventsub.secret,
      type: 'stream.online',
      event: { id: 'p2' },
    });
    expect((await post(routeUrl(harness), first)).status).toBe(202);
    await until(() => harness.eventsub.ingress.pending === 1);
    expect((await post(routeUrl(harness), second)).status).toBe(503);
    await harness.eventsub.ingress.idle();
    expect(listenerCalls().map((c) => c.event.id)).toEqual(['p1']);
  });
});
