import Router from '@koa/router';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../../core/http/health.js';
import { createHttpServer, type HttpServer } from '../../../core/http/server.js';
import { Metrics } from '../../../core/metrics.js';
import { loggerInto } from '../../helpers/log-lines.js';

let web: HttpServer | undefined;
afterEach(async () => {
  await web?.close(100);
  web = undefined;
});

describe('request logs, latency metrics and the in-flight count of the shared server', () => {
  it('logs each request at its level with the proxy-reported client, and times it per route', async () => {
    const logs: Record<string, unknown>[] = [];
    const metrics = new Metrics({ defaultMetrics: false });
    web = createHttpServer({ log: loggerInto(logs), metrics });
    const router = new Router();
    router.get('/items/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    web.app.use(healthRoutes(() => ({ ready: true, bots: {} }), metrics).routes());
    web.app.use(router.routes());
    const { port } = await web.listen('127.0.0.1', 0);
    const url = `http://127.0.0.1:${port}`;
    const forwarded = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' };

    for (const path of ['/items/7', '/items/8', '/nope/x', '/healthz']) {
      const res = await fetch(url + path, { headers: forwarded });
      await res.arrayBuffer();
    }

    const requests = logs.filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.level, l.path, l.status])).toEqual([
      [30, '/items/7', 200],
      [30, '/items/8', 200],
      [30, '/nope/x', 404],
      [20, '/healthz', 200],
    ]);
    expect(requests[0]).toMatchObject({ method: 'GET', ip: '203.0.113.9', scheme: 'https' });
    expect(typeof requests[0]?.ms).toBe('number');

    const text = await metrics.registry.metrics();
    const count = (labels: string): string | undefined =>
      text
        .split('\n')
        .find((l) => l.startsWith(`streamcogs_http_request_duration_seconds_count{${labels}}`))
        ?.split(' ')[1];
    expect(count('method="GET",route="/items/:id",status="200"')).toBe('2');
    expect(count('method="GET",route="/nope/*",status="404"')).toBe('1');
    expect(count('method="GET",route="/healthz",status="200"')).toBe('1');
  });

  it('counts requests in flight until they are answered', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    web = createHttpServer({ log: loggerInto([]), metrics });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    web.app.use(async (ctx) => {
      entered();
      await held;
      ctx.body = { done: true };
    });
    const { port } = await web.listen('127.0.0.1', 0);
    expect(web.inFlight).toBe(0);
    const pending = fetch(`http://127.0.0.1:${port}/slow`);
    await inside;
    expect(web.inFlight).toBe(1);
    release();
    const res = await pending;
    expect(await res.json()).toEqual({ done: true });
    expect(web.inFlight).toBe(0);
  });
});
