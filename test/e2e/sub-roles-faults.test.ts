import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkStore } from '../../plugins/sub-roles/links.js';
import { waitUntil } from '../../src/testing/wait.js';
import {
  buttons,
  dmContaining,
  linkBroadcaster,
  linkedSubscribers,
  linkMember,
  member,
  roleCalls,
  roles,
  rolesBecome,
  slash,
  subEventsReady,
  subscribe,
} from '../plugins/sub-roles/helpers/actions.js';
import {
  BOT,
  startBot,
  startWorld,
  type Bot,
  type World,
} from '../plugins/sub-roles/helpers/harness.js';

describe('sub-roles faults: a role above the bot, no Manage Roles', () => {
  let world: World;
  let bot: Bot;
  beforeAll(async () => {
    world = await startWorld({ botPermissions: ['SendMessages'], rolesAboveBot: ['VIP'] });
    bot = await startBot(world, { settings: { gifted_role: 'VIP' } });
  });
  afterAll(async () => {
    await bot?.stop();
    await world?.close();
  });

  it('reports both at startup and in /status, and makes no role call', async () => {
    await waitUntil(
      () => bot.logs.some((l) => l.includes('lacks Manage Roles')) || undefined,
      'the startup report',
    );
    expect(
      bot.logs.some((l) => l.includes('role \\"VIP\\" (used by sub-roles) is not below')),
    ).toBe(true);
    await linkBroadcaster(world);
    subscribe(world, 'ada', '1000');
    const ada = member(world, 'ada');
    const shown = await linkMember(world, ada, 'ada');
    expect(shown.text).toContain('You are getting Tier 1');
    const status = (await slash(world, ada, 'status')).content;
    expect(status).toContain('Roles: Tier 1 (being updated now).');
    expect(status).toContain('Problems an admin must fix:');
    expect(status).toContain('the bot lacks the Manage Roles permission in "Sub Club"');
    expect(status).toContain('role "VIP" is not below the bot\'s highest role "Bot"');
    expect(roleCalls(world)).toEqual([]);
    expect(world.discordLog.filter((r) => r.status === 403)).toEqual([]);
  });
});

describe('sub-roles faults: rate limits, revoked tokens, members who leave', () => {
  let world: World;
  let bot: Bot;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    world = await startWorld({
      discord: { rateLimits: { memberRoles: { limit: 4, windowMs: 2000 } } },
    });
    bot = await startBot(world, { settings: { any_sub_role: 'Subscriber' } });
    await linkBroadcaster(world);
    await subEventsReady(world);
    Object.assign(ids, await linkedSubscribers(world, ['ada', 'bob']));
  });
  afterAll(async () => {
    await bot?.stop();
    await world?.close();
  });

  it('a 429 makes the queue wait, and the role still lands', async () => {
    // Another process with the same token empties the guild's role bucket, in a new window
    // (one the bot has not seen the headers of).
    const token = world.sandbox.accounts.get(BOT)!.discord!.token;
    const other = member(world, 'other');
    const url = `${world.sandbox.discord.apiUrl}/v10/guilds/${world.guild.id}/members/${other}/roles/${world.guild.roles.Gifted}`;
    let granted = 0;
    for (;;) {
      const res = await fetch(url, { method: 'PUT', headers: { authorization: `Bot ${token}` } });
      if (res.status !== 429) granted++;
      else if (granted > 0) break;
      else await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after')) * 1000));
    }
    subscribe(world, 'ada', '2000');
    await rolesBecome(world, ids.ada!, ['Subscriber', 'Tier 2'], 20_000);
    const ours = world.discordLog.filter((r) => r.status === 429 && r.path.includes(ids.ada!));
    expect(ours).toHaveLength(1); // the call that found the bucket empty; then the queue waited
    expect(bot.logs.some((l) => l.includes('"level":50'))).toBe(false);
  });

  it('a revoked Twitch token asks for a relink, by DM with a button', async () => {
    world.sandbox.world.revokeUserGrants('bob');
    const status = (await slash(world, ids.bob!, 'status')).content;
    expect(status).toContain('Relink needed (your Twitch authorisation lapsed): use /link before');
    const dm = await dmContaining(world, ids.bob!, 'Your Twitch authorisation');
    expect(buttons(dm)).toEqual([`sub-roles:${BOT}:link`]);
    expect(roles(world, ids.bob!)).toEqual(['Subscriber', 'Tier 1']);
  });

  it('a member who left keeps the link and gets no role calls; back, they get their roles', async () => {
    const bob = ids.bob!;
    const links = new LinkStore(bot.runtime.storage.forCog(BOT, 'sub-roles'));
    world.sandbox.discord.removeMember(world.guild.id, bob);
    await waitUntil(async () => (await links.get(bob))?.left, 'bob marked as left');
    const before = roleCalls(world).length;
    subscribe(world, 'bob', '3000');
    await waitUntil(
      async () => (await links.get(bob))?.sub?.tier === '3000' || undefined,
      'the new tier stored',
    );
    expect(roleCalls(world).slice(before)).toEqual([]);
    world.sandbox.discord.addMember(world.guild.id, { id: bob });
    await rolesBecome(world, bob, ['Subscriber', 'Tier 3']);
  });
});
