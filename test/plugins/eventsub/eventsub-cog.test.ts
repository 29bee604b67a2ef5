import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import plugin from '../../../plugins/eventsub/index.js';
import {
  CREAMERY_EVENT_NAMES,
  conditionFor,
  resolveEventName,
  TWITCH_EVENT_TYPES,
} from '../../../plugins/eventsub/event-names.js';
import type { StreamerStatus } from '../../../plugins/eventsub/index.js';
import { eventSubType } from '../../../src/twitch/eventsub/index.js';
import { busRecords } from '../../twitch/eventsub/fixtures/bus-records.js';
import {
  bot,
  cog,
  startRuntime,
  startSandbox,
  until,
  type Harness,
  type Sandbox,
} from '../../twitch/eventsub/helpers/harness.js';

let sandbox: Sandbox;
let h: Harness | undefined;

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.world.createApp({ clientId: 'app-a', clientSecret: 'app-a-secret' });
  sandbox.world.grantUser('alice', 'app-a', ['bits:read', 'channel:read:redemptions']);
});
afterAll(async () => sandbox.close());
beforeEach(() => {
  busRecords().length = 0;
});
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ALL = [
  'stream.online',
  'stream.offline',
  'channel.raid',
  'channel.cheer',
  'channel.channel_points_custom_reward_redemption.add',
];

async function startAlice(events: string[], dataDir?: string): Promise<Harness> {
  h = await startRuntime(sandbox, {
    dataDir,
    bots: [
      bot('alice', [
        cog('bus-recorder', { names: ALL }),
        cog('eventsub', { events, refresh_seconds: 3600 }),
      ]),
    ],
  });
  return h;
}

async function settle(harness: Harness): Promise<void> {
  await harness.eventsub.settled();
  await sandbox.api.eventSub.idle();
  await harness.eventsub.ingress.idle();
}

describe('eventsub cog', () => {
  it('maps every twitch-creamery name to a Twitch type the ingress can subscribe to', () => {
    for (const [name, type] of Object.entries(CREAMERY_EVENT_NAMES)) {
      const resolved = resolveEventName(name);
      expect(resolved?.type, name).toBe(type);
    }
    for (const e of Object.values(TWITCH_EVENT_TYPES))
      expect(() => eventSubType(e.type, conditionFor(e, '42')), e.type).not.toThrow();
    expect(resolveEventName('channel_points_redeemed')?.type).toBe(
      'channel.channel_points_custom_reward_redemption.add',
    );
    expect(resolveEventName('stream.online')?.type).toBe('stream.online');
  });

  it('refuses an unknown event name in bots.yaml, suggesting the closest one', () => {
    const parsed = plugin.settings!.safeParse({
      events: ['channel_raid', 'channel_raids', 'stream.onlin', 'xyzzy'],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['events', 1], 'unknown event "channel_raids"; did you mean "channel_raid"?'],
      [['events', 2], 'unknown event "stream.onlin"; did you mean "stream.online"?'],
      [['events', 3], expect.stringMatching(/^unknown event "xyzzy"; use a twitch-creamery name/)],
    ]);
    expect(plugin.settings!.parse({ port: 15543 })).toMatchObject({
      events: ['stream.online', 'stream.offline'],
      keep_events: 1000,
    });
  });

  it('subscribes the channel to the events list and republishes each event on the bus', async () => {
    const harness = await startAlice([
      'channel_stream_start',
      'channel_stream_end',
      'channel_raid',
      'channel_cheers',
      'channel_points_redeemed',
    ]);
    const types = sandbox.world.eventSub
      .list()
      .map((s) => `${s.type}:${s.status}`)
      .sort();
    expect(types).toEqual([
      'channel.channel_points_custom_reward_redemption.add:enabled',
      'channel.cheer:enabled',
      'channel.raid:enabled',
      'stream.offline:enabled',
      'stream.online:enabled',
    ]);
    sandbox.world.goLive('alice', { title: 'Speedrun', game: 'Minecraft', viewers: 12 });
    sandbox.world.raid('bob', 'alice', 42);
    sandbox.world.cheer('alice', 'carol', 100);
    sandbox.world.redeem('alice', 'carol', { title: 'Hydrate', cost: 50 });
    await settle(harness);
    await until(() => busRecords().length >= 4);
    const byName = Object.fromEntries(busRecords().map((r) => [r.name, r.payload]));
    expect(Object.keys(byName).sort()).toEqual([
      'twitch:channel.channel_points_custom_reward_redemption.add',
      'twitch:channel.cheer',
      'twitch:channel.raid',
      'twitch:stream.online',
    ]);
    expect(byName['twitch:stream.online']).toMatchObject({
      bot: 'alice',
      channel: 'alice',
      source: 'eventsub',
      stream: { title: 'Speedrun', game_name: 'Minecraft', viewer_count: 12 },
    });
    expect(byName['twitch:channel.raid']?.event).toMatchObject({ viewers: 42 });
    const status = await harness.runtime.storage
      .forCog('alice', 'eventsub')
      .get<StreamerStatus>('status:alice');
    expect(status).toMatchObject({ is_live: true, last_event_type: 'stream.online' });
    sandbox.world.goOffline('alice');
    await settle(harness);
    await until(() => busRecords().some((r) => r.name === 'twitch:stream.offline'));
    const after = await harness.runtime.storage
      .forCog('alice', 'eventsub')
      .get<StreamerStatus>('status:alice');
    expect(after?.is_live).toBe(false);
  });

  it('notices a go-live missed while down at the next refresh and announces it once', async () => {
    let harness = await startAlice(['stream.online', 'stream.offline']);
    const dataDir = harness.dataDir;
    await until(async () =>
      Boolean(await harness.runtime.storage.forCog('alice', 'eventsub').get('status:alice')),
    );
    await harness.stop();
    h = undefined;
    sandbox.world.goLive('alice', { title: 'While you were out' });
    await sandbox.api.eventSub.idle(); // the deliveries fail: nobody listens
    const lost = sandbox.api.eventSub.deliveries.findLast(
      (d) => d.subscriptionType === 'stream.online',
    );
    busRecords().length = 0;
    harness = await startAlice(['stream.online', 'stream.offline'], dataDir);
    await until(() => busRecords().some((r) => r.name === 'twitch:stream.online'));
    expect(busRecords()).toMatchObject([
      { name: 'twitch:stream.online', payload: { source: 'refresh', channel: 'alice' } },
    ]);
    // Twitch delivers the lost message late, and a refresh runs again: nothing new.
    if (lost) await sandbox.api.eventSub.redeliver(lost.messageId);
    await settle(harness);
    const report = await harness.statusApi().refresh();
    expect(report).toMatchObject({ wentOnline: [], wentOffline: [] });
    expect(busRecords().filter((r) => r.name === 'twitch:stream.online')).toHaveLength(1);
    // Offline while down, noticed once.
    await harness.stop();
    h = undefined;
    sandbox.world.goOffline('alice');
    await sandbox.api.eventSub.idle();
    busRecords().length = 0;
    harness = await startAlice(['stream.online', 'stream.offline'], dataDir);
    await until(() => busRecords().some((r) => r.name === 'twitch:stream.offline'));
    await harness.statusApi().refresh();
    expect(busRecords().map((r) => `${r.name}:${r.payload.source}`)).toEqual([
      'twitch:stream.offline:refresh',
    ]);
  });
});
