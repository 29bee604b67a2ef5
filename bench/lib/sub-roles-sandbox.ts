/**
 * The sandbox of the sub-roles benchmark, in its own process: Twitch (world, Helix with its
 * 800 points a minute, EventSub) and Discord, seeded with the benchmark's population. It
 * writes `seed.json` for the other processes and counts what reaches it: Helix subscriber
 * pages, role calls, 429s. Commands on stdin: `stats`, `subscribe` (latency sample), `stop`.
 * Env: SUBROLES_DIR, SUBROLES_PLAN, SUBROLES_DISCORD_LIMITS.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../core/log.js';
import type { RateLimitOptions } from '../../src/sandbox/discord/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { BOT, BROADCASTER, sandboxConfig } from '../../test/plugins/sub-roles/helpers/bot.js';
import { serveJsonLines } from './json-child.js';
import { discordIdOf, kindOf, loginOf, type BenchPlan } from './sub-roles-plan.js';

const dir = process.env.SUBROLES_DIR as string;
const plan = JSON.parse(process.env.SUBROLES_PLAN as string) as BenchPlan;
const limits = JSON.parse(process.env.SUBROLES_DISCORD_LIMITS ?? '{}') as Partial<RateLimitOptions>;
const total = plan.subs + plan.idle;

const sandbox = await startSandbox({
  config: sandboxConfig(dir),
  log: createLogger({ level: 'silent', pretty: false }),
  discord: { rateLimits: limits, maxRecords: 100 },
});
const { world, discord, twitchApi } = sandbox;

const members = Array.from({ length: total }, (_, i) => {
  const k = kindOf(plan, i);
  return {
    id: discordIdOf(i),
    username: loginOf(plan, i),
    roles: k === 'same' || k === 'tier' ? ['Tier 1'] : [],
  };
});
const guild = discord.createGuild({
  name: 'Bench Subs',
  channels: ['general'],
  roles: [
    { name: 'Tier 1' },
    { name: 'Tier 2' },
    { name: 'Tier 3' },
    { name: 'Bot', permissions: ['ManageRoles'] },
  ],
  botRoles: ['Bot'],
  members,
});
const broadcaster = world.ensureUser(BROADCASTER);
const twitchIds: string[] = [];
for (let i = 0; i < total; i++) {
  const user = world.ensureUser(loginOf(plan, i));
  twitchIds.push(user.id);
  const k = kindOf(plan, i);
  if (k === 'idle') continue;
  world.subs.push({
    broadcasterId: broadcaster.id,
    userId: user.id,
    tier: k === 'tier' ? '2000' : '1000',
    isGift: false,
    gifterId: null,
    cumulativeMonths: 1,
  });
}
const acc = sandbox.accounts.get(BOT)!;
const token = world.grantUser(BROADCASTER, acc.clientId, ['channel:read:subscriptions']);

const stats = {
  pages: 0,
  helix429: 0,
  firstPageAt: 0,
  lastPageAt: 0,
  roleCalls: 0,
  gets: 0,
  discord429: 0,
  discord429Routes: [] as string[],
  firstRoleAt: 0,
  lastRoleAt: 0,
};
const waiters = new Map<string, () => void>();
twitchApi.on('record', (r) => {
  if (r.status === 429) stats.helix429++;
  if (r.path !== '/mock/subscriptions') return;
  stats.pages++;
  stats.firstPageAt ||= r.at;
  stats.lastPageAt = r.at;
});
discord.on('record', (r) => {
  if (r.kind !== 'http') return;
  if (r.status === 429) {
    stats.discord429++;
    stats.discord429Routes.push(`${r.route} (${r.scope ?? 'global'})`);
  }
  if (/\/members\/\d+\/roles\/\d+$/.test(r.path) && r.status < 300) {
    stats.roleCalls++;
    stats.firstRoleAt ||= r.at;
    stats.lastRoleAt = r.at;
    waiters.get(r.path.split('/')[4] as string)?.();
  } else if (r.method === 'GET' && /\/members\/\d+$/.test(r.path)) stats.gets++;
});

writeFileSync(
  path.join(dir, 'seed.json'),
  JSON.stringify({
    env: sandbox.env,
    accounts: [...sandbox.accounts],
    guildId: guild.id,
    roles: guild.roles,
    broadcasterId: broadcaster.id,
    token,
    twitchIds,
  }),
);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

serveJsonLines(async (cmd) => {
  if (cmd.cmd === 'stats') return stats;
  if (cmd.cmd === 'subscribe') {
    const i = Number(cmd.i);
    const t0 = performance.now();
    const landed = new Promise<void>((resolve) => waiters.set(discordIdOf(i), resolve));
    world.subscribe(BROADCASTER, loginOf(plan, i), '1000');
    await landed;
    waiters.delete(discordIdOf(i));
    return { ms: performance.now() - t0 };
  }
  if (cmd.cmd === 'stop') {
    await sandbox.close();
    setImmediate(() => process.exit(0));
    return { stopped: true };
  }
  return { error: `unknown command ${String(cmd.cmd)}` };
});
