import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../core/http/server.js';
import { healthRoutes } from '../core/http/health.js';
import { createLogger } from '../core/log.js';
import { Metrics } from '../core/metrics.js';
import { defineBench } from './harness.js';
import { load } from './lib/autocannon-run.js';

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

export default defineBench({
  name: 'http',
  async run() {
    const bare = await bareServer();
    const baseline = await load(bare.url, SECONDS);
    await bare.close();
    const shared = await sharedServer();
    const ours = await load(shared.url, SECONDS);
    await shared.close();
    const ratio = ours.rps / baseline.rps;
    return [
      {
        name: 'http.shared-server.rps',
        value: ours.rps,
        unit: 'req/s',
        baseline: baseline.rps,
        goal: 'ratio >= 0.8',
        pass: ratio >= 0.8,
      },
      { name: 'http.shared-server.p99', value: ours.p99, unit: 'ms', baseline: baseline.p99 },
    ];
  },
});
