import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bot,
  cog,
  startRuntime,
  startSandbox,
  until,
  type Harness,
  type Sandbox,
} from '../twitch/eventsub/helpers/harness.js';
import { OPENAPI_DOCUMENT } from '../../src/api/index.js';

let sandbox: Sandbox;
let h: Harness | undefined;

beforeAll(async () => {
  sandbox = await startSandbox();
  for (const login of ['alice', 'bob', 'carol']) sandbox.world.ensureUser(login);
});
afterAll(async () => sandbox.close());
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(env: Record<string, string> = {}, bots = [bot('alice', [cog('eventsub')])]) {
  h = await startRuntime(sandbox, { bots, env });
  return h;
}

async function call(
  harness: Harness,
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const res = await fetch(`${harness.runtime.url}${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

const subsOf = (login: string) =>
  sandbox.world.eventSub
    .list()
    .filter((s) => s.condition.broadcaster_user_id === sandbox.world.findUser(login)?.id)
    .map((s) => s.type)
    .sort();

describe('stream status API', () => {
  it('is open (with a warning in the log) when neither API_KEY nor API_JWT_SECRET is set', async () => {
    const harness = await start();
    const res = await call(harness, '/api/streamers');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      bot: 'alice',
      count: 1,
      streamers: [{ login: 'alice', source: 'config' }],
    });
    expect(harness.logs.some((l) => l.includes('/api is open'))).toBe(true);
  });

  it('answers 401 without the API key and 200 with it; the ingress, /healthz and the document stay open', async () => {
    const harness = await start({ API_KEY: 'k3y-for-the-api-0123456789' });
    const without = await call(harness, '/api/streams/live');
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(without.body).toMatchObject({ error: 'unauthorized' });
    expect((await call(harness, '/api/streams/live', { token: 'wrong' })).status).toBe(401);
    const withKey = await call(harness, '/api/streams/live', {
      token: 'k3y-for-the-api-0123456789',
    });
    expect(withKey).toMatchObject({
      status: 200,
      body: { bot: 'alice', live_streams: [], count: 0 },
    });
    expect((await call(harness, '/healthz')).status).toBe(200);
    // What is served is the document test/api/openapi.test.ts validates against the OpenAPI schema.
    const document = await call(harness, '/api/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    // The ingress answered Twitch's challenges without any key.
    expect(subsOf('alice').length).toBeGreaterThan(0);
    expect(sandbox.world.eventSub.list().every((s) => s.status === 'enabled')).toBe(true);
  });

  it('issues per-client JWTs (name, shard) for the shared secret and accepts them', async () => {
    const harness = await start({ API_JWT_SECRET: 'shared-secret-for-tokens', API_JWT_TTL: '2' });
    const wrong = await call(harness, '/api/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tatsu', shard: 3, secret: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    const bad = await call(harness, '/api/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tatsu' }),
    });
    expect(bad.status).toBe(400);
    const issued = await call(harness, '/api/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tatsu', shard: 3, secret: 'shared-secret-for-tokens' }),
    });
    expect(issued.status).toBe(200);
    const token = String(issued.body.token);
    expect(decodeJwt(token)).toMatchObject({
      name: 'tatsu',
      shard: 3,
      sub: 'tatsu',
      aud: 'streamcogs-api',
    });
    expect((await call(harness, '/api/streamers', { token })).status).toBe(200);
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await call(harness, '/api/streamers', { token: tampered })).status).toBe(401);
    expect((await call(harness, '/api/streamers')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 3200));
    expect((await call(harness, '/api/streamers', { token })).status).toBe(401); // expired
  });

  it('has no token endpoint without API_JWT_SECRET', async () => {
    const harness = await start({ API_KEY: 'k3y-for-the-api-0123456789' });
    const res = await call(harness, '/api/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', shard: 0, secret: 'x' }),
    });
    expect(res.status).toBe(404);
  });

  it('tracks and untracks streamers (subscribing and unsubscribing), and reports status, live streams and events', async () => {
    const harness = await start();
    const added = await call(harness, '/api/streamers/Bob', { method: 'POST' });
    expect(added).toMatchObject({
      status: 201,
      body: { streamer: { login: 'bob', source: 'api' } },
    });
    expect((await call(harness, '/api/streamers/bob', { method: 'POST' })).status).toBe(200);
    await harness.eventsub.settled();
    await sandbox.api.eventSub.idle();
    expect(subsOf('bob')).toEqual(['stream.offline', 'stream.online']);
    const listed = await call(harness, '/api/streamers');
    expect((listed.body.streamers as { login: string }[]).map((s) => s.login)).toEqual([
      'alice',
      'bob',
    ]);
    expect((await call(harness, '/api/streamers/bob/status')).body).toMatchObject({
      username: 'bob',
      is_live: false,
      source: 'storage',
    });

    sandbox.world.goLive('bob', { title: 'Hi', game: 'Art', viewers: 5 });
    await sandbox.api.eventSub.idle();
    await harness.eventsub.ingress.idle();
    await until(async () => (await call(harness, '/api/streams/live')).body.count === 1);
    const live = await call(harness, '/api/streams/live');
    expect(live.body.live_streams).toMatchObject([
      {
        username: 'bob',
        is_live: true,
        stream_data: { title: 'Hi', game_name: 'Art', viewer_count: 5 },
      },
    ]);
    const events = await call(harness, '/api/events?limit=1');
    expect(events.body).toMatchObject({
      count: 1,
      events: [{ type: 'stream.online', broadcaster_user_login: 'bob' }],
    });
    expect((await call(harness, '/api/events?limit=0')).status).toBe(400);

    // Any streamer: fetched from Helix the first time, from storage after.
    expect((await call(harness, '/api/streamers/carol/status')).body).toMatchObject({
      username: 'carol',
      source: 'twitch_api',
    });
    expect((await call(harness, '/api/streamers/carol/status')).body).toMatchObject({
      source: 'storage',
    });
    expect((await call(harness, '/api/streamers/nobody_here/status')).status).toBe(404);
    expect((await call(harness, '/api/streamers/not-a-login!/status')).status).toBe(400);

    expect((await call(harness, '/api/streamers/alice', { method: 'DELETE' })).status).toBe(409);
    expect((await call(harness, '/api/streamers/carol', { method: 'DELETE' })).status).toBe(404);
    expect((await call(harness, '/api/streamers/bob', { method: 'DELETE' })).status).toBe(200);
    await harness.eventsub.settled();
    expect(subsOf('bob')).toEqual([]);
    expect((await call(harness, '/api/streamers/nobody_here', { method: 'POST' })).status).toBe(
      404,
    );
  });

  it('acts for ?bot=, defaulting to the first bot in bots.yaml that runs the eventsub cog', async () => {
    const harness = await start({}, [
      bot('bob', [cog('es-a')], 'app-b'),
      bot('alice', [cog('eventsub')]),
      bot('carol', [cog('eventsub')]),
    ]);
    expect((await call(harness, '/api/streamers')).body.bot).toBe('alice');
    expect((await call(harness, '/api/streamers?bot=carol')).body).toMatchObject({
      bot: 'carol',
      streamers: [{ login: 'carol' }],
    });
    const unknown = await call(harness, '/api/streamers?bot=bob');
    expect(unknown.status).toBe(404);
    expect(String(unknown.body.message)).toMatch(/bots that do: alice, carol/);
  });

  it('answers 503 when no bot runs the eventsub cog', async () => {
    const harness = await start({}, [bot('alice', [])]);
    expect((await call(harness, '/api/streamers')).status).toBe(503);
  });
});
