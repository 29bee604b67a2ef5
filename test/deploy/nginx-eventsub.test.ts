import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  findNginx,
  httpsAgent,
  httpsRequest,
  startNginx,
  type NginxProcess,
} from '../helpers/nginx.js';
import { listenerCalls } from '../twitch/eventsub/fixtures/listener.js';
import {
  bot,
  cog,
  parsedLogs,
  startRuntime,
  startSandbox,
  type Harness,
  type Sandbox,
} from '../twitch/eventsub/helpers/harness.js';
import { retried, streamOnlineDelivery, type SignedDelivery } from './lib/deliveries.js';
import { requireTool } from './lib/require-tool.js';

// The runtime is wired in-process the way src/app.ts wires it (EventSub ingress on the shared
// server), with the Twitch sandbox for subscriptions; only the deliveries go through nginx.
const NGINX = requireTool('nginx', findNginx());

let sandbox: Sandbox | undefined;
let app: Harness | undefined;
let nginx: NginxProcess | undefined;
let aliceId = '';

function send(d: SignedDelivery, localAddress?: string, agent?: ReturnType<typeof httpsAgent>) {
  return httpsRequest(nginx!, {
    method: 'POST',
    path: d.path,
    headers: d.headers,
    body: d.body,
    localAddress,
    agent,
  });
}

function requestLogs(path: string): Record<string, unknown>[] {
  return parsedLogs(app!).filter((l) => l.msg === 'request' && l.path === path);
}

describe.skipIf(!NGINX)('a signed EventSub delivery over HTTPS through nginx', () => {
  beforeAll(async () => {
    sandbox = await startSandbox();
    aliceId = sandbox.world.ensureUser('alice').id;
    const online = { type: 'stream.online', condition: { broadcaster_user_id: aliceId } };
    app = await startRuntime(sandbox, {
      bots: [bot('alice', [cog('es-a', { subscriptions: [online] })])],
    });
    nginx = await startNginx({ upstreams: [new URL(app.runtime.url).host] });
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    await app?.stop();
    await sandbox?.close();
  }, 30_000);

  beforeEach(() => {
    listenerCalls().length = 0;
  });

  it('is verified and handled once; the app logs the client address and https', async () => {
    const d = streamOnlineDelivery(app!.eventsub.secret, aliceId, 'stream-1');
    const res = await send(d, '127.0.0.2');
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    await app!.eventsub.ingress.idle();
    expect(listenerCalls()).toMatchObject([
      { bot: 'alice', cog: 'es-a', id: d.messageId, type: 'stream.online' },
    ]);
    // (The sandbox's subscription challenge went straight to the app: other lines, other ip.)
    expect(requestLogs(d.path).filter((l) => l.ip === '127.0.0.2')).toMatchObject([
      { method: 'POST', status: res.status, scheme: 'https' },
    ]);
    // Twitch retrying the same message: acknowledged, not handled again.
    const again = await send(retried(d, 1), '127.0.0.2');
    expect(again.status).toBeLessThan(300);
    await app!.eventsub.ingress.idle();
    expect(listenerCalls()).toHaveLength(1);
  });

  it('a wrong signature is refused by the app, through nginx', async () => {
    const d = streamOnlineDelivery('not-the-secret-000', aliceId, 'stream-2');
    const res = await send(d);
    expect(res.status).toBe(403);
    await app!.eventsub.ingress.idle();
    expect(listenerCalls()).toEqual([]);
  });

  it('a body over the limit gets 413 from nginx and never reaches the app', async () => {
    const d = streamOnlineDelivery(app!.eventsub.secret, aliceId, 'stream-3', {
      padTo: 70 * 1024,
    });
    const res = await send(d);
    expect(res.status).toBe(413);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    const small = streamOnlineDelivery(app!.eventsub.secret, aliceId, 'stream-4');
    expect((await send(small)).status).toBeLessThan(300); // the app logs in order
    await app!.eventsub.ingress.idle();
    expect(requestLogs(d.path).filter((l) => l.status === 413)).toEqual([]);
    expect(listenerCalls().map((c) => c.event.id)).toEqual(['stream-4']);
  });

  it('100 deliveries at once from one Twitch address are all accepted (no rate limit) and handled once', async () => {
    const agent = httpsAgent(nginx!, 20);
    try {
      const deliveries = Array.from({ length: 100 }, (_, i) =>
        streamOnlineDelivery(app!.eventsub.secret, aliceId, `burst-${i}`),
      );
      const statuses = await Promise.all(deliveries.map((d) => send(d, undefined, agent)));
      expect(statuses.filter((r) => r.status < 200 || r.status >= 300)).toEqual([]);
      await app!.eventsub.ingress.idle();
      const ids = listenerCalls().map((c) => c.id);
      expect(ids).toHaveLength(100);
      expect(new Set(ids)).toEqual(new Set(deliveries.map((d) => d.messageId)));
    } finally {
      agent.destroy();
    }
  });
});
