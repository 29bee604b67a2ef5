import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwitchChatServer } from '../../src/sandbox/twitch/chat/index.js';
import type { CliProcess } from '../helpers/cli-process.js';
import {
  findNginx,
  httpRequest,
  httpsAgent,
  httpsRequest,
  startNginx,
  type NginxProcess,
  type RequestOptions,
} from '../helpers/nginx.js';
import { freePort, waitFor } from '../helpers/processes.js';
import { startCliApp, stopCliApp } from './lib/cli-app.js';
import { requireTool } from './lib/require-tool.js';

const PLUGINS = fileURLToPath(new URL('./fixtures/plugins/', import.meta.url));
const NGINX = requireTool('nginx', findNginx());
const WHOAMI = '/bots/alice/whoami/whoami';

let chat: TwitchChatServer | undefined;
let app: CliProcess | undefined;
let appUrl = '';
let nginx: NginxProcess | undefined;
let dir = '';

/** The app's request log lines (LOG_LEVEL=debug: /healthz and /metrics included). */
function requestLines(): Record<string, unknown>[] {
  return app!.lines.filter((l) => l.msg === 'request');
}

/**
 * Sends a request through nginx, then a marker request from another client, and waits for
 * the marker's log line: log lines arrive in order, so every request nginx passed on before
 * the marker has been logged by then. `appSaw` is what the app logged of the first request.
 */
async function throughNginx(options: RequestOptions): Promise<{
  status: number;
  type: string;
  body: string;
  appSaw: Record<string, unknown>[];
}> {
  const isMarker = (l: Record<string, unknown>): boolean => l.ip === '127.0.0.9';
  const before = requestLines().length;
  const markersBefore = requestLines().filter(isMarker).length;
  const res = await httpsRequest(nginx!, options);
  const marker = await httpsRequest(nginx!, { path: WHOAMI, localAddress: '127.0.0.9' });
  expect(marker.status).toBe(200);
  await waitFor(
    () => requestLines().filter(isMarker).length > markersBefore,
    5000,
    'the marker request was not logged',
  );
  return {
    status: res.status,
    type: String(res.headers['content-type'] ?? ''),
    body: res.body,
    appSaw: requestLines()
      .slice(before)
      .filter((l) => !isMarker(l)),
  };
}

describe.skipIf(!NGINX)('nginx in front of the app (production mode)', () => {
  beforeAll(async () => {
    chat = await TwitchChatServer.start();
    dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-nginx-app-'));
    await writeFile(
      path.join(dir, 'bots.yaml'),
      ['alice:', '  prefix: "!"', '  channels: [alice]', '  cogs:', '    - whoami', ''].join('\n'),
    );
    const httpsPort = await freePort();
    const httpPort = await freePort();
    const started = await startCliApp(dir, {
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: `https://localhost:${httpsPort}`,
      LOG_LEVEL: 'debug',
      WATCH_CONFIG: '0',
      STREAMCOGS_SECRET_KEY: randomBytes(32).toString('base64'),
      ALICE_CLIENT_ID: 'test-client-id',
      ALICE_CLIENT_SECRET: 'test-client-secret',
      TWITCH_CHAT_URL: chat.url,
      PLUGIN_DIRS: PLUGINS,
      DATA_DIR: path.join(dir, 'data'),
    });
    app = started.cli;
    appUrl = started.url;
    nginx = await startNginx({ upstreams: [started.hostPort], httpPort, httpsPort });
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    if (app) await stopCliApp(app);
    await chat?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('an HTTPS request reaches the app, which logs the client address and https from the headers', async () => {
    const res = await httpsRequest(nginx!, {
      path: WHOAMI,
      localAddress: '127.0.0.2',
      // A client cannot choose the address the app sees: nginx replaces this header.
      headers: { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'http' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      ip: '127.0.0.2',
      protocol: 'https',
      secure: true,
      host: 'localhost',
      forwardedFor: '127.0.0.2',
    });
    const line = await app!.waitForLog((l) => l.msg === 'request' && l.path === WHOAMI);
    expect(line).toMatchObject({ method: 'GET', status: 200, ip: '127.0.0.2', scheme: 'https' });
    expect(res.tlsVersion).toBe('TLSv1.3');

    const health = await httpsRequest(nginx!, { path: '/healthz', localAddress: '127.0.0.3' });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const healthLine = await app!.waitForLog((l) => l.path === '/healthz' && l.ip === '127.0.0.3');
    expect(healthLine.scheme).toBe('https');
    // Exactly one HSTS header (nginx's; the app's helmet header is hidden).
    const hsts = health.rawHeaders.filter((h, i) => i % 2 === 0 && /^strict-transport/i.test(h));
    expect(hsts).toHaveLength(1);
    expect(health.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    // Which upstream served it is in nginx's access log.
    expect(await nginx!.accessLog()).toContainEqual(
      `127.0.0.3 200 ${new URL(appUrl).host} "GET /healthz HTTP/1.1"`,
    );
  });

  it('plain HTTP redirects to HTTPS, except ACME challenges served from the webroot', async () => {
    const res = await httpRequest(nginx!, { path: '/healthz?probe=1' });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`https://localhost:${nginx!.httpsPort}/healthz?probe=1`);
    const post = await httpRequest(nginx!, { method: 'POST', path: '/eventsub/event/x' });
    expect(post.status).toBe(301);

    await writeFile(
      path.join(nginx!.acmeRoot, '.well-known', 'acme-challenge', 'tok-123'),
      'tok-123.key-auth',
    );
    const acme = await httpRequest(nginx!, { path: '/.well-known/acme-challenge/tok-123' });
    expect(acme.status).toBe(200);
    expect(acme.body).toBe('tok-123.key-auth');
    expect((await httpRequest(nginx!, { path: '/.well-known/acme-challenge/none' })).status).toBe(
      404,
    );
  });

  it('passes every public prefix to the app: /eventsub, /oauth, /api, /bots, /healthz', async () => {
    const paths = [
      ['POST', '/eventsub/event/none'],
      ['GET', '/oauth/twitch/callback'],
      ['GET', '/api/openapi.json'],
      ['GET', WHOAMI],
      ['GET', '/healthz'],
    ] as const;
    for (const [method, p] of paths) {
      const res = await throughNginx({ method, path: p, localAddress: '127.0.0.8', body: '' });
      // Whatever the app answers (404 for a route it does not have yet), it saw the request.
      expect([p, res.appSaw.map((l) => [l.method, l.path, l.scheme, l.ip])]).toEqual([
        p,
        [[method, p, 'https', '127.0.0.8']],
      ]);
    }
  });

  it('never exposes /metrics, /readyz or /sandbox, however the path is spelled', async () => {
    // The app itself serves them (on its own port, for Prometheus and local probes).
    expect((await fetch(`${appUrl}/metrics`)).status).toBe(200);
    // (Its log line must be in before throughNginx counts what the app saw.)
    await waitFor(
      () => requestLines().some((l) => l.path === '/metrics' && l.scheme === 'http'),
      5000,
      'the direct /metrics request was not logged',
    );
    const paths = [
      '/metrics',
      '/metrics/',
      '/METRICS',
      '/metrics?format=text',
      '/readyz',
      '/sandbox',
      '/sandbox/',
      '/sandbox/api/state',
      '/healthz/../metrics',
      '/api/../metrics',
      '/api/%2e%2e/metrics',
      '/bots/..%2fmetrics',
      '//metrics',
      '/',
    ];
    for (const p of paths) {
      const res = await throughNginx({ path: p, localAddress: '127.0.0.4' });
      expect([p, res.status]).toEqual([p, 404]);
      expect([p, res.appSaw]).toEqual([p, []]);
    }
    // Methods EventSub never uses are refused at the edge.
    const del = await throughNginx({ method: 'DELETE', path: '/eventsub/event/x' });
    expect(del.status).toBe(403);
    expect(del.appSaw).toEqual([]);
  });

  it('refuses a body over client_max_body_size with 413 before the app sees it', async () => {
    const small = await throughNginx({
      method: 'POST',
      path: '/bots/alice/whoami/echo',
      body: Buffer.alloc(60 * 1024, 'a'),
    });
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body)).toEqual({ bytes: 60 * 1024 });
    expect(small.appSaw).toHaveLength(1);

    const big = await throughNginx({
      method: 'POST',
      path: '/bots/alice/whoami/echo',
      body: Buffer.alloc(70 * 1024, 'a'),
    });
    expect(big.status).toBe(413);
    expect(big.type).toMatch(/^text\/html/); // nginx's page, not the app's JSON
    expect(big.appSaw).toEqual([]);

    const eventsub = await throughNginx({
      method: 'POST',
      path: '/eventsub/event/stream.online.1',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: Buffer.alloc(1024 * 1024, 'a'),
    });
    expect(eventsub.status).toBe(413);
    expect(eventsub.appSaw).toEqual([]);
  });

  it('speaks TLS 1.3, or 1.2 with forward-secret AEAD ciphers only, and nothing older', async () => {
    const tls12 = await httpsRequest(nginx!, {
      path: '/healthz',
      tls: { maxVersion: 'TLSv1.2' },
    });
    expect(tls12.status).toBe(200);
    expect(tls12.tlsVersion).toBe('TLSv1.2');
    expect(tls12.cipher).toMatch(/^ECDHE-ECDSA-(AES\d+-GCM|CHACHA20-POLY1305)/);
    // CBC suites are not offered, even to a client that asks for nothing else.
    await expect(
      httpsRequest(nginx!, {
        path: '/healthz',
        tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' },
      }),
    ).rejects.toThrow(/handshake failure/); // nginx's alert, not the client giving up
    // TLS 1.1, even from a client willing to speak it.
    await expect(
      httpsRequest(nginx!, {
        path: '/healthz',
        tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
      }),
    ).rejects.toThrow(/alert protocol version/);
  });

  it('rate-limits public routes per client, never EventSub deliveries', async () => {
    // 100 requests over 10 kept-alive connections: far faster than 10 r/s even on a busy machine.
    const burst = async (p: string, localAddress: string): Promise<number[]> => {
      const agent = httpsAgent(nginx!, 10);
      try {
        return await Promise.all(
          Array.from({ length: 100 }, async () => {
            const post = p.startsWith('/eventsub');
            const res = await httpsRequest(nginx!, {
              method: post ? 'POST' : 'GET',
              path: p,
              localAddress,
              agent,
              body: post ? '{}' : undefined,
            });
            return res.status;
          }),
        );
      } finally {
        agent.destroy();
      }
    };
    const api = await burst('/api/streamers', '127.0.0.5');
    expect(api.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(api.filter((s) => s !== 429).length).toBeGreaterThanOrEqual(21); // burst=20, + 1
    // Another client is not affected.
    const other = await httpsRequest(nginx!, { path: '/api/streamers', localAddress: '127.0.0.6' });
    expect(other.status).not.toBe(429);
    // 100 deliveries at once from one address all reach the app (it answers; nginx never 429s).
    const eventsub = await burst('/eventsub/event/none', '127.0.0.7');
    expect(eventsub.filter((s) => s === 429)).toEqual([]);
  });
});
