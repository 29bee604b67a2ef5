import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goLiveSandbox, until, type GoLiveBot } from './helpers/harness.js';

let env: Awaited<ReturnType<typeof goLiveSandbox>>;
let bot: GoLiveBot;
const SECRET = 'jwt-secret-for-the-tests-0123456789';

beforeAll(async () => {
  env = await goLiveSandbox();
  for (const l of ['eve', 'fay']) env.world.ensureUser(l);
  bot = await env.startBot({}, { env: { API_JWT_SECRET: SECRET } });
});
afterAll(async () => {
  await bot.stop();
  await env.close();
});

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${bot.runtime.url}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  type Body = Record<string, unknown> & { token?: string; message?: string };
  return { status: res.status, body: text ? (JSON.parse(text) as Body) : undefined };
}

describe('go-live tracking API (the Tatsumaki service on our server)', () => {
  it('needs a JWT from POST /api/token, like the rest of /api', async () => {
    expect((await call('GET', '/tracking/123456789012345678')).status).toBe(401);
    expect((await call('GET', '/tracking/123456789012345678', undefined, 'not-a-jwt')).status).toBe(
      401,
    );
    const issued = await call('POST', '/token', { name: 'shard-bot', shard: 0, secret: SECRET });
    expect(issued.status).toBe(200);
    const empty = await call('GET', '/tracking/123456789012345678', undefined, issued.body?.token);
    expect(empty).toEqual({ status: 200, body: { names: [], webhook: null } });
  });

  it('tracks streamers in a channel with one reused webhook, posts there, and stops', async () => {
    const token = (await call('POST', '/token', { name: 'shard-bot', shard: 1, secret: SECRET }))
      .body?.token as string;
    const hook = env.webhook('live');
    const other = env.webhook('general');
    const ch = hook.channelId;
    const wh = { id: hook.id, token: hook.token };
    expect((await call('POST', `/tracking/${ch}/nobody_here`, wh, token)).status).toBe(404);
    const wrong = await call(
      'POST',
      `/tracking/${ch}/eve`,
      { id: other.id, token: other.token },
      token,
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body?.message ?? JSON.stringify(wrong.body)).toMatch(/posts in channel/);
    expect((await call('POST', `/tracking/${ch}/eve`, { id: '1' }, token)).status).toBe(400);
    expect(
      (
        await call(
          'POST',
          `/tracking/${ch}/eve`,
          { id: '123456789', token: 'no-such-token-xx' },
          token,
        )
      ).status,
    ).toBe(422);

    expect(await call('POST', `/tracking/${ch}/eve`, wh, token)).toEqual({
      status: 201,
      body: { names: ['eve'], webhook: wh },
    });
    expect((await call('POST', `/tracking/${ch}/Fay`, wh, token)).status).toBe(201);
    expect((await call('POST', `/tracking/${ch}/fay`, wh, token)).status).toBe(200);
    expect(await call('GET', `/tracking/${ch}`, undefined, token)).toEqual({
      status: 200,
      body: { names: ['eve', 'fay'], webhook: wh },
    });

    await env.subscribed(['eve', 'fay']);
    env.world.goLive('eve', { title: 'Eve live' });
    env.world.goLive('fay', { title: 'Fay live' });
    await until(() => env.posts('live').length === 2, 'two posts through the one webhook');
    expect(env.posts('live').map((m) => m.webhookId)).toEqual([hook.id, hook.id]);

    expect((await call('DELETE', `/tracking/${ch}/eve/${other.id}`, undefined, token)).status).toBe(
      409,
    );
    expect(await call('DELETE', `/tracking/${ch}/eve/${hook.id}`, undefined, token)).toEqual({
      status: 200,
      body: { names: ['fay'], webhook: wh },
    });
    expect((await call('DELETE', `/tracking/${ch}/eve/${hook.id}`, undefined, token)).status).toBe(
      404,
    );
    const list = await call('GET', '/tracking', undefined, token);
    expect(list.body).toMatchObject({
      bot: 'alice',
      count: 1,
      channels: [{ channel_id: ch, names: ['fay'] }],
    });
  });
});
