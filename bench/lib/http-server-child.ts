/**
 * One server of the `http` bench in a process of its own, so its CPU time can be read apart
 * from the load generator's and its event loop and heap are its own (as in production).
 * `HTTP_BENCH_SERVER` is `bare` (node:http answering the same JSON) or `shared` (the shared
 * Koa server with all its middleware and the health routes). Prints `{"port":n}`, then
 * answers JSON-line commands: `{"cmd":"cpu"}` -> `{"micros":n}` (this process's CPU time so
 * far, user + system) and `{"cmd":"stop"}`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthRoutes } from '../../core/http/health.js';
import { createHttpServer } from '../../core/http/server.js';
import { createLogger } from '../../core/log.js';
import { Metrics } from '../../core/metrics.js';
import { serveJsonLines } from './json-child.js';

async function start(role: string | undefined): Promise<{ port: number; close(): Promise<void> }> {
  if (role === 'shared') {
    const metrics = new Metrics();
    const log = createLogger({ level: 'warn', pretty: false, destination: { write: () => {} } });
    const web = createHttpServer({ log, metrics });
    web.app.use(healthRoutes(() => ({ ready: true, bots: {} }), metrics).routes());
    const a = await web.listen('127.0.0.1', 0);
    return { port: a.port, close: () => web.close(100) };
  }
  if (role !== 'bare') throw new Error(`HTTP_BENCH_SERVER must be bare or shared, not ${role}`);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const server = await start(process.env.HTTP_BENCH_SERVER);
serveJsonLines(async (command) => {
  if (command.cmd === 'cpu') {
    const c = process.cpuUsage();
    return { micros: c.user + c.system };
  }
  if (command.cmd === 'stop') {
    await server.close();
    setImmediate(() => process.exit(0));
    return { stopped: true };
  }
  return { error: `unknown command ${String(command.cmd)}` };
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
