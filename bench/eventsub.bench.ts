/**
 * EventSub ingress: verified notifications/s through the shared server (signature check,
 * message-id dedupe in storage, handler, bus) beside a bare node:http server doing the same
 * HMAC verification with an in-memory Set, and the p99 acknowledgement latency at 1,000
 * notifications/s. Each server runs in its own child process (this file, re-run with
 * EVENTSUB_BENCH_ROLE) so the load generator never shares its event loop; requests are
 * signed ahead of time so signing does not limit the load.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { defineBench, type BenchFigure } from './harness.js';

const SECONDS = Math.min(10, Number(process.env.BENCH_SECONDS ?? 8));
const RATE_SECONDS = 5;
const SECRET = 'bench-eventsub-secret-0123456789';
const ROUTE = '/eventsub/event/channel.cheer.4242';
const SELF = fileURLToPath(import.meta.url);

/** What a server child reports at `/stats`. */
interface Stats {
  handled: number;
  pending: number;
  /** Event-loop delay p99 of the server, ms. */
  eldP99: number;
}

function statsOf(handled: number, pending: number, eld: { percentile(p: number): number }): Stats {
  return { handled, pending, eldP99: eld.percentile(99) / 1e6 };
}

/** The baseline: same checks (size, HMAC, window), a Set for dedupe, a counter. */
async function serveBare(): Promise<string> {
  const seen = new Set<string>();
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  let handled = 0;
  const server = createServer((req, res) => {
    if (req.url === '/stats') return void res.end(JSON.stringify(statsOf(handled, 0, eld)));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const h = (name: string): string => String(req.headers[name] ?? '');
      const [id, ts] = [h('twitch-eventsub-message-id'), h('twitch-eventsub-message-timestamp')];
      const body = Buffer.concat(chunks);
      if (body.length > 65536) return void res.writeHead(413).end();
      const expected = createHmac('sha256', SECRET).update(id).update(ts).update(body).digest();
      const given = Buffer.from(h('twitch-eventsub-message-signature').slice(7), 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return void res.writeHead(403).end();
      res.writeHead(202, { 'content-type': 'text/plain' }).end('OK');
      if (Date.parse(ts) < Date.now() - 600_000 || seen.has(id)) return;
      seen.add(id);
      JSON.parse(body.toString('utf8'));
      handled++;
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The shared server: Runtime + EventSubService on the storage given, a handler emitting on the bus. */
async function serveShared(storageUrl: string | undefined): Promise<string> {
  const { Runtime } = await import('../core/runtime.js');
  const { PluginCatalog } = await import('../core/catalog.js');
  const { createLogger } = await import('../core/log.js');
  const { EventSubService } = await import('../src/twitch/eventsub/index.js');
  type Service = Awaited<ReturnType<typeof EventSubService.create>>;
  const log = createLogger({ level: 'warn', pretty: false, destination: { write: () => {} } });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-eventsub-'));
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  let service: Service | undefined;
  let handled = 0;
  const runtime = await Runtime.start({
    config: { file: path.join(dataDir, 'bots.yaml'), bots: [] },
    catalog: new PluginCatalog({ dirs: [] }),
    platforms: () => {
      throw new Error('no bots in this bench');
    },
    log,
    port: 0,
    dataDir,
    storageUrl,
    publicUrl: 'https://bench.example.test',
    routes: async (http, rt) => {
      const env = { EVENTSUB_SECRET: SECRET };
      service = await EventSubService.create({
        storage: rt.storage,
        registry: rt.metrics.registry,
        log,
        env,
      });
      http.app.use(service.routes());
      http.app.use(async (ctx, next) => {
        if (ctx.path !== '/stats') return next();
        ctx.body = statsOf(handled, service?.ingress.pending ?? 0, eld);
      });
    },
    onListening: (rt) => (service as Service).listen(rt.publicUrl),
  });
  runtime.bus.on('twitch:channel.cheer', () => void handled++);
  const scope = {
    bot: 'bench',
    cog: 'bench',
    log,
    signal: new AbortController().signal,
    track: <D>(d: D) => d,
    guard:
      <A extends unknown[]>(_label: string, fn: (...args: A) => unknown) =>
      async (...args: A) =>
        void (await fn(...args)),
  };
  const secrets = { clientId: 'bench-client', clientSecret: 'bench-secret' };
  const facet = (service as Service).facetFor({ name: 'bench', secrets })(scope);
  facet.on('channel.cheer', { broadcaster_user_id: '4242' }, async (n) => {
    const at = n.at.toISOString();
    const payload = { bot: 'bench', channel: 'bench', type: n.type, version: n.version, at };
    await runtime.bus.emit('twitch:channel.cheer', {
      ...payload,
      messageId: n.id,
      source: 'eventsub',
      event: n.event as never,
    });
  });
  return runtime.url;
}

/** `count` notifications signed as Twitch signs them, each with its own message id. */
function signedPool(count: number): { headers: Record<string, string>; body: string }[] {
  const event = {
    broadcaster_user_id: '4242',
    user_login: 'viewer',
    message: 'Cheer100 hi',
    bits: 100,
  };
  const body = JSON.stringify({ subscription: { type: 'channel.cheer', version: '1' }, event });
  return Array.from({ length: count }, () => {
    const [id, ts] = [randomUUID(), new Date().toISOString()];
    const sig = createHmac('sha256', SECRET)
      .update(id + ts + body)
      .digest('hex');
    const h = (name: string, value: string) => [`twitch-eventsub-${name}`, value];
    const headers = Object.fromEntries([
      ['content-type', 'application/json'],
      h('message-id', id),
      h('message-timestamp', ts),
      h('message-signature', `sha256=${sig}`),
      h('message-type', 'notification'),
      h('subscription-type', 'channel.cheer'),
      h('subscription-version', '1'),
    ]) as Record<string, string>;
    return { body, headers };
  });
}

async function startChild(
  role: string,
  storage?: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], {
    env: { ...process.env, EVENTSUB_BENCH_ROLE: role, EVENTSUB_BENCH_STORAGE: storage ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${role} server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(line.trim()));
  });
  return { child, url };
}

const stats = async (url: string): Promise<Stats> =>
  (await (await fetch(`${url}/stats`)).json()) as Stats;

function fire(
  url: string,
  pool: ReturnType<typeof signedPool>,
  options: Partial<autocannon.Options>,
) {
  let next = 0;
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: url + ROUTE,
        timeout: 5,
        requests: [
          {
            method: 'POST',
            path: ROUTE,
            setupRequest: (req) => ({ ...req, ...pool[next++ % pool.length] }),
          },
        ],
        ...options,
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
  });
}

type Measured = Record<'verified' | 'acked' | 'p99AtRate' | 'eldP99', number>;

/** Full speed for SECONDS (what was handled within that window counts), then 1,000/s. */
async function measure(role: 'bare' | 'shared', storage?: string): Promise<Measured> {
  const pool = signedPool(200_000);
  const { child, url } = await startChild(role, storage);
  try {
    await fire(url, signedPool(2000), { connections: 10, amount: 2000 }); // warm-up
    const before = await stats(url);
    const started = performance.now();
    const flat = await fire(url, pool, { connections: 50, duration: SECONDS });
    const after = await stats(url);
    const seconds = (performance.now() - started) / 1000;
    const drainEnd = Date.now() + 10_000; // the rate phase starts from an idle server
    while ((await stats(url)).pending > 0 && Date.now() < drainEnd)
      await new Promise((r) => setTimeout(r, 100));
    const rated = await fire(url, signedPool(RATE_SECONDS * 1000 + 500), {
      connections: 10,
      duration: RATE_SECONDS,
      overallRate: 1000,
    });
    return {
      verified: (after.handled - before.handled) / seconds,
      acked: flat['2xx'] / flat.duration,
      p99AtRate: rated.latency.p99,
      eldP99: (await stats(url)).eldP99,
    };
  } finally {
    child.kill('SIGKILL');
  }
}

function figures(label: string, ours: Measured, bare: Measured): BenchFigure[] {
  const ratio = ours.verified / bare.verified;
  return [
    {
      name: `eventsub.${label}.verified`,
      value: ours.verified,
      unit: 'notif/s',
      baseline: bare.verified,
      goal: 'ratio >= 0.5',
      pass: ratio >= 0.5,
    },
    {
      name: `eventsub.${label}.acknowledged`,
      value: ours.acked,
      unit: 'req/s',
      baseline: bare.acked,
    },
    {
      name: `eventsub.${label}.p99-at-1000/s`,
      value: ours.p99AtRate,
      unit: 'ms',
      baseline: bare.p99AtRate,
      goal: '< 10 ms',
      pass: ours.p99AtRate < 10,
    },
    { name: `eventsub.${label}.loop-p99`, value: ours.eldP99, unit: 'ms', baseline: bare.eldP99 },
  ];
}

export default defineBench({
  name: 'eventsub',
  async run(): Promise<BenchFigure[]> {
    const bare = await measure('bare');
    const out = figures('sqlite', await measure('shared'), bare);
    const redisServer = spawnSync('which', ['redis-server'], { encoding: 'utf8' }).stdout.trim();
    if (!redisServer) return out;
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const args = `--port ${port} --bind 127.0.0.1 --appendonly no --save`.split(' ');
    const redis = spawn(redisServer, [...args, '']);
    try {
      await new Promise((r) => setTimeout(r, 300));
      return [
        ...out,
        ...figures('redis', await measure('shared', `redis://127.0.0.1:${port}`), bare),
      ];
    } finally {
      redis.kill('SIGKILL');
    }
  },
});

const role = process.env.EVENTSUB_BENCH_ROLE;
if (role === 'bare' || role === 'shared') {
  const storage = process.env.EVENTSUB_BENCH_STORAGE || undefined;
  process.stdout.write(`${role === 'bare' ? await serveBare() : await serveShared(storage)}\n`);
  process.once('SIGTERM', () => process.exit(0));
}
