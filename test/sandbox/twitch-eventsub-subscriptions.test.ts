import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEventSubSandbox, type EventSubSandbox } from './helpers/eventsub-sandbox.js';

const clientId = 'subsclient';
const secret = 'webhook-secret-42';

let es: EventSubSandbox;

beforeAll(async () => {
  es = await startEventSubSandbox({
    clientId,
    secret,
    server: { maxTotalCost: 150, delivery: { retryBaseMs: 5 } },
  });
});

afterAll(() => es.close());

beforeEach(() => es.receiver.reset());

describe('EventSub subscription endpoints', () => {
  it('creates with 202 and Twitch fields, then verifies with a signed challenge', async () => {
    const b = es.world.ensureUser('alpha');
    const res = await es.api(
      'POST',
      '',
      es.subscribeBody('stream.online', '1', { broadcaster_user_id: b.id }),
    );
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ total: 1, total_cost: 1, max_total_cost: 150 });
    const [sub] = res.json.data as Array<Record<string, unknown>>;
    expect(sub).toMatchObject({
      status: 'webhook_callback_verification_pending',
      type: 'stream.online',
      version: '1',
      condition: { broadcaster_user_id: b.id },
      transport: { method: 'webhook', callback: es.receiver.url },
      cost: 1,
    });
    expect(String(sub?.created_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    await es.server.eventSub.idle();
    const [challenge] = es.receiver.received;
    expect(challenge?.signatureValid).toBe(true);
    const h = challenge?.headers ?? {};
    expect(h['twitch-eventsub-message-type']).toBe('webhook_callback_verification');
    expect(h['twitch-eventsub-subscription-type']).toBe('stream.online');
    expect(h['twitch-eventsub-subscription-version']).toBe('1');
    expect(h['twitch-eventsub-message-retry']).toBe('0');
    const signed = `${String(h['twitch-eventsub-message-id'])}${String(h['twitch-eventsub-message-timestamp'])}${challenge?.body}`;
    const expected = createHmac('sha256', secret).update(signed).digest('hex');
    expect(h['twitch-eventsub-message-signature']).toBe(`sha256=${expected}`);
    expect(es.world.eventSub.get(String(sub?.id))?.status).toBe('enabled');

    const dup = await es.api(
      'POST',
      '',
      es.subscribeBody('stream.online', '1', { broadcaster_user_id: b.id }),
    );
    expect(dup).toEqual({
      status: 409,
      json: { error: 'Conflict', status: 409, message: 'subscription already exists' },
    });
  });

  it('validates type, condition, transport, token type and authorization', async () => {
    const id = es.world.ensureUser('beta').id;
    const bad = async (body: unknown, token?: string): Promise<number> =>
      (await es.api('POST', '', body, token)).status;
    expect(await bad(es.subscribeBody('stream.online', '9', { broadcaster_user_id: id }))).toBe(
      400,
    );
    expect(await bad(es.subscribeBody('stream.online', '1', {}))).toBe(400);
    expect(
      await bad(
        es.subscribeBody('channel.raid', '1', {
          from_broadcaster_user_id: id,
          to_broadcaster_user_id: id,
        }),
      ),
    ).toBe(400);
    expect(
      await bad(
        es.subscribeBody(
          'stream.online',
          '1',
          { broadcaster_user_id: id },
          'http://example.com/hook',
        ),
      ),
    ).toBe(400);
    expect(
      await bad({
        ...(es.subscribeBody('stream.online', '1', { broadcaster_user_id: id }) as object),
        transport: { method: 'webhook', callback: es.receiver.url, secret: 'short' },
      }),
    ).toBe(400);
    const userToken = es.world.grantUser('beta', clientId, []).access_token;
    expect(
      await bad(es.subscribeBody('stream.online', '1', { broadcaster_user_id: id }), userToken),
    ).toBe(400);
    const cheer = await es.api(
      'POST',
      '',
      es.subscribeBody('channel.cheer', '1', {
        broadcaster_user_id: es.world.ensureUser('gamma').id,
      }),
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
    const free = await es.api(
      'POST',
      '',
      es.subscribeBody('stream.online', '1', { broadcaster_user_id: id }),
    );
    expect((free.json.data as Array<{ cost: number }>)[0]?.cost).toBe(0);
    await es.server.eventSub.idle();
  });

  it('lists with filters and cursor pagination, deletes, and enforces max_total_cost', async () => {
    for (let i = 0; i < 149; i++) {
      const res = await es.api(
        'POST',
        '',
        es.subscribeBody('stream.offline', '1', { broadcaster_user_id: `9${i}` }),
      );
      expect(res.status).toBe(202);
    }
    const over = await es.api(
      'POST',
      '',
      es.subscribeBody('stream.offline', '1', { broadcaster_user_id: '1' }),
    );
    expect(over.status).toBe(429);
    await es.server.eventSub.idle();
    const first = await es.api('GET', '?type=stream.offline');
    expect(first.json).toMatchObject({ total: 151, total_cost: 150, max_total_cost: 150 });
    expect(first.json.data).toHaveLength(100);
    const cursor = (first.json.pagination as { cursor?: string }).cursor;
    const second = await es.api('GET', `?type=stream.offline&after=${cursor}`);
    expect(second.json.data).toHaveLength(49);
    expect(second.json.pagination).toEqual({});
    const byUser = await es.api('GET', `?user_id=${es.world.ensureUser('alpha').id}`);
    expect(byUser.json.data).toHaveLength(1);
    expect((await es.api('GET', '?status=enabled&type=stream.offline')).status).toBe(400);

    const victim = (first.json.data as Array<{ id: string }>)[0]?.id ?? '';
    expect((await es.api('DELETE', `?id=${victim}`)).status).toBe(204);
    expect((await es.api('DELETE', `?id=${victim}`)).status).toBe(404);
    for (const sub of es.world.eventSub.list().filter((s) => s.type === 'stream.offline'))
      es.world.eventSub.remove(sub.id);
  });

  it('marks the subscription failed when the callback does not echo the challenge', async () => {
    es.receiver.reply.echoChallenge = false;
    const res = await es.api(
      'POST',
      '',
      es.subscribeBody('channel.update', '2', {
        broadcaster_user_id: es.world.ensureUser('delta').id,
      }),
    );
    await es.server.eventSub.idle();
    const id = (res.json.data as Array<{ id: string }>)[0]?.id ?? '';
    expect(es.world.eventSub.get(id)?.status).toBe('webhook_callback_verification_failed');
    es.world.updateChannel('delta', { title: 'nobody listens' });
    await es.server.eventSub.idle();
    expect(es.receiver.events('channel.update')).toHaveLength(0);
  });
});
