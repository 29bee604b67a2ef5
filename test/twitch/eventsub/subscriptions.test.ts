import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listenerCalls } from './fixtures/listener.js';
import {
  bot,
  cog,
  PUBLIC_URL,
  startRuntime,
  startSandbox,
  until,
  type Harness,
  type Sandbox,
} from './helpers/harness.js';

let sandbox: Sandbox;
let h: Harness | undefined;
let ids: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  ids = Object.fromEntries(
    ['alice', 'bob', 'carol'].map((l) => [l, sandbox.world.ensureUser(l).id]),
  );
});
afterAll(async () => sandbox.close());
beforeEach(() => {
  listenerCalls().length = 0;
  for (const s of sandbox.world.eventSub.list()) sandbox.world.eventSub.remove(s.id);
});
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const online = (login: string) => ({
  type: 'stream.online',
  condition: { broadcaster_user_id: ids[login] as string },
});
const subsFor = (login: string, type = 'stream.online') =>
  sandbox.world.eventSub
    .list()
    .filter((s) => s.type === type && s.condition.broadcaster_user_id === ids[login]);

async function settle(harness: Harness): Promise<void> {
  await harness.eventsub.settled();
  await sandbox.api.eventSub.idle();
  await harness.eventsub.ingress.idle();
}

describe('EventSub subscriptions', () => {
  it('shares one Twitch subscription between two cogs and deletes it with the last one', async () => {
    h = await startRuntime(sandbox, {
      bots: [
        bot('alice', [
          cog('es-a', { subscriptions: [online('alice')] }),
          cog('es-b', { subscriptions: [online('alice')] }),
        ]),
        bot('bob', [cog('es-a', { subscriptions: [online('alice')] })]),
      ],
    });
    expect(subsFor('alice')).toHaveLength(1);
    expect(subsFor('alice')[0]?.status).toBe('enabled');
    sandbox.world.goLive('alice');
    await settle(h);
    expect(
      listenerCalls()
        .map((c) => `${c.bot}/${c.cog}`)
        .sort(),
    ).toEqual(['alice/es-a', 'alice/es-b', 'bob/es-a']);
    await h.runtime.bots.get('alice')?.host.unmount('es-a');
    await h.runtime.bots.get('bob')?.host.unmount('es-a');
    await settle(h);
    expect(subsFor('alice')).toHaveLength(1);
    await h.runtime.bots.get('alice')?.host.unmount('es-b');
    await settle(h);
    expect(subsFor('alice')).toHaveLength(0);
  });

  it('keeps the Twitch subscription through a cog reload and through a shutdown', async () => {
    h = await startRuntime(sandbox, {
      bots: [bot('alice', [cog('es-a', { subscriptions: [online('alice')] })])],
    });
    const [before] = subsFor('alice');
    const host = h.runtime.bots.get('alice')!.host;
    await host.reload(h.runtime.config.bots[0]!.cogs[0]!);
    await new Promise((r) => setTimeout(r, 300)); // well past the sync debounce
    expect(subsFor('alice').map((s) => s.id)).toEqual([before?.id]);
    await h.runtime.stop(); // cogs unmount: nobody wants it for a moment
    await new Promise((r) => setTimeout(r, 300));
    expect(subsFor('alice').map((s) => s.id)).toEqual([before?.id]);
  });

  it('creates a subscription for a cog mounted later (config change) without a restart', async () => {
    h = await startRuntime(sandbox, { bots: [bot('alice', [])] });
    expect(subsFor('bob')).toHaveLength(0);
    await h.runtime.bots.get('alice')?.host.mount(cog('es-a', { subscriptions: [online('bob')] }));
    await until(() => subsFor('bob')[0]?.status === 'enabled');
    expect((await h.eventsub.reconcile()).created).toEqual([]);
  });

  it('deletes orphans pointing at our callback at startup, across pages, and leaves other callbacks alone', async () => {
    const add = (callback: string, userId: string) => {
      const sub = sandbox.world.eventSub.add({
        clientId: 'app-a',
        type: 'stream.offline',
        version: '1',
        condition: { broadcaster_user_id: userId },
        callback,
        secret: 'old-secret-0000',
        createdAt: Date.now(),
        cost: 0,
      });
      sub.status = 'enabled';
    };
    for (let i = 0; i < 150; i++)
      add(`${PUBLIC_URL}/eventsub/event/stream.offline.${9000 + i}`, String(9000 + i));
    add('https://elsewhere.example/hooks/twitch', '8000');
    h = await startRuntime(sandbox, {
      bots: [bot('alice', [cog('es-a', { subscriptions: [online('alice')] })])],
    });
    expect(h.report.listed).toBe(150);
    expect(h.report.deleted).toHaveLength(150);
    expect(h.report.created).toEqual([`stream.online@1?broadcaster_user_id=${ids.alice}`]);
    const left = sandbox.world.eventSub.list();
    expect(left.map((s) => s.callback).sort()).toEqual([
      `${PUBLIC_URL}/eventsub/event/stream.online.${ids.alice}`,
      'https://elsewhere.example/hooks/twitch',
    ]);
  });

  it('keeps its own subscriptions across a restart and re-creates one made with an unknown secret', async () => {
    const bots = [bot('alice', [cog('es-a', { subscriptions: [online('alice')] })])];
    h = await startRuntime(sandbox, { bots });
    const first = subsFor('alice')[0]?.id;
    const dataDir = h.dataDir;
    await h.stop();
    h = await startRuntime(sandbox, { bots, dataDir });
    expect(h.report.kept).toHaveLength(1);
    expect(subsFor('alice').map((s) => s.id)).toEqual([first]);
    await h.stop();
    h = await startRuntime(sandbox, { bots }); // new storage: a new secret
    expect(h.report.recreated).toHaveLength(1);
    expect(subsFor('alice').map((s) => s.id)).not.toContain(first);
    expect(subsFor('alice')[0]?.status).toBe('enabled');
  });

  it('re-creates a subscription Twitch revoked for notification_failures_exceeded', async () => {
    h = await startRuntime(sandbox, {
      bots: [bot('alice', [cog('es-a', { subscriptions: [online('alice')] })])],
    });
    const old = subsFor('alice')[0];
    expect(old).toBeDefined();
    const rec = await sandbox.api.eventSub.revoke(old!.id, 'notification_failures_exceeded');
    expect(rec?.ok).toBe(true);
    await until(() => subsFor('alice').some((s) => s.id !== old!.id && s.status === 'enabled'));
    sandbox.world.goLive('alice');
    await settle(h);
    expect(listenerCalls()).toHaveLength(1);
    const stored = await h.eventsub.stored(`stream.online@1?broadcaster_user_id=${ids.alice}`);
    expect(stored).toMatchObject({
      status: 'enabled',
      lastRevocation: { status: 'notification_failures_exceeded' },
    });
  });

  it('marks an authorization_revoked subscription at startup, says what to do, and re-creates it once authorized', async () => {
    const cheer = {
      type: 'channel.cheer',
      condition: { broadcaster_user_id: ids.alice as string },
    };
    const sub = sandbox.world.eventSub.add({
      clientId: 'app-a',
      type: 'channel.cheer',
      version: '1',
      condition: { ...cheer.condition },
      callback: `${PUBLIC_URL}/eventsub/event/channel.cheer.${ids.alice}`,
      secret: 'whatever-secret',
      createdAt: Date.now(),
      cost: 0,
    });
    sub.status = 'authorization_revoked';
    const bots = [bot('alice', [cog('es-a', { subscriptions: [cheer] })])];
    h = await startRuntime(sandbox, { bots });
    const key = `channel.cheer@1?broadcaster_user_id=${ids.alice}`;
    expect(h.report.blocked).toEqual([
      {
        key,
        status: 'authorization_revoked',
        fix: expect.stringContaining(
          `user ${ids.alice} must authorize Twitch app app-a again with scope bits:read`,
        ),
      },
    ]);
    expect(h.report.blocked[0]?.fix).toContain('npx streamcogs auth alice');
    expect(subsFor('alice', 'channel.cheer')).toHaveLength(0); // Twitch refused it again (403)
    expect(h.logs.find((l) => l.includes('is authorization_revoked'))).toContain('must authorize');
    expect(await h.eventsub.stored(key)).toMatchObject({ status: 'authorization_revoked' });
    // The broadcaster authorizes the app again: the next reconciliation creates it.
    sandbox.world.grantUser('alice', 'app-a', ['bits:read']);
    const report = await h.eventsub.reconcile();
    expect(report.created).toEqual([key]);
    await sandbox.api.eventSub.idle();
    expect(subsFor('alice', 'channel.cheer')[0]?.status).toBe('enabled');
  });

  it('says clearly when max_total_cost would be exceeded', async () => {
    const tight = await startSandbox({ maxTotalCost: 1 });
    tight.world.ensureUser('bob');
    tight.world.ensureUser('carol');
    try {
      h = await startRuntime(tight, {
        bots: [
          bot('alice', [
            cog('es-a', {
              subscriptions: ['bob', 'carol'].map((l) => ({
                type: 'stream.online',
                condition: { broadcaster_user_id: tight.world.ensureUser(l).id },
              })),
            }),
          ]),
        ],
      });
      const codes = h.report.errors.map((e) => e.code);
      expect(codes).toContain('EVENTSUB_MAX_COST');
      expect(h.report.errors[0]?.message).toMatch(/would exceed max_total_cost \(0 of 1 used\)/);
      expect(h.report.created).toHaveLength(1);
    } finally {
      await h?.stop();
      h = undefined;
      await tight.close();
      process.env.TWURPLE_MOCK_API_PORT = String(sandbox.api.port);
    }
  });

  it('fails the setup of a cog asking for an unknown type or a wrong condition, naming the fix', async () => {
    h = await startRuntime(sandbox, {
      bots: [
        bot('alice', [
          cog('es-a', { subscriptions: [{ type: 'channel.nonsense', condition: {} }] }),
          cog('es-b', {
            subscriptions: [{ type: 'channel.follow', condition: { broadcaster_user_id: '1' } }],
          }),
        ]),
      ],
    });
    const status = h.runtime.bots.get('alice')?.host.status();
    expect(status?.[0]?.error).toMatch(/"channel.nonsense" is not supported/);
    expect(status?.[1]?.error).toMatch(/give exactly \{broadcaster_user_id, moderator_user_id\}/);
    expect(sandbox.world.eventSub.list()).toHaveLength(0);
  });
});
