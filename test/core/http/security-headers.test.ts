import http from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../../core/http/health.js';
import { createHttpServer, type HttpServer } from '../../../core/http/server.js';
import { createLogger } from '../../../core/log.js';
import { Metrics } from '../../../core/metrics.js';

const CSP = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: { 'script-src': ["'self'"], 'connect-src': ["'self'"] },
  },
};

/** Headers of a GET to `url`, minus the ones every response varies in. */
async function headersOf(url: string): Promise<Record<string, string>> {
  const res = await fetch(url);
  await res.arrayBuffer();
  const out: Record<string, string> = {};
  for (const [name, value] of res.headers) {
    if (['date', 'connection', 'keep-alive', 'content-length', 'content-type'].includes(name))
      continue;
    out[name] = value;
  }
  return out;
}

let web: HttpServer | undefined;
let plain: http.Server | undefined;
afterEach(async () => {
  await web?.close(100);
  await new Promise((r) => (plain ? plain.close(r) : r(undefined)));
  web = plain = undefined;
});

describe('security headers of the shared server', () => {
  it('are exactly what helmet itself sets on a response, and no X-Powered-By', async () => {
    const metrics = new Metrics();
    const log = createLogger({ level: 'silent', pretty: false });
    web = createHttpServer({ log, metrics });
    web.app.use(healthRoutes(() => ({ ready: true, bots: {} }), metrics).routes());
    const ours = await web.listen('127.0.0.1', 0);

    const run = helmet(CSP);
    plain = http.createServer((req, res) => {
      res.setHeader('X-Powered-By', 'something');
      run(req, res, () => res.end('{}'));
    });
    await new Promise<void>((r) => plain!.listen(0, '127.0.0.1', r));
    const theirs = plain.address() as AddressInfo;

    const got = await headersOf(`http://127.0.0.1:${ours.port}/healthz`);
    const expected = await headersOf(`http://127.0.0.1:${theirs.port}/`);
    expect(got).toEqual(expected);
    expect(got['content-security-policy']).toContain("script-src 'self'");
    expect(got['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(got['x-content-type-options']).toBe('nosniff');
    expect(got).not.toHaveProperty('x-powered-by');
  });

  it('are on error responses too', async () => {
    const metrics = new Metrics();
    web = createHttpServer({ log: createLogger({ level: 'silent', pretty: false }), metrics });
    web.app.use(() => {
      throw new Error('boom');
    });
    const a = await web.listen('127.0.0.1', 0);
    const res = await fetch(`http://127.0.0.1:${a.port}/anything`);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
