import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../core/storage.js';
import { formatDiff } from '../../plugins/sub-roles/diff.js';
import { LinkStore } from '../../plugins/sub-roles/links.js';
import { rolesDiff } from '../../src/commands/roles.js';
import { runCli } from '../helpers/cli-process.js';
import {
  linkBroadcaster,
  linkedSubscribers,
  roles,
  subscribe,
} from '../plugins/sub-roles/helpers/actions.js';
import {
  BOT,
  BROADCASTER,
  startBot,
  startWorld,
  type World,
} from '../plugins/sub-roles/helpers/harness.js';

describe('streamcogs roles diff', () => {
  let world: World;
  let dataDir: string;
  const ids: Record<string, string> = {};
  let env: Record<string, string>;
  beforeAll(async () => {
    world = await startWorld();
    const bot = await startBot(world, { settings: { any_sub_role: 'Subscriber' } });
    dataDir = bot.dataDir;
    await linkBroadcaster(world);
    Object.assign(ids, await linkedSubscribers(world, ['ada', 'bob', 'cy']));
    await bot.stop();
    // While the bot is down: ada moves to Tier 2, bob's subscription ends, cy stays.
    subscribe(world, 'ada', '2000');
    world.sandbox.world.unsubscribe(BROADCASTER, 'bob');
    const acc = world.sandbox.accounts.get(BOT)!;
    env = {
      SANDBOX: '1',
      DATA_DIR: dataDir,
      SUBBOT_CLIENT_ID: acc.clientId,
      SUBBOT_CLIENT_SECRET: acc.clientSecret,
      TWURPLE_MOCK_API_PORT: world.sandbox.env.TWURPLE_MOCK_API_PORT as string,
    };
  });
  afterAll(async () => {
    await world?.close();
  });

  it('prints what the reconciliation would change, and changes nothing', async () => {
    const storage = await createStorage({ dataDir });
    const before = await new LinkStore(storage.forCog(BOT, 'sub-roles')).all();
    await storage.close();

    const diff = await rolesDiff({
      bot: BOT,
      cwd: world.dir,
      file: path.join(world.dir, 'bots.yaml'),
      env,
    });
    expect(diff.subscribers).toBe(2);
    expect(diff.pages).toBe(1);
    expect(diff.links).toBe(3);
    const name = (role: string) => world.guild.roles[role] as string;
    const byLogin = Object.fromEntries(diff.rows.map((r) => [r.login, r]));
    expect(Object.keys(byLogin).sort()).toEqual(['ada', 'bob']);
    expect(byLogin.ada).toMatchObject({
      before: [name('Subscriber'), name('Tier 1')].sort(),
      after: [name('Subscriber'), name('Tier 2')].sort(),
      why: 'tier changed',
    });
    expect(byLogin.bob).toMatchObject({
      why: 'subscription ended: grace period starts, roles kept until it ends',
    });
    const text = formatDiff(diff.rows, diff.names);
    expect(text).toContain(`${ids.ada} (twitch ada): `);
    expect(text).toContain('Subscriber, Tier 1 -> Subscriber, Tier 2: tier changed');
    expect(text).toContain('1 member(s) would change roles, 1 would start a grace period');

    expect(roles(world, ids.ada!)).toEqual(['Subscriber', 'Tier 1']);
    const again = await createStorage({ dataDir });
    expect(await new LinkStore(again.forCog(BOT, 'sub-roles')).all()).toEqual(before);
    await again.close();
  });

  it('runs as `streamcogs roles diff <bot>`: exit 1 when something would change', async () => {
    const cli = runCli(['roles', 'diff', BOT, '--json'], { cwd: world.dir, env });
    expect(await cli.exited).toBe(1);
    const out = cli.lines[0] as { rows: { login: string }[] };
    expect(out.rows.map((r) => r.login).sort()).toEqual(['ada', 'bob']);
    await expect(rolesDiff({ bot: 'nobody', cwd: world.dir, env })).rejects.toThrow(
      'there is no bot "nobody" in bots.yaml (bots: subbot)',
    );
  }, 60_000);
});
