import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineBench, percentile } from './harness.js';
import { load, type LoadResult } from './lib/autocannon-run.js';
import { startJsonChild, type JsonChild } from './lib/json-child.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SERVER_CHILD = fileURLToPath(new URL('./lib/http-server-child.ts', import.meta.url));

/** A server of the bench in its own process (see `lib/http-server-child.ts`). */
interface ServerChild {
  url: string;
  /** The child's CPU time so far, µs. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

async function startServer(role: 'bare' | 'shared'): Promise<ServerChild> {
  const child: JsonChild = startJsonChild(SERVER_CHILD, { HTTP_BENCH_SERVER: role });
  const { port } = await child.next<{ port: number }>(60_000);
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    cpu: async () => (await child.ask<{ micros: number }>({ cmd: 'cpu' })).micros,
    stop: async () => {
      await child.ask({ cmd: 'stop' }, 10_000).catch(() => child.kill());
    },
  };
}

/** One load run, with the CPU time per response of the server and of the load generator. */
interface Run extends LoadResult {
  serverMicros: number;
  clientMicros: number;
}

async function measure(server: ServerChild, seconds: number): Promise<Run> {
  const serverBefore = await server.cpu();
  // The servers are other processes: this process's CPU time is the load generator's
  // (autocannon, in a worker thread).
  const clientBefore = process.cpuUsage();
  const result = await load(server.url, seconds);
  const client = process.cpuUsage(clientBefore);
  const serverAfter = await server.cpu();
  const n = Math.max(1, result.total);
  return {
    ...result,
    serverMicros: (serverAfter - serverBefore) / n,
    clientMicros: (client.user + client.system) / n,
  };
}

/** Alternating rounds: load drifts on a shared machine, so each round pairs the two servers. */
const ROUNDS = 5;

const median = (runs: Run[], pick: (r: Run) => number): number => percentile(runs.map(pick), 50);

export default defineBench({
  name: 'http',
  async run() {
    // Each server runs in a process of its own and the load generator in this one, so
    // neither server shares an event loop or a heap with autocannon, and the CPU time each
    // server spends per response can be read (what it would cost with a faster client).
    const bare = await startServer('bare');
    const shared = await startServer('shared');
    const ratios: number[] = [];
    const runs = { bare: [] as Run[], ours: [] as Run[] };
    const loadBefore = loadavg()[0] ?? 0;
    try {
      // Warm-up (JIT, connections), not counted.
      await load(bare.url, 1);
      await load(shared.url, 1);
      for (let round = 0; round < ROUNDS; round++) {
        // `SECONDS` per server in all, split over the rounds; the order alternates too.
        const seconds = Math.max(1, Math.round(SECONDS / ROUNDS));
        const first = round % 2 === 0;
        const a = first ? await measure(bare, seconds) : undefined;
        const ours = await measure(shared, seconds);
        const b = a ?? (await measure(bare, seconds));
        runs.bare.push(b);
        runs.ours.push(ours);
        ratios.push(ours.rps / b.rps);
      }
    } finally {
      await bare.stop();
      await shared.stop();
    }
    const ratio = percentile(ratios, 50);
    const baselineRps = median(runs.bare, (r) => r.rps);
    const load1m = `load ${loadBefore.toFixed(1)} -> ${(loadavg()[0] ?? 0).toFixed(1)}`;
    return [
      {
        name: 'http.shared-server.rps',
        value: baselineRps * ratio,
        unit: 'req/s',
        baseline: baselineRps,
        goal: `ratio >= 0.8 (median of paired rounds; ${load1m})`,
        pass: ratio >= 0.8,
      },
      {
        name: 'http.shared-server.p99',
        value: median(runs.ours, (r) => r.p99),
        unit: 'ms',
        baseline: median(runs.bare, (r) => r.p99),
      },
      {
        // What a response costs the server itself; baseline / value is the requests/s ratio
        // the two would reach if the server, not the load generator, were the bottleneck.
        name: 'http.shared-server.cpu-per-response',
        value: median(runs.ours, (r) => r.serverMicros),
        unit: 'µs',
        baseline: median(runs.bare, (r) => r.serverMicros),
      },
      {
        // Above the bare server's figure, the bare rounds measure autocannon, not node:http.
        name: 'http.load-generator.cpu-per-response',
        value: median(runs.bare, (r) => r.clientMicros),
        unit: 'µs',
        baseline: median(runs.bare, (r) => r.serverMicros),
      },
    ];
  },
});
