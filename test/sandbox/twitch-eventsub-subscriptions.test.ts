import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TwitchWorld } from '../../src/sandbox/twitch/world.js';
import { TwitchApiServer } from '../../src/sandbox/twitch/helix/index.js';
import { WebhookReceiver } from '../../src/sandbox/twitch/eventsub/webhook-receiver.js';

const clientId = 'subsclient';
const secret = 'webhook-secret-42';

let world: TwitchWorld;
let server: TwitchApiServer;
let receiver: WebhookReceiver;
let appToken: string;

beforeAll(async () => {
  world = new TwitchWorld();
  world.createApp({ clientId, clientSecret: 'x' });
  receiver = await WebhookReceiver.start({ secret });
  server = await TwitchApiServer.start({ world, maxTotalCost: 150, delivery: { retryBaseMs: 5 } });
  appToken = world.auth.issueAppToken(clientId).access_token;
});

afterAll(async () => {
  await server.close();
  await receiver.close();
});

beforeEach(() => receiver.reset());

async function api(
  method: string,
  query = '',
  body?: unknown,
  token = appToken,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/eventsub/subscriptions${query}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Client-Id': clientId,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function subscribeBody(
  type: string,
  version: string,
  condition: Record<string, string>,
  url = receiver.url,
): unknown {
  return { type, version, condition, transport: { method: 'webhook', callback: url, secret } };
}

describe('EventSub subscription endpoints', () => {
  it('creates with 202 and Twitch fields, then verifies with a signed challenge', async () => {
    const b = world.ensureUser('alpha');
    const res = await api(
      'POST',
      '',
      subscribeBody('stream.online', '1', { broadcaster_user_id: b.id }),
    );
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ total: 1, total_cost: 1, max_total_cost: 150 });
    const [sub] = res.json.data as Array<Record<string, unknown>>;
    expect(sub).toMatchObject({
      status: 'webhook_callback_verification_pending',
      type: 'stream.online',
      version: '1',
      condition: { broadcaster_user_id: b.id },
      transport: { method: 'webhook', callback: receiver.url },
      cost: 1,
    });
    expect(String(sub?.created_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    await server.eventSub.idle();
    const [challenge] = receiver.received;
    expect(challenge?.signatureValid).toBe(true);
    const h = challenge?.headers ?? {};
    expect(h['twitch-eventsub-message-type']).toBe('webhook_callback_verification');
    expect(h['twitch-eventsub-subscription-type']).toBe('stream.online');
    expect(h['twitch-eventsub-subscription-version']).toBe('1');
    expect(h['twitch-eventsub-message-retry']).toBe('0');
    const signed = `${String(h['twitch-eventsub-message-id'])}${String(h['twitch-eventsub-message-timestamp'])}${challenge?.body}`;
    const expected = createHmac('sha256', secret).update(signed).digest('hex');
    expect(h['twitch-eventsub-message-signature']).toBe(`sha256=${expected}`);
    expect(world.eventSub.get(String(sub?.id))?.status).toBe('enabled');

    const dup = await api(
      'POST',
      '',
      subscribeBody('stream.online', '1', { broadcaster_user_id: b.id }),
    );
    expect(dup).toEqual({
      status: 409,
      json: { error: 'Conflict', status: 409, message: 'subscription already exists' },
    });
  });

  it('validates type, condition, transport, token type and authorization', async () => {
    const id = world.ensureUser('beta').id;
    const bad = async (body: unknown, token?: string): Promise<number> =>
      (await api('POST', '', body, token)).status;
    expect(await bad(subscribeBody('stream.online', '9', { broadcaster_user_id: id }))).toBe(400);
    expect(await bad(subscribeBody('stream.online', '1', {}))).toBe(400);
    expect(
      await bad(
        subscribeBody('channel.raid', '1', {
          from_broadcaster_user_id: id,
          to_broadcaster_user_id: id,
        }),
      ),
    ).toBe(400);
    expect(
      await bad(
        subscribeBody('stream.online', '1', { broadcaster_user_id: id }, 'http://example.com/hook'),
      ),
    ).toBe(400);
    expect(
      await bad({
        ...(subscribeBody('stream.online', '1', { broadcaster_user_id: id }) as object),
        transport: { method: 'webhook', callback: receiver.url, secret: 'short' },
      }),
    ).toBe(400);
    const userToken = world.grantUser('beta', clientId, []).access_token;
    expect(
      await bad(subscribeBody('stream.online', '1', { broadcaster_user_id: id }), userToken),
    ).toBe(400);
    const cheer = await api(
      'POST',
      '',
      subscribeBody('channel.cheer', '1', { broadcaster_user_id: world.ensureUser('gamma').id }),
    );
    expect(cheer).toEqual({
      status: 403,
      json: {
        error: 'Forbidden',
        status: 403,
        message: 'subscription missing proper authorization',
      },
    });
    // beta authorized the client (no scopes), so its stream.online costs nothing
    const free = await api(
      'POST',
      '',
      subscribeBody('stream.online', '1', { broadcaster_user_id: id }),
    );
    expect((free.json.data as Array<{ cost: number }>)[0]?.cost).toBe(0);
    await server.eventSub.idle();
  });

  it('lists with filters and cursor pagination, deletes, and enforces max_total_cost', async () => {
    for (let i = 0; i < 149; i++) {
      const res = await api(
        'POST',
        '',
        subscribeBody('stream.offline', '1', { broadcaster_user_id: `9${i}` }),
      );
      expect(res.status).toBe(202);
    }
    const over = await api(
      'POST',
      '',
      subscribeBody('stream.offline', '1', { broadcaster_user_id: '1' }),
    );
    expect(over.status).toBe(429);
    await server.eventSub.idle();
    const first = await api('GET', '?type=stream.offline');
    expect(first.json).toMatchObject({ total: 151, total_cost: 150, max_total_cost: 150 });
    expect(first.json.data).toHaveLength(100);
    const cursor = (first.json.pagination as { cursor?: string }).cursor;
    const second = await api('GET', `?type=stream.offline&after=${cursor}`);
    expect(second.json.data).toHaveLength(49);
    expect(second.json.pagination).toEqual({});
    const byUser = await api('GET', `?user_id=${world.ensureUser('alpha').id}`);
    expect(byUser.json.data).toHaveLength(1);
    expect((await api('GET', '?status=enabled&type=stream.offline')).status).toBe(400);

    const victim = (first.json.data as Array<{ id: string }>)[0]?.id ?? '';
    expect((await api('DELETE', `?id=${victim}`)).status).toBe(204);
    expect((await api('DELETE', `?id=${victim}`)).status).toBe(404);
    for (const sub of world.eventSub.list().filter((s) => s.type === 'stream.offline'))
      world.eventSub.remove(sub.id);
  });

  it('marks the subscription failed when the callback does not echo the challenge', async () => {
    receiver.reply.echoChallenge = false;
    const res = await api(
      'POST',
      '',
      subscribeBody('channel.update', '2', { broadcaster_user_id: world.ensureUser('delta').id }),
    );
    await server.eventSub.idle();
    const id = (res.json.data as Array<{ id: string }>)[0]?.id ?? '';
    expect(world.eventSub.get(id)?.status).toBe('webhook_callback_verification_failed');
    world.updateChannel('delta', { title: 'nobody listens' });
    await server.eventSub.idle();
    expect(receiver.events('channel.update')).toHaveLength(0);
  });
});
