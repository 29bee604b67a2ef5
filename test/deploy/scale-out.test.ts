import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  findNginx,
  httpsAgent,
  httpsRequest,
  startNginx,
  type NginxProcess,
  type TestResponse,
} from '../helpers/nginx.js';
import { findRedisServer, startRedis, type RedisProcess } from '../helpers/redis.js';
import { listenerCalls } from '../twitch/eventsub/fixtures/listener.js';
import {
  bot,
  cog,
  startRuntime,
  startSandbox,
  type Harness,
  type Sandbox,
} from '../twitch/eventsub/helpers/harness.js';
import { retried, streamOnlineDelivery, type SignedDelivery } from './lib/deliveries.js';
import { requireTool } from './lib/require-tool.js';

// Two instances share one redis-server (STORAGE_URL=redis://...) behind nginx's upstream.
// They are wired in-process the way src/app.ts wires one (the EventSub ingress on each shared
// server) so that one handler list sees every call, whichever instance made it.
const NGINX = requireTool('nginx', findNginx());
const REDIS = requireTool('redis-server', findRedisServer());
const SECRET = 'scale-out-secret-0123456789';

let redis: RedisProcess | undefined;
let sandbox: Sandbox | undefined;
let nginx: NginxProcess | undefined;
const instances: Harness[] = [];
const stopped = new Set<Harness>();
let aliceId = '';

function hostOf(h: Harness): string {
  return new URL(h.runtime.url).host;
}

async function stopInstance(h: Harness): Promise<void> {
  if (stopped.has(h)) return;
  stopped.add(h);
  await h.stop();
}

/** Sends `deliveries` in order, `concurrency` at a time; `onSent(i)` after each response. */
async function sendAll(
  deliveries: SignedDelivery[],
  concurrency: number,
  onSent?: (done: number) => void,
): Promise<TestResponse[]> {
  const agent = httpsAgent(nginx!, concurrency);
  const results: TestResponse[] = new Array(deliveries.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < deliveries.length) {
      const i = next++;
      const d = deliveries[i]!;
      results[i] = await httpsRequest(nginx!, {
        method: 'POST',
        path: d.path,
        headers: d.headers,
        body: d.body,
        agent,
      });
      onSent?.(++done);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return results;
}

async function settle(): Promise<void> {
  await Promise.all(instances.map((h) => h.eventsub.ingress.idle()));
}

async function counter(h: Harness, outcome: string): Promise<number> {
  const text = await h.runtime.metrics.registry.metrics();
  const m = new RegExp(`streamcogs_eventsub_requests_total\\{outcome="${outcome}"\\} (\\d+)`).exec(
    text,
  );
  return Number(m?.[1] ?? 0);
}

/** Which upstream served each POST to /eventsub, from nginx's access log (from line `from`). */
async function upstreamCounts(from = 0): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of (await nginx!.accessLog()).slice(from)) {
    if (!line.includes('"POST /eventsub/')) continue;
    // `$remote_addr $status $upstream_addr "$request"`; `$upstream_addr` lists every
    // instance tried ("a:1, b:2" after a failover): the last one answered.
    const upstreams = line.slice(0, line.indexOf('"')).trim().split(' ').slice(2).join(' ');
    const served = upstreams.split(', ').at(-1) ?? '';
    counts.set(served, (counts.get(served) ?? 0) + 1);
  }
  return counts;
}

describe.skipIf(!NGINX || !REDIS)('two instances sharing Redis behind nginx', () => {
  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox();
    aliceId = sandbox.world.ensureUser('alice').id;
    const online = { type: 'stream.online', condition: { broadcaster_user_id: aliceId } };
    for (let i = 0; i < 2; i++)
      instances.push(
        await startRuntime(sandbox, {
          bots: [bot('alice', [cog('es-a', { subscriptions: [online] })])],
          storageUrl: redis.url,
          env: { EVENTSUB_SECRET: SECRET },
        }),
      );
    nginx = await startNginx({ upstreams: instances.map(hostOf) });
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    for (const h of instances) await stopInstance(h).catch(() => {});
    await sandbox?.close();
    await redis?.stop();
  }, 30_000);

  beforeEach(() => {
    listenerCalls().length = 0;
  });

  it('shares one storage: both instances use Redis and the same EventSub secret', () => {
    expect(instances.map((h) => h.runtime.storage.kind)).toEqual(['redis', 'redis']);
    expect(instances.map((h) => h.eventsub.secret)).toEqual([SECRET, SECRET]);
  });

  it('1,000 signed deliveries round-robin with 10% repeats: each is handled exactly once', async () => {
    const unique: SignedDelivery[] = [];
    const sequence: SignedDelivery[] = [];
    for (let i = 0; i < 1000; i++) {
      // Exactly 10 in every 100, at odd and even positions alike (round-robin alternates
      // instances, so every 10th would always reach the same one).
      if ((i * 37 + 11) % 100 < 10) {
        // Twitch retrying a message it already sent (maybe still in flight on the other instance).
        sequence.push(retried(unique[(i * 7) % unique.length]!, 1));
      } else {
        const d = streamOnlineDelivery(SECRET, aliceId, `s-${i}`);
        unique.push(d);
        sequence.push(d);
      }
    }
    const before = await Promise.all(instances.map((h) => counter(h, 'duplicate')));
    const responses = await sendAll(sequence, 16);
    expect(responses.filter((r) => r.status < 200 || r.status >= 300)).toEqual([]);
    await settle();

    const handled = listenerCalls().map((c) => c.id);
    expect(handled).toHaveLength(900);
    expect(new Set(handled)).toEqual(new Set(unique.map((d) => d.messageId)));
    // Both instances served deliveries, and both saw repeats of messages the other handled.
    const counts = await upstreamCounts();
    for (const h of instances) expect(counts.get(hostOf(h)) ?? 0).toBeGreaterThan(300);
    const duplicates = await Promise.all(instances.map((h) => counter(h, 'duplicate')));
    const added = duplicates.map((d, i) => d - before[i]!);
    expect(added[0]! + added[1]!).toBe(100);
    expect(Math.min(...added)).toBeGreaterThan(0);
  }, 60_000);

  it('an instance stopping midway: nginx passes its deliveries to the other, none lost or doubled', async () => {
    const [a, b] = instances as [Harness, Harness];
    const deliveries = Array.from({ length: 200 }, (_, i) =>
      streamOnlineDelivery(SECRET, aliceId, `k-${i}`),
    );
    const logFrom = (await nginx!.accessLog()).length;
    let stopping: Promise<void> | undefined;
    const responses = await sendAll(deliveries, 8, (done) => {
      if (done === 100) stopping = stopInstance(a);
    });
    await stopping;
    expect(responses.filter((r) => r.status < 200 || r.status >= 300)).toEqual([]);
    await b.eventsub.ingress.idle();
    const counts = await upstreamCounts(logFrom);
    // Everything sent after the stop began went to b (some retried there after a 503 or a
    // refused connection: `$upstream_addr` then lists both).
    expect(counts.get(hostOf(b)) ?? 0).toBeGreaterThan(100);
    const handled = listenerCalls().map((c) => c.id);
    expect(handled).toHaveLength(200);
    expect(new Set(handled)).toEqual(new Set(deliveries.map((d) => d.messageId)));
    // The survivor still answers through nginx.
    const last = streamOnlineDelivery(SECRET, aliceId, 'k-last');
    const res = await httpsRequest(nginx!, {
      method: 'POST',
      path: last.path,
      headers: last.headers,
      body: last.body,
    });
    expect(res.status).toBeLessThan(300);
  }, 60_000);
});
