import Router from '@koa/router';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonBody } from '../../../core/http/json-body.js';
import { createHttpServer, type HttpServer } from '../../../core/http/server.js';
import { Metrics } from '../../../core/metrics.js';
import { loggerInto } from '../../helpers/log-lines.js';

let web: HttpServer | undefined;
afterEach(async () => {
  await web?.close(100);
  web = undefined;
});

/** The shared server with a few routes, on a free loopback port; its log lines in `logs`. */
async function serve(logs: Record<string, unknown>[]): Promise<string> {
  web = createHttpServer({ log: loggerInto(logs), metrics: new Metrics() });
  const router = new Router();
  router.get('/streamer', (ctx) => ctx.throw(404, 'no such streamer'));
  router.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  router.post('/echo', jsonBody('1kb'), (ctx) => {
    ctx.body = { got: ctx.request.body as unknown };
  });
  web.app.use(router.routes());
  const address = await web.listen('127.0.0.1', 0);
  return `http://127.0.0.1:${address.port}`;
}

async function call(url: string, init?: RequestInit): Promise<[number, unknown, string | null]> {
  const res = await fetch(url, init);
  return [res.status, (await res.json()) as unknown, res.headers.get('content-type')];
}

const post = (body: string, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': type },
  body,
});

describe('the shared server answers errors in JSON', () => {
  it('404 for an unknown route or a thrown 404, with the message a route gave', async () => {
    const url = await serve([]);
    const [status, body, type] = await call(`${url}/nope`);
    expect([status, body]).toEqual([
      404,
      { error: 'not_found', message: 'no route for GET /nope' },
    ]);
    expect(type).toMatch(/^application\/json/);
    expect(await call(`${url}/streamer`)).toEqual([
      404,
      { error: 'not_found', message: 'no such streamer' },
      expect.stringMatching(/^application\/json/),
    ]);
  });

  it('500 without the details, which go to the log with the error itself', async () => {
    const logs: Record<string, unknown>[] = [];
    const url = await serve(logs);
    const [status, body] = await call(`${url}/boom`);
    expect([status, body]).toEqual([
      500,
      { error: 'internal_error', message: 'internal error; see the server log' },
    ]);
    const failed = logs.find((l) => l.msg === 'request failed');
    expect(failed).toMatchObject({ method: 'GET', path: '/boom', level: 50 });
    expect(failed?.err).toMatchObject({ type: 'Error', message: 'database password is hunter2' });
  });

  it('a JSON body route: 413 over its limit, 415 for another type, 400 for broken JSON', async () => {
    const url = await serve([]);
    expect(await call(`${url}/echo`, post('{"a":1}'))).toEqual([
      200,
      { got: { a: 1 } },
      expect.stringMatching(/^application\/json/),
    ]);
    const [big, bigBody] = await call(`${url}/echo`, post(JSON.stringify({ a: 'x'.repeat(2048) })));
    expect([big, (bigBody as { error: string }).error]).toEqual([413, 'payload_too_large']);
    const [text, textBody] = await call(`${url}/echo`, post('a=1', 'text/plain'));
    expect([text, (textBody as { error: string }).error]).toEqual([415, 'unsupported_media_type']);
    const [broken, brokenBody] = await call(`${url}/echo`, post('{"a":'));
    expect([broken, (brokenBody as { error: string }).error]).toEqual([400, 'bad_request']);
  });
});
