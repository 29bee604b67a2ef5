/**
 * EventSub ingress: verified notifications/s through the shared server (signature check,
 * message-id dedupe in storage, handler, bus) beside a bare node:http server doing the same
 * HMAC verification with an in-memory Set, and the p99 acknowledgement latency at 1,000
 * notifications/s. Each server runs in its own child process (this file, re-run with
 * EVENTSUB_BENCH_ROLE) so the load generator never shares its event loop; requests are
 * signed ahead of time so signing does not limit the load.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { defineBench, type BenchFigure } from './harness.js';
import { startEventSubRuntime, type EventSubRuntime } from './lib/eventsub-runtime.js';
import {
  fire,
  signedPool,
  startServerChild,
  fetchStats,
  loadAverage,
  type SignedDelivery,
} from './lib/eventsub-load.js';

const SECONDS = Math.min(10, Number(process.env.BENCH_SECONDS ?? 8));
const RATE_SECONDS = 5;
const SECRET = 'bench-eventsub-secret-0123456789';
const ROUTE = '/eventsub/event/channel.cheer.4242';
const CHEER = {
  broadcaster_user_id: '4242',
  user_login: 'viewer',
  message: 'Cheer100 hi',
  bits: 100,
};
const SELF = fileURLToPath(import.meta.url);

/** What a server child reports at `/stats`. */
export interface Stats {
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
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-eventsub-'));
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  let handled = 0;
  const pending = () => es?.service.ingress.pending ?? 0;
  const stats = () => statsOf(handled, pending(), eld);
  const es: EventSubRuntime | undefined = await startEventSubRuntime({
    dataDir,
    storageUrl,
    secret: SECRET,
    stats,
  });
  const { runtime, facet } = es;
  runtime.bus.on('twitch:channel.cheer', () => void handled++);
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
  return es.url;
}

type Measured = Record<'verified' | 'acked' | 'p99AtRate' | 'eldP99', number>;

const cheers = (count: number): SignedDelivery[] =>
  signedPool(count, { secret: SECRET, type: 'channel.cheer', event: CHEER });
const stats = (url: string) => fetchStats<Stats>(url);

/**
 * Starts one server child: `bare`, or `shared` on `storage` (SQLite when empty).
 *
 * @example
 * ```ts
 * const { child, url } = await startEventSubChild('bare');
 * ```
 */
export function startEventSubChild(role: 'bare' | 'shared', storage = '') {
  return startServerChild(SELF, { EVENTSUB_BENCH_ROLE: role, EVENTSUB_BENCH_STORAGE: storage });
}

/** Full speed for SECONDS (what was handled within that window counts), then 1,000/s. */
async function measure(role: 'bare' | 'shared', storage?: string): Promise<Measured> {
  const pool = cheers(200_000);
  const { child, url } = await startEventSubChild(role, storage);
  try {
    await fire(url, ROUTE, cheers(2000), { connections: 10, amount: 2000 }); // warm-up
    const before = await stats(url);
    const started = performance.now();
    const flat = await fire(url, ROUTE, pool, { connections: 50, duration: SECONDS });
    const after = await stats(url);
    const seconds = (performance.now() - started) / 1000;
    const drainEnd = Date.now() + 10_000; // the rate phase starts from an idle server
    while ((await stats(url)).pending > 0 && Date.now() < drainEnd)
      await new Promise((r) => setTimeout(r, 100));
    const rated = await fire(url, ROUTE, cheers(RATE_SECONDS * 1000 + 500), {
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

/** The mean of two baseline runs (taken before and after the one they are compared with). */
function meanOf(a: Measured, b: Measured): Measured {
  const m = (k: keyof Measured) => (a[k] + b[k]) / 2;
  return {
    verified: m('verified'),
    acked: m('acked'),
    p99AtRate: m('p99AtRate'),
    eldP99: m('eldP99'),
  };
}

export default defineBench({
  name: 'eventsub',
  async run(): Promise<BenchFigure[]> {
    // Baselines taken on both sides of each measured run: the load of the machine drifts.
    const before = await measure('bare');
    const sqlite = await measure('shared');
    const after = await measure('bare');
    const out = [loadAverage('eventsub'), ...figures('sqlite', sqlite, meanOf(before, after))];
    const redisServer = spawnSync('which', ['redis-server'], { encoding: 'utf8' }).stdout.trim();
    if (!redisServer) return out;
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const args = `--port ${port} --bind 127.0.0.1 --appendonly no --save`.split(' ');
    const redis = spawn(redisServer, [...args, '']);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const ours = await measure('shared', `redis://127.0.0.1:${port}`);
      const last = await measure('bare');
      return [...out, ...figures('redis', ours, meanOf(after, last))];
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
