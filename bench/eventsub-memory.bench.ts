/**
 * EventSub memory: a runtime holding 10,000 EventSub subscriptions (10,000 channel.cheer
 * conditions registered by a cog: routes, registry entries, handlers) and a full dedupe
 * window in its SQLite storage, at 5,000 deliveries/s (the stalled-Discord rate): 11 minutes
 * of message ids (the claim TTL), 3.3 M, plus 5 % more already expired, which the storage's
 * pruner must delete. The window is written straight into the claims table before the
 * runtime starts (in key order, seconds instead of 11 minutes of deliveries); then real signed
 * deliveries spread over the 10,000 routes arrive at 1,000/s for MEMORY_LOAD_SECONDS (10)
 * and the pruner (every 30 s) runs. Figures: peak and final RSS of the runtime process, the
 * claims stored before and after pruning; the baseline is the same runtime with no
 * subscription and an empty store.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { createStorage } from '../core/storage.js';
import { defineBench, type BenchFigure } from './harness.js';
import { startEventSubRuntime } from './lib/eventsub-runtime.js';
import {
  fetchStats,
  fire,
  loadAverage,
  signedPool,
  startServerChild,
} from './lib/eventsub-load.js';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const SECRET = 'bench-eventsub-memory-secret-0123456789';
const SUBSCRIPTIONS = 10_000;
const RATE = 5000;
const TTL_S = 11 * 60;
const LIVE = RATE * TTL_S;
const EXPIRED = Math.round(LIVE * 0.05);
const LOAD_SECONDS = Math.min(30, Number(process.env.MEMORY_LOAD_SECONDS ?? 10));
const PRUNE_WAIT_MS = 45_000;
const broadcaster = (i: number) => String(1_000_000 + i);

/** What the runtime child reports. */
interface MemoryStats {
  rss: number;
  maxRss: number;
  heapUsed: number;
  handled: number;
  routes: number;
}

/** The runtime child: Runtime + EventSubService + a cog's 10,000 subscriptions. */
async function serve(dataDir: string, subscriptions: number): Promise<string> {
  let handled = 0;
  let routes = 0;
  const stats = (): MemoryStats => {
    const usage = process.memoryUsage();
    return {
      rss: usage.rss,
      maxRss: process.resourceUsage().maxRSS * 1024,
      heapUsed: usage.heapUsed,
      handled,
      routes,
    };
  };
  const { runtime, service, facet, url } = await startEventSubRuntime({
    dataDir,
    secret: SECRET,
    stats,
  });
  for (let i = 0; i < subscriptions; i++)
    facet.on('channel.cheer', { broadcaster_user_id: broadcaster(i) }, async (n) => {
      await runtime.bus.emit('twitch:channel.cheer', {
        bot: 'bench',
        channel: 'bench',
        type: n.type,
        version: n.version,
        at: n.at.toISOString(),
        messageId: n.id,
        source: 'eventsub',
        event: n.event as never,
      });
      handled++;
    });
  routes = service.registry.size;
  return url;
}

/** A connection of our own to the runtime's SQLite file. */
function openDb(dataDir: string) {
  const db = new sqlite3.Database(path.join(dataDir, 'streamcogs.sqlite'));
  db.configure('busyTimeout', 30_000);
  const all = (sql: string, ...params: unknown[]) =>
    new Promise<unknown[]>((resolve, reject) =>
      db.all(sql, params, (err: Error | null, rows: unknown[]) =>
        err ? reject(err) : resolve(rows),
      ),
    );
  return { all, close: () => new Promise<void>((r) => db.close(() => r())) };
}

/** Writes the window: LIVE ids expiring over the next 11 minutes, EXPIRED ids already past. */
async function fillWindow(dataDir: string): Promise<number> {
  const storage = await createStorage({ dataDir }); // creates the tables
  await storage.close();
  const db = openDb(dataDir);
  const now = Date.now();
  const started = performance.now();
  await db.all(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO streamcogs_claims(key, expires)
     SELECT 'core:eventsub:msg:' || printf('%036d', i),
            CASE WHEN i < ? THEN ? - 1 - (i % 60000) ELSE ? + ((i - ?) * ?) / ? END
     FROM n`,
    LIVE + EXPIRED - 1,
    EXPIRED,
    now,
    now + 1000,
    EXPIRED,
    TTL_S * 1000,
    LIVE,
  );
  await db.all('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.close();
  return (performance.now() - started) / 1000;
}

async function countClaims(dataDir: string): Promise<number> {
  const db = openDb(dataDir);
  try {
    const [row] = (await db.all('SELECT count(*) AS n FROM streamcogs_claims')) as { n: number }[];
    return row?.n ?? 0;
  } finally {
    await db.close();
  }
}

/** The same runtime with no subscription and an empty store, for comparison. */
async function idleRuntime(): Promise<MemoryStats> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'streamcogs-bench-memory-idle-'));
  const { child, url } = await startServerChild(SELF, {
    EVENTSUB_MEMORY_DIR: dataDir,
    EVENTSUB_MEMORY_SUBSCRIPTIONS: '0',
  });
  try {
    await new Promise((r) => setTimeout(r, 2000));
    return await fetchStats<MemoryStats>(url);
  } finally {
    child.kill('SIGKILL');
  }
}

export default defineBench({
  name: 'eventsub-memory',
  async run(): Promise<BenchFigure[]> {
    const idle = await idleRuntime();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'streamcogs-bench-memory-'));
    const fillSeconds = await fillWindow(dataDir);
    const { child, url } = await startServerChild(SELF, { EVENTSUB_MEMORY_DIR: dataDir });
    try {
      const pool = signedPool(LOAD_SECONDS * 1000 + 500, {
        secret: SECRET,
        type: 'channel.cheer',
        event: (i) => ({ broadcaster_user_id: broadcaster(i % SUBSCRIPTIONS), bits: 100 }),
      });
      // Each delivery to its subscription's own route.
      const routed = pool.map((d, i) => ({
        ...d,
        path: `/eventsub/event/channel.cheer.${broadcaster(i % SUBSCRIPTIONS)}`,
      }));
      const started = await fetchStats<MemoryStats>(url);
      const before = await countClaims(dataDir);
      const load = await fire(url, '/eventsub/event/channel.cheer.1000000', routed, {
        connections: 10,
        duration: LOAD_SECONDS,
        overallRate: 1000,
      });
      const sent = load['2xx'];
      const bound = LIVE + sent;
      const end = Date.now() + PRUNE_WAIT_MS;
      let after = await countClaims(dataDir);
      while (after > bound && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 2000));
        after = await countClaims(dataDir);
      }
      const s = await fetchStats<MemoryStats>(url);
      const mb = (b: number) => b / 1024 / 1024;
      console.error(
        `eventsub-memory: window of ${before} ids written in ${fillSeconds.toFixed(1)} s; ${s.routes} subscriptions, ${s.handled} handled, ${sent} acknowledged, RSS at start ${mb(started.rss).toFixed(0)} MB`,
      );
      return [
        loadAverage('eventsub-memory'),
        {
          name: 'eventsub.memory.rss-peak',
          value: mb(s.maxRss),
          unit: 'MB',
          baseline: mb(idle.maxRss),
          goal: '<= 150 MB',
          pass: mb(s.maxRss) <= 150,
        },
        { name: 'eventsub.memory.rss-end', value: mb(s.rss), unit: 'MB' },
        { name: 'eventsub.memory.heap-used', value: mb(s.heapUsed), unit: 'MB' },
        {
          name: 'eventsub.memory.subscriptions',
          value: s.routes,
          unit: 'subscriptions',
          goal: `${SUBSCRIPTIONS}`,
          pass: s.routes === SUBSCRIPTIONS,
        },
        { name: 'eventsub.memory.dedupe-ids-before-prune', value: before, unit: 'ids' },
        {
          name: 'eventsub.memory.dedupe-ids-after-prune',
          value: after,
          unit: 'ids',
          goal: `<= ${bound} (live window + deliveries sent)`,
          pass: after <= bound,
        },
      ];
    } finally {
      child.kill('SIGKILL');
    }
  },
});

const dir = process.env.EVENTSUB_MEMORY_DIR;
const subscriptions = Number(process.env.EVENTSUB_MEMORY_SUBSCRIPTIONS ?? SUBSCRIPTIONS);
if (dir) process.stdout.write(`${await serve(dir, subscriptions)}\n`);
