import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TwitchWorld } from '../../src/sandbox/twitch/world.js';
import { TwitchApiServer } from '../../src/sandbox/twitch/helix/index.js';
import { WebhookReceiver } from '../../src/sandbox/twitch/eventsub/webhook-receiver.js';

const clientId = 'senderclient';
const secret = 'webhook-secret-42';

let world: TwitchWorld;
let server: TwitchApiServer;
let receiver: WebhookReceiver;
let appToken: string;

beforeAll(async () => {
  world = new TwitchWorld();
  world.createApp({ clientId, clientSecret: 'x' });
  receiver = await WebhookReceiver.start({ secret });
  server = await TwitchApiServer.start({
    world,
    delivery: { retryBaseMs: 5, maxAttempts: 3, revokeAfterFailures: 4 },
  });
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

async function subscribe(
  type: string,
  version: string,
  condition: Record<string, string>,
): Promise<string> {
  const res = await api('POST', '', subscribeBody(type, version, condition));
  expect(res.status).toBe(202);
  const id = (res.json.data as Array<{ id: string }>)[0]?.id ?? '';
  await server.eventSub.idle();
  expect(world.eventSub.get(id)?.status).toBe('enabled');
  return id;
}

describe('notifications for world mutators', () => {
  it('shapes every event like Twitch', async () => {
    const [chan, fan] = [world.ensureUser('Chan'), world.ensureUser('Fan')];
    world.grantUser('chan', clientId, [
      'channel:read:subscriptions',
      'bits:read',
      'channel:read:redemptions',
      'moderator:read:followers',
    ]);
    const b = { broadcaster_user_id: chan.id };
    await subscribe('channel.update', '2', b);
    await subscribe('channel.follow', '2', { ...b, moderator_user_id: chan.id });
    for (const t of [
      'channel.subscribe',
      'channel.subscription.gift',
      'channel.subscription.message',
      'channel.subscription.end',
      'channel.cheer',
    ]) {
      await subscribe(t, '1', b);
    }
    await subscribe('channel.raid', '1', { to_broadcaster_user_id: chan.id });
    await subscribe('channel.channel_points_custom_reward_redemption.add', '1', {
      ...b,
      reward_id: 'r1',
    });
    receiver.reset();

    const who = {
      broadcaster_user_id: chan.id,
      broadcaster_user_login: 'chan',
      broadcaster_user_name: 'Chan',
    };
    const fanRef = { user_id: fan.id, user_login: 'fan', user_name: 'Fan' };
    world.updateChannel('chan', { title: 'T', game: 'Minecraft' });
    world.follow('chan', 'fan');
    world.subscribe('chan', 'fan', '1000', { gift: { anonymous: true } });
    world.subscribe('chan', 'fan', '1000', { message: 'love it' });
    world.unsubscribe('chan', 'fan');
    world.cheer('chan', null, 50, 'Cheer50');
    world.raid('fan', 'chan', 12);
    world.raid('chan', 'fan', 3); // outgoing raid: no subscription matches
    world.redeem('chan', 'fan', { id: 'r1', title: 'Hydrate', cost: 100 }, 'water');
    world.redeem('chan', 'fan', { id: 'r2', title: 'Other', cost: 5 });
    await server.eventSub.idle();

    expect(receiver.events('channel.update')).toEqual([
      {
        ...who,
        title: 'T',
        language: 'en',
        category_id: '27471',
        category_name: 'Minecraft',
        content_classification_labels: [],
      },
    ]);
    expect(receiver.events('channel.follow')).toEqual([
      { ...fanRef, ...who, followed_at: expect.any(String) },
    ]);
    expect(receiver.events('channel.subscription.gift')).toEqual([
      {
        user_id: null,
        user_login: null,
        user_name: null,
        ...who,
        total: 1,
        tier: '1000',
        cumulative_total: null,
        is_anonymous: true,
      },
    ]);
    expect(receiver.events('channel.subscribe')).toEqual([
      { ...fanRef, ...who, tier: '1000', is_gift: true },
    ]);
    expect(receiver.events('channel.subscription.message')).toEqual([
      {
        ...fanRef,
        ...who,
        tier: '1000',
        message: { text: 'love it', emotes: [] },
        cumulative_months: 2,
        streak_months: null,
        duration_months: 1,
      },
    ]);
    expect(receiver.events('channel.subscription.end')).toEqual([
      { ...fanRef, ...who, tier: '1000', is_gift: true },
    ]);
    expect(receiver.events('channel.cheer')).toEqual([
      {
        is_anonymous: true,
        user_id: null,
        user_login: null,
        user_name: null,
        ...who,
        message: 'Cheer50',
        bits: 50,
      },
    ]);
    expect(receiver.events('channel.raid')).toEqual([
      {
        from_broadcaster_user_id: fan.id,
        from_broadcaster_user_login: 'fan',
        from_broadcaster_user_name: 'Fan',
        to_broadcaster_user_id: chan.id,
        to_broadcaster_user_login: 'chan',
        to_broadcaster_user_name: 'Chan',
        viewers: 12,
      },
    ]);
    const [redemption] = receiver.events('channel.channel_points_custom_reward_redemption.add');
    expect(redemption).toMatchObject({
      ...who,
      ...fanRef,
      user_input: 'water',
      status: 'unfulfilled',
      reward: { id: 'r1', title: 'Hydrate', cost: 100, prompt: '' },
    });
    expect(receiver.events('channel.channel_points_custom_reward_redemption.add')).toHaveLength(1);
    const sample = receiver.ofType('notification')[0];
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(sample?.json.subscription).toMatchObject({
      status: 'enabled',
      transport: { method: 'webhook', callback: receiver.url },
    });
    expect(sample?.headers['twitch-eventsub-message-type']).toBe('notification');
  });

  it('revokes authorization-bound subscriptions when the user revokes the grant', async () => {
    world.revokeUserGrants('chan');
    await server.eventSub.idle();
    const revocations = receiver.ofType('revocation');
    expect(revocations.map((r) => r.json.subscription.type).sort()).toEqual([
      'channel.channel_points_custom_reward_redemption.add',
      'channel.cheer',
      'channel.follow',
      'channel.subscribe',
      'channel.subscription.end',
      'channel.subscription.gift',
      'channel.subscription.message',
    ]);
    expect(revocations[0]?.json.subscription.status).toBe('authorization_revoked');
    expect(
      world.eventSub
        .list()
        .find(
          (s) =>
            s.type === 'channel.update' &&
            s.condition.broadcaster_user_id === world.ensureUser('chan').id,
        )?.status,
    ).toBe('enabled');
  });

  it('retries with backoff, then revokes with notification_failures_exceeded', async () => {
    const id = await subscribe('stream.online', '1', {
      broadcaster_user_id: world.ensureUser('flaky').id,
    });
    receiver.reply.status = 500;
    world.goLive('flaky');
    await server.eventSub.idle();
    world.goOffline('flaky');
    world.goLive('flaky');
    await server.eventSub.idle();
    const attempts = server.eventSub.deliveries.filter(
      (d) => d.subscriptionId === id && d.messageType === 'notification',
    );
    expect(attempts.map((d) => [d.status, d.retry])).toEqual([
      [500, 0],
      [500, 1],
      [500, 2],
      [500, 0],
    ]);
    expect(world.eventSub.get(id)?.status).toBe('notification_failures_exceeded');
    const [revocation] = receiver.ofType('revocation');
    expect(revocation?.json.subscription).toMatchObject({
      id,
      status: 'notification_failures_exceeded',
    });
  });
});
