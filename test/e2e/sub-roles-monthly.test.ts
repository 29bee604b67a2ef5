import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meta } from '../../plugins/sub-roles/cog.js';
import { waitUntil } from '../../src/testing/wait.js';
import {
  authorizeAs,
  buttons,
  click,
  dmContaining,
  dms,
  linkBroadcaster,
  linkedSubscribers,
  rolesBecome,
  slash,
  subEventsReady,
  subscribe,
  urlIn,
} from '../plugins/sub-roles/helpers/actions.js';
import {
  BOT,
  startBot,
  startWorld,
  type Bot,
  type World,
} from '../plugins/sub-roles/helpers/harness.js';

const MINUTE = 60_000;

describe('sub-roles: the monthly relink (fake clock)', () => {
  let world: World;
  let bot: Bot;
  const ids: Record<string, string> = {};
  const meta = async (): Promise<Meta> =>
    (await bot.runtime.storage.forCog(BOT, 'sub-roles').get<Meta>('meta')) ?? {};

  beforeAll(async () => {
    world = await startWorld();
    bot = await startBot(world, {
      settings: { any_sub_role: 'Subscriber', grace_days: 3, remind_unlinked: false },
      fakeTime: true,
    });
    await linkBroadcaster(world);
    await subEventsReady(world);
    Object.assign(ids, await linkedSubscribers(world, ['ada', 'bob', 'cy']));
    // The first check only notes the month: linking just happened, nothing to renew.
    await bot.clock.advance(10 * MINUTE);
    await waitUntil(async () => (await meta()).relinkMonth, 'the first monthly check');
  });
  afterAll(async () => {
    await bot?.stop();
    await world?.close();
  });

  it('at month start, a changed tier or a lapsed token asks for a relink by DM', async () => {
    subscribe(world, 'ada', '2000');
    await rolesBecome(world, ids.ada!, ['Subscriber', 'Tier 2']);
    world.sandbox.world.revokeUserGrants('bob');
    const now = new Date(bot.clock.now());
    bot.clock.set(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 1));
    await bot.clock.advance(10 * MINUTE);
    const ada = await dmContaining(
      world,
      ids.ada!,
      "It's a new month: please link your Twitch account again",
    );
    expect(buttons(ada)).toEqual([`sub-roles:${BOT}:link`]);
    await dmContaining(world, ids.bob!, "It's a new month");
    await waitUntil(
      async () => (await meta()).relinkCursor === undefined || undefined,
      'the sweep to end',
    );
    expect(dms(world, ids.cy!).filter((m) => m.content.includes('new month'))).toEqual([]);
    expect((await slash(world, ids.ada!, 'status')).content).toContain(
      'Relink needed (your tier changed this month): use /link before',
    );
    expect((await slash(world, ids.bob!, 'status')).content).toContain(
      'Relink needed (your Twitch authorisation lapsed)',
    );
  });

  it('relinking keeps the roles; not relinking loses them after the grace period', async () => {
    const dm = dms(world, ids.ada!).find((m) => m.content.includes('new month'))!;
    const reply = await click(world, dm, `sub-roles:${BOT}:link`, ids.ada!);
    expect((await authorizeAs(urlIn(reply), 'ada')).status).toBe(200);
    expect((await slash(world, ids.ada!, 'status')).content).not.toContain('Relink needed');
    bot.clock.set(bot.clock.now() + 3 * 24 * 60 * MINUTE + MINUTE);
    await bot.clock.advance(MINUTE);
    await rolesBecome(world, ids.bob!, []);
    await rolesBecome(world, ids.ada!, ['Subscriber', 'Tier 2']);
    await rolesBecome(world, ids.cy!, ['Subscriber', 'Tier 1']);
  });
});
