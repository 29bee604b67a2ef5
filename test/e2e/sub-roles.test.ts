import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeAs,
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
  startBot,
  startWorld,
  type Bot,
  type World,
} from '../plugins/sub-roles/helpers/harness.js';
import { sqliteRows } from '../helpers/sqlite-rows.js';

const SETTINGS = { any_sub_role: 'Subscriber', gifted_role: 'Gifted' };

/** The bytes of the SQLite file and its WAL: where a token in plain text would show. */
async function sqliteBytes(dataDir: string): Promise<Buffer> {
  const files = (await readdir(dataDir)).filter((f) => f.startsWith('streamcogs.sqlite'));
  return Buffer.concat(await Promise.all(files.map((f) => readFile(path.join(dataDir, f)))));
}

describe('sub-roles: linking and instant updates', () => {
  let world: World;
  let bot: Bot;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    world = await startWorld();
    bot = await startBot(world, { settings: SETTINGS });
  });
  afterAll(async () => {
    await bot?.stop();
    await world?.close();
  });

  it('the owner links the broadcaster; other members may not', async () => {
    const eve = member(world, 'eve');
    const refused = await slash(world, eve, 'subroles', 'setup');
    expect(refused.content).toBe('Only the server owner can use /subroles.');
    const wrong = await authorizeAs(
      urlIn(await slash(world, world.guild.ownerId, 'subroles', 'setup')),
      'eve',
    );
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain(
      'You authorised as eve, but this bot serves the subscribers of streamer',
    );
    const shown = await linkBroadcaster(world);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Broadcaster linked');
    await subEventsReady(world);
  });

  it('a member runs /link, follows the URL, and gets the role of their tier', async () => {
    subscribe(world, 'ada', '1000');
    ids.ada = member(world, 'ada');
    const reply = await slash(world, ids.ada, 'link');
    expect(reply.ephemeral).toBe(true);
    const url = new URL(urlIn(reply));
    expect(url.searchParams.get('scope')).toBe('user:read:subscriptions');
    expect(url.searchParams.get('redirect_uri')).toBe(
      `http://localhost:${new URL(bot.runtime.url).port}/oauth/twitch/callback`,
    );
    const shown = await authorizeAs(url.toString(), 'ada');
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(
      'Twitch account ada is linked to your Discord account: subscribed at Tier 1 to streamer.',
    );
    expect(shown.text).toContain('You now have');
    expect(roles(world, ids.ada)).toEqual(['Subscriber', 'Tier 1']);
  });

  it('a tier change swaps the role at once, with no call made twice', async () => {
    subscribe(world, 'ada', '2000');
    await rolesBecome(world, ids.ada!, ['Subscriber', 'Tier 2']);
    const call = (method: string, role: string) =>
      `${method} ${ids.ada} ${world.guild.roles[role]}`;
    const calls = roleCalls(world).filter((c) => c.includes(` ${ids.ada} `));
    expect(calls.slice(0, 2).sort()).toEqual(
      [call('PUT', 'Subscriber'), call('PUT', 'Tier 1')].sort(),
    );
    expect(calls.slice(2)).toEqual([call('PUT', 'Tier 2'), call('DELETE', 'Tier 1')]);
  });

  it('a gift gives the role, and the gifted role', async () => {
    ids.bob = member(world, 'bob');
    const shown = await linkMember(world, ids.bob, 'bob');
    expect(shown.text).toContain(
      'bob is linked to your Discord account: not subscribed to streamer',
    );
    expect(shown.text).toContain('You get no subscriber role for now');
    expect(roles(world, ids.bob)).toEqual([]);
    subscribe(world, 'bob', '1000', 'carol');
    await rolesBecome(world, ids.bob, ['Gifted', 'Subscriber', 'Tier 1']);
  });

  it('refuses a Twitch account already linked to another member, storing nothing', async () => {
    ids.mallory = member(world, 'mallory');
    const shown = await linkMember(world, ids.mallory, 'ada');
    expect(shown.status).toBe(409);
    expect(shown.text).toContain(
      'The Twitch account ada is already linked to another member of this server',
    );
    expect(
      await bot.connections.tokens.load(`${BOT}/sub-roles/member:${ids.mallory}`),
    ).toBeUndefined();
    expect((await slash(world, ids.mallory, 'status')).content).toContain('Not linked: use /link');
    expect(roles(world, ids.ada!)).toEqual(['Subscriber', 'Tier 2']);
  });

  it('/status explains the roles: account, tier, gift, last check', async () => {
    const reply = await slash(world, ids.bob!, 'status');
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Linked Twitch account: bob');
    expect(reply.content).toContain('Subscription: Tier 1, gifted.');
    expect(reply.content).toMatch(/Last checked: <t:\d+:F>/);
    expect(reply.content).toContain('Roles: Gifted, Subscriber, Tier 1.');
    expect(reply.content, reply.content).not.toContain('Problems');
  });

  it('a replayed callback gets 400 and changes nothing', async () => {
    const url = urlIn(await slash(world, ids.mallory!, 'link'));
    const res = await fetch(`${url}&login=mallory&auto=1`, { redirect: 'manual' });
    const callback = res.headers.get('location') as string;
    expect((await page(callback)).status).toBe(200);
    const again = await page(callback);
    expect(again.status).toBe(400);
    expect(again.text).toContain('this link was already used');
  });

  it('a forged state gets 400 and stores nothing', async () => {
    const before = await sqliteRows(bot.dataDir);
    const forged = Buffer.from(
      JSON.stringify({
        b: BOT,
        c: 'sub-roles',
        d: { kind: 'member', user: ids.ada, guild: world.guild.id },
        n: 'x',
        e: Date.now() + 60_000,
      }),
    ).toString('base64url');
    const shown = await page(
      `${bot.runtime.url}/oauth/twitch/callback?code=abc&state=${forged}.AAAA`,
    );
    expect(shown.status).toBe(400);
    expect(shown.text).toContain('this link was not made by this server');
    const plain = await page(`${bot.runtime.url}/oauth/twitch/callback?code=abc&state=garbage`);
    expect(plain.status).toBe(400);
    expect(await sqliteRows(bot.dataDir)).toEqual(before);
  });

  it('stores no token in plain text', async () => {
    const names = ['broadcaster', `member:${ids.ada}`, `member:${ids.bob}`].map(
      (k) => `${BOT}/sub-roles/${k}`,
    );
    const bytes = await sqliteBytes(bot.dataDir);
    for (const name of names) {
      const token = await bot.connections.tokens.load(name);
      expect(token, name).toBeDefined();
      expect(world.sandbox.world.auth.lookup(token!.accessToken)?.scopes.length).toBeGreaterThan(0);
      expect(bytes.includes(token!.accessToken), `${name} access token`).toBe(false);
      expect(bytes.includes(token!.refreshToken), `${name} refresh token`).toBe(false);
      expect(bytes.includes(`token:${name}`)).toBe(true);
    }
  });

  it('/unlink removes the roles and deletes the token', async () => {
    const reply = await slash(world, ids.bob!, 'unlink');
    expect(reply.content).toContain('Unlinked Twitch account bob');
    await rolesBecome(world, ids.bob!, []);
    expect(await bot.connections.tokens.load(`${BOT}/sub-roles/member:${ids.bob}`)).toBeUndefined();
    expect((await slash(world, ids.bob!, 'status')).content).toContain('Not linked');
    const again = await linkMember(world, ids.mallory!, 'bob');
    expect(again.status).toBe(200);
    await rolesBecome(world, ids.mallory!, ['Gifted', 'Subscriber', 'Tier 1']);
  });
});
