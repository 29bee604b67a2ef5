import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../core/storage.js';
import { LinkStore } from '../../plugins/sub-roles/links.js';
import { waitUntil } from '../../src/testing/wait.js';
import {
  linkBroadcaster,
  member,
  roleCalls,
  rolesBecome,
} from '../plugins/sub-roles/helpers/actions.js';
import {
  BOT,
  BROADCASTER,
  startBot,
  startWorld,
  type Bot,
  type World,
} from '../plugins/sub-roles/helpers/harness.js';

const MEMBERS = 12;
const SETTINGS = { any_sub_role: 'Subscriber' };

describe('sub-roles: a restart in the middle of a reconciliation', () => {
  let world: World;
  let bot: Bot | undefined;
  beforeAll(async () => {
    // Discord lets 2 role calls a second through: the reconciliation takes several seconds.
    world = await startWorld({
      discord: { rateLimits: { memberRoles: { limit: 2, windowMs: 1000 } } },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await world?.close();
  });

  it('converges, and no role call is made twice', async () => {
    const dataDir = await mkdtemp(path.join(world.dir, 'data-'));
    const storage = await createStorage({ dataDir });
    const links = new LinkStore(storage.forCog(BOT, 'sub-roles'));
    const members: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const login = `fan${i}`;
      const discordId = member(world, login);
      members.push(discordId);
      world.sandbox.world.subscribe(BROADCASTER, login, '1000');
      const twitchId = world.sandbox.world.ensureUser(login).id;
      await links.update(discordId, () => ({
        discordId,
        twitchId,
        login,
        linkedAt: 1,
        sub: null,
        subAt: 1,
        linkTier: null,
        roles: [],
        version: 1,
      }));
    }
    await storage.close();

    bot = await startBot(world, { settings: SETTINGS, dataDir });
    await linkBroadcaster(world); // starts a reconciliation: 12 members, 24 role calls
    await waitUntil(() => roleCalls(world).length >= 6 || undefined, 'some role calls', 15_000);
    await bot.stop();
    bot = undefined;
    const before = roleCalls(world).length;
    expect(before).toBeLessThan(2 * MEMBERS);

    bot = await startBot(world, { settings: SETTINGS, dataDir });
    for (const id of members) await rolesBecome(world, id, ['Subscriber', 'Tier 1'], 30_000);
    const calls = roleCalls(world);
    expect(calls).toHaveLength(2 * MEMBERS);
    expect(new Set(calls).size).toBe(calls.length);
    expect(world.discordLog.filter((r) => r.status === 429)).toEqual([]);
  });
});
