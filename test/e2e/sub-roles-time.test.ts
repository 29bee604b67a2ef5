import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/testing/wait.js';
import {
  authorizeAs,
  buttons,
  click,
  dmContaining,
  dms,
  linkBroadcaster,
  linkMember,
  member,
  page,
  roleCalls,
  roles,
  rolesBecome,
  slash,
  subEventsReady,
  subscribe,
  urlIn,
} from '../plugins/sub-roles/helpers/actions.js';
import {
  BOT,
  BROADCASTER,
  startBot,
  startWorld,
  type Bot,
  type World,
} from '../plugins/sub-roles/helpers/harness.js';

const DAY = 86_400_000;

describe('sub-roles over time (fake clock)', () => {
  let world: World;
  let bot: Bot;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    world = await startWorld();
    bot = await startBot(world, {
      settings: { any_sub_role: 'Subscriber', grace_days: 3, monthly_relink: false },
      fakeTime: true,
    });
    await linkBroadcaster(world);
    await subEventsReady(world);
  });
  afterAll(async () => {
    await bot?.stop();
    await world?.close();
  });

  it('a sub end warns by DM first, keeps the roles 3 days, then removes them', async () => {
    subscribe(world, 'ada', '1000');
    const ada = member(world, 'ada');
    await linkMember(world, ada, 'ada');
    expect(roles(world, ada)).toEqual(['Subscriber', 'Tier 1']);
    const endedAt = bot.clock.now();
    world.sandbox.world.unsubscribe(BROADCASTER, 'ada');
    const warning = await dmContaining(world, ada, 'has ended');
    const deadline = Number(/<t:(\d+):F>/.exec(warning.content)?.[1]) * 1000;
    expect(deadline).toBeGreaterThanOrEqual(endedAt + 3 * DAY - 1000);
    expect(deadline).toBeLessThan(endedAt + 3 * DAY + 60_000);
    expect(buttons(warning)).toEqual([`sub-roles:${BOT}:link`]);
    bot.clock.set(bot.clock.now() + DAY);
    await bot.clock.advance(60_000);
    expect(roles(world, ada)).toEqual(['Subscriber', 'Tier 1']);
    expect((await slash(world, ada, 'status')).content).toContain(
      'Grace period: your roles are removed on',
    );
    bot.clock.set(deadline + 1000);
    await bot.clock.advance(60_000);
    await rolesBecome(world, ada, []);
    const removed = world.discordLog.find((r) => r.method === 'DELETE' && r.path.includes(ada));
    expect(Date.parse(warning.timestamp)).toBeLessThan(removed!.at);
  });

  it('an expired /link URL gets 400 and stores nothing', async () => {
    const zed = member(world, 'zed');
    const url = urlIn(await slash(world, zed, 'link'));
    await bot.clock.advance(11 * 60_000);
    const res = await fetch(`${url}&login=zed&auto=1`, { redirect: 'manual' });
    const shown = await page(res.headers.get('location') as string);
    expect(shown.status).toBe(400);
    expect(shown.text).toContain('this link has expired');
    expect(await bot.connections.tokens.load(`${BOT}/sub-roles/member:${zed}`)).toBeUndefined();
    expect((await slash(world, zed, 'status')).content).toContain('Not linked');
  });

  it('reminds unlinked members when they join and a week later, unless they opt out; closed DMs stay quiet', async () => {
    const joe = (ids.joe = member(world, 'joe'));
    const kim = member(world, 'kim');
    const lou = member(world, 'lou', { dmsOpen: false });
    const first = await dmContaining(
      world,
      joe,
      'Link your Twitch account to get your subscriber role',
    );
    expect(buttons(first)).toEqual([`sub-roles:${BOT}:link`, `sub-roles:${BOT}:optout`]);
    const kimFirst = await dmContaining(world, kim, 'Link your Twitch account');
    const stop = await click(world, kimFirst, `sub-roles:${BOT}:optout`, kim);
    expect(stop.content).toBe('Done: no more reminders from this server.');
    await waitUntil(
      () =>
        world.discordLog.some(
          (r) => r.method === 'POST' && r.status === 403 && r.path.startsWith('/channels/'),
        ) || undefined,
      'the refused DM to lou',
    );
    bot.clock.set(bot.clock.now() + 7 * DAY);
    await bot.clock.advance(60_000);
    const reminders = (id: string) => dms(world, id).filter((m) => m.content.startsWith('Welcome'));
    await waitUntil(() => reminders(joe).length === 2 || undefined, 'the second reminder to joe');
    expect(reminders(kim)).toHaveLength(1);
    expect(dms(world, lou)).toHaveLength(0);
    const refused = () =>
      world.discordLog.filter((r) => r.status === 403 && r.path.startsWith('/channels/'));
    // One refused DM per reminder to lou (DMs closed), each given up at once: no retries.
    await waitUntil(() => refused().length === 2 || undefined, 'the second reminder to lou');
    const errors = bot.logs.filter((l) => /"level":(50|40)/.test(l) && l.includes(lou));
    expect(errors).toEqual([]);
  });

  it('the Link button of a DM gives a fresh link that works', async () => {
    const joe = ids.joe as string;
    const reminder = dms(world, joe)[0]!;
    const reply = await click(world, reminder, `sub-roles:${BOT}:link`, joe);
    expect(reply.ephemeral).toBe(true);
    const shown = await authorizeAs(urlIn(reply), 'joe');
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Twitch account joe is linked');
    expect((await slash(world, joe, 'status')).content).toContain('Linked Twitch account: joe');
  });

  it('makes no role call twice, and retries no refused DM', () => {
    const calls = roleCalls(world);
    expect(new Set(calls).size).toBe(calls.length);
    const refused = world.discordLog.filter(
      (r) => r.status === 403 && r.path.startsWith('/channels/'),
    );
    expect(refused).toHaveLength(2); // the two reminders to lou, never retried
  });
});
