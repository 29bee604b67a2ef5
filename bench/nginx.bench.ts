import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { eventSubHeaders } from '../src/sandbox/twitch/eventsub/signing.js';
import { findNginx, startNginx, type NginxProcess } from '../test/helpers/nginx.js';
import { spawnDaemon, stopDaemon } from '../test/helpers/processes.js';
import { findRedisServer, startRedis } from '../test/helpers/redis.js';
import { defineBench, type BenchFigure } from './harness.js';

/**
 * Verified EventSub deliveries per second: straight to one instance (plain HTTP), through
 * nginx (HTTPS) to one instance, and through nginx to two instances sharing Redis. Each
 * delivery is freshly signed (new message id, so none is a duplicate) and must be answered
 * 2xx, which the ingress does only after checking the signature and claiming the id in Redis.
 *
 * Instances are separate processes (this file, run with STREAMCOGS_NGINX_BENCH_INSTANCE=1),
 * wired like the deployment tests; the load runs here. Two cores are shared by the load,
 * nginx, the instances and Redis, so two instances cannot double anything: the figure says
 * what scaling out costs or gains on this machine.
 */
const SECONDS = Math.min(10, Number(process.env.BENCH_SECONDS ?? 10));
const SECRET = 'nginx-bench-secret-0123456789';
const INSTANCE_FLAG = 'STREAMCOGS_NGINX_BENCH_INSTANCE';

interface Instance {
  url: string;
  hostPort: string;
  aliceId: string;
  stop(): Promise<void>;
}

/** Child mode: one runtime with the EventSub ingress, until SIGTERM. */
async function runInstance(): Promise<void> {
  const { bot, cog, startRuntime, startSandbox } =
    await import('../test/twitch/eventsub/helpers/harness.js');
  const { listenerCalls } = await import('../test/twitch/eventsub/fixtures/listener.js');
  const sandbox = await startSandbox();
  const aliceId = sandbox.world.ensureUser('alice').id;
  const online = { type: 'stream.online', condition: { broadcaster_user_id: aliceId } };
  const h = await startRuntime(sandbox, {
    bots: [bot('alice', [cog('es-a', { subscriptions: [online] })])],
    storageUrl: process.env.STORAGE_URL,
    env: { EVENTSUB_SECRET: SECRET },
  });
  // Keep memory flat during the load: the harness keeps log lines, the fixture keeps calls.
  const trim = setInterval(() => {
    h.logs.length = 0;
    listenerCalls().length = 0;
  }, 1000);
  process.once('SIGTERM', () => {
    clearInterval(trim);
    void h
      .stop()
      .then(() => sandbox.close())
      .finally(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ url: h.runtime.url, aliceId })}\n`);
}

async function startInstance(storageUrl: string): Promise<Instance> {
  const child = spawnDaemon(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [INSTANCE_FLAG]: '1', STORAGE_URL: storageUrl },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stopDaemon(child, 'SIGKILL');
      reject(new Error(`instance did not start in 60 s: ${err}`));
    }, 60_000);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const info = JSON.parse(line) as { url: string; aliceId: string };
      resolve({
        url: info.url,
        hostPort: new URL(info.url).host,
        aliceId: info.aliceId,
        stop: () => stopDaemon(child, 'SIGTERM', 10_000),
      });
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}: ${err}`)));
  });
}

/** A freshly signed `stream.online` delivery for every request. */
function signedRequest(aliceId: string): autocannon.Request {
  const path = `/eventsub/event/stream.online.${aliceId}`;
  return {
    method: 'POST',
    path,
    setupRequest: (req) => {
      const messageId = randomUUID();
      const timestamp = new Date().toISOString();
      const body = JSON.stringify({
        subscription: {
          id: 'bench',
          status: 'enabled',
          type: 'stream.online',
          version: '1',
          condition: { broadcaster_user_id: aliceId },
          transport: { method: 'webhook', callback: `https://localhost${path}` },
          created_at: timestamp,
          cost: 0,
        },
        event: { id: messageId, broadcaster_user_id: aliceId, type: 'live' },
      });
      const headers = eventSubHeaders({
        secret: SECRET,
        messageId,
        timestamp,
        body,
        messageType: 'notification',
        subscriptionType: 'stream.online',
        subscriptionVersion: '1',
        retry: 0,
      });
      return { ...req, method: 'POST', path, headers, body };
    },
  };
}

interface Phase {
  rps: number;
  p99: number;
  bad: number;
}

async function load(url: string, aliceId: string, servername?: string): Promise<Phase> {
  const result = await autocannon({
    url,
    duration: SECONDS,
    connections: 20,
    servername,
    requests: [signedRequest(aliceId)],
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    bad: result.errors + result.timeouts + result.non2xx,
  };
}

async function throughNginx(upstreams: Instance[]): Promise<Phase> {
  const nginx: NginxProcess = await startNginx({
    upstreams: upstreams.map((i) => i.hostPort),
    workers: 'auto',
  });
  try {
    return await load(`https://127.0.0.1:${nginx.httpsPort}`, upstreams[0]!.aliceId, 'localhost');
  } finally {
    await nginx.stop();
  }
}

if (process.env[INSTANCE_FLAG]) await runInstance();

export default defineBench({
  name: 'nginx',
  async run() {
    if (!findNginx() || !findRedisServer()) {
      console.error('nginx bench skipped: apt-get install -y nginx redis-server');
      return [];
    }
    const redis = await startRedis();
    const instances: Instance[] = [];
    try {
      instances.push(await startInstance(redis.url), await startInstance(redis.url));
      const [a] = instances as [Instance, Instance];
      const direct = await load(a.url, a.aliceId);
      const one = await throughNginx([a]);
      const two = await throughNginx(instances);
      const figures: BenchFigure[] = [
        { name: 'nginx.deliveries.direct.rps', value: direct.rps, unit: 'req/s' },
        {
          name: 'nginx.deliveries.one-instance.rps',
          value: one.rps,
          unit: 'req/s',
          baseline: direct.rps,
        },
        {
          name: 'nginx.deliveries.two-instances.rps',
          value: two.rps,
          unit: 'req/s',
          baseline: one.rps,
        },
        {
          name: 'nginx.deliveries.two-instances.p99',
          value: two.p99,
          unit: 'ms',
          baseline: one.p99,
        },
        {
          name: 'nginx.deliveries.failed',
          value: direct.bad + one.bad + two.bad,
          unit: 'requests',
          goal: '= 0',
          pass: direct.bad + one.bad + two.bad === 0,
        },
      ];
      return figures;
    } finally {
      for (const i of instances) await i.stop();
      await redis.stop();
    }
  },
});
