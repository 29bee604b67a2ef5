import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../core/http/server.js';
import { healthRoutes } from '../core/http/health.js';
import { createLogger } from '../core/log.js';
import { Metrics } from '../core/metrics.js';
import { defineBench, percentile } from './harness.js';
import { load, type LoadResult } from './lib/autocannon-run.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** The shared Koa server (all its middleware: logs, metrics, security headers, errors) on /healthz. */
async function sharedServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const metrics = new Metrics();
  const log = createLogger({ level: 'warn', pretty: false, destination: { write: () => {} } });
  const web = createHttpServer({ log, metrics });
  web.app.use(healthRoutes(() => ({ ready: true, bots: {} }), metrics).routes());
  const a = await web.listen('127.0.0.1', 0);
  return { url: `http://127.0.0.1:${a.port}/healthz`, close: () => web.close(100) };
}

/** A bare node:http server answering the same JSON body. */
async function bareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Alternating rounds: load drifts on a shared machine, so each round pairs the two servers. */
const ROUNDS = 5;

export default defineBench({
  name: 'http',
  async run() {
    const bare = await bareServer();
    const shared = await sharedServer();
    const ratios: number[] = [];
    const runs = { bare: [] as LoadResult[], ours: [] as LoadResult[] };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        // `SECONDS` per server in all, split over the rounds; the order alternates too.
        const seconds = Math.max(1, Math.round(SECONDS / ROUNDS));
        const first = round % 2 === 0;
        const a = first ? await load(bare.url, seconds) : undefined;
        const ours = await load(shared.url, seconds);
        const b = a ?? (await load(bare.url, seconds));
        runs.bare.push(b);
        runs.ours.push(ours);
        ratios.push(ours.rps / b.rps);
      }
    } finally {
      await bare.close();
      await shared.close();
    }
    const ratio = percentile(ratios, 50);
    const baselineRps = percentile(
      runs.bare.map((r) => r.rps),
      50,
    );
    return [
      {
        name: 'http.shared-server.rps',
        value: baselineRps * ratio,
        unit: 'req/s',
        baseline: baselineRps,
        goal: 'ratio >= 0.8 (median of paired rounds)',
        pass: ratio >= 0.8,
      },
      {
        name: 'http.shared-server.p99',
        value: percentile(
          runs.ours.map((r) => r.p99),
          50,
        ),
        unit: 'ms',
        baseline: percentile(
          runs.bare.map((r) => r.p99),
          50,
        ),
      },
    ];
  },
});
