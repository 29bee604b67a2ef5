import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEventSubSandbox, type EventSubSandbox } from './helpers/eventsub-sandbox.js';

const clientId = 'senderclient';
const secret = 'webhook-secret-42';

let es: EventSubSandbox;

beforeAll(async () => {
  es = await startEventSubSandbox({
    clientId,
    secret,
    server: { delivery: { retryBaseMs: 5, maxAttempts: 3, revokeAfterFailures: 4 } },
  });
});

afterAll(() => es.close());

beforeEach(() => es.receiver.reset());

async function subscribe(
  type: string,
  version: string,
  condition: Record<string, string>,
): Promise<string> {
  const res = await es.api('POST', '', es.subscribeBody(type, version, condition));
  expect(res.status).toBe(202);
  const id = (res.json.data as Array<{ id: string }>)[0]?.id ?? '';
  await es.server.eventSub.idle();
  expect(es.world.eventSub.get(id)?.status).toBe('enabled');
  return id;
}

describe('notifications for world mutators', () => {
  it('shapes every event like Twitch', async () => {
    const [chan, fan] = [es.world.ensureUser('Chan'), es.world.ensureUser('Fan')];
    es.world.grantUser('chan', clientId, [
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
    es.receiver.reset();

    const who = {
      broadcaster_user_id: chan.id,
      broadcaster_user_login: 'chan',
      broadcaster_user_name: 'Chan',
    };
    const fanRef = { user_id: fan.id, user_login: 'fan', user_name: 'Fan' };
    es.world.updateChannel('chan', { title: 'T', game: 'Minecraft' });
    es.world.follow('chan', 'fan');
    es.world.subscribe('chan', 'fan', '1000', { gift: { anonymous: true } });
    es.world.subscribe('chan', 'fan', '1000', { message: 'love it' });
    es.world.unsubscribe('chan', 'fan');
    es.world.cheer('chan', null, 50, 'Cheer50');
    es.world.raid('fan', 'chan', 12);
    es.world.raid('chan', 'fan', 3); // outgoing raid: no subscription matches
    es.world.redeem('chan', 'fan', { id: 'r1', title: 'Hydrate', cost: 100 }, 'water');
    es.world.redeem('chan', 'fan', { id: 'r2', title: 'Other', cost: 5 });
    await es.server.eventSub.idle();

    expect(es.receiver.events('channel.update')).toEqual([
      {
        ...who,
        title: 'T',
        language: 'en',
        category_id: '27471',
        category_name: 'Minecraft',
        content_classification_labels: [],
      },
    ]);
    expect(es.receiver.events('channel.follow')).toEqual([
      { ...fanRef, ...who, followed_at: expect.any(String) },
    ]);
    expect(es.receiver.events('channel.subscription.gift')).toEqual([
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
    expect(es.receiver.events('channel.subscribe')).toEqual([
      { ...fanRef, ...who, tier: '1000', is_gift: true },
    ]);
    expect(es.receiver.events('channel.subscription.message')).toEqual([
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
    expect(es.receiver.events('channel.subscription.end')).toEqual([
      { ...fanRef, ...who, tier: '1000', is_gift: true },
    ]);
    expect(es.receiver.events('channel.cheer')).toEqual([
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
    expect(es.receiver.events('channel.raid')).toEqual([
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
    const [redemption] = es.receiver.events('channel.channel_points_custom_reward_redemption.add');
    expect(redemption).toMatchObject({
      ...who,
      ...fanRef,
      user_input: 'water',
      status: 'unfulfilled',
      reward: { id: 'r1', title: 'Hydrate', cost: 100, prompt: '' },
    });
    expect(es.receiver.events('channel.channel_points_custom_reward_redemption.add')).toHaveLength(
      1,
    );
    const sample = es.receiver.ofType('notification')[0];
    expect(es.receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(sample?.json.subscription).toMatchObject({
      status: 'enabled',
      transport: { method: 'webhook', callback: es.receiver.url },
    });
    expect(sample?.headers['twitch-eventsub-message-type']).toBe('notification');
  });

  it('revokes authorization-bound subscriptions when the user revokes the grant', async () => {
    es.world.revokeUserGrants('chan');
    await es.server.eventSub.idle();
    const revocations = es.receiver.ofType('revocation');
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
      es.world.eventSub
        .list()
        .find(
          (s) =>
            s.type === 'channel.update' &&
            s.condition.broadcaster_user_id === es.world.ensureUser('chan').id,
        )?.status,
    ).toBe('enabled');
  });

  it('retries with backoff, then revokes with notification_failures_exceeded', async () => {
    const id = await subscribe('stream.online', '1', {
      broadcaster_user_id: es.world.ensureUser('flaky').id,
    });
    es.receiver.reply.status = 500;
    es.world.goLive('flaky');
    await es.server.eventSub.idle();
    es.world.goOffline('flaky');
    es.world.goLive('flaky');
    await es.server.eventSub.idle();
    const attempts = es.server.eventSub.deliveries.filter(
      (d) => d.subscriptionId === id && d.messageType === 'notification',
    );
    expect(attempts.map((d) => [d.status, d.retry])).toEqual([
      [500, 0],
      [500, 1],
      [500, 2],
      [500, 0],
    ]);
    expect(es.world.eventSub.get(id)?.status).toBe('notification_failures_exceeded');
    const [revocation] = es.receiver.ofType('revocation');
    expect(revocation?.json.subscription).toMatchObject({
      id,
      status: 'notification_failures_exceeded',
    });
  });
});
