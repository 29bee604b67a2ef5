/**
 * sub-roles: reconcile N subscribers against N links (10 % to change) through Helix (800
 * points a minute, 100 per page) and Discord, then the latency of `channel.subscribe` ->
 * role while idle. Three processes: the sandbox (Twitch + Discord, counting what reaches
 * it), the bot (whose peak RSS is measured), and this one. The bot's startup reconciliation
 * is the one measured: from the first Helix page to the last role call, on the sandbox's
 * clock, beside the floor the limits allow.
 *
 * Discord's global limit (50 requests a second per bot, which discord.js enforces itself)
 * makes the issue's 10 % of 100,000 (15,000 role calls) take at least 5 minutes, so the
 * default run changes 1 % (1,500 role calls); SUBROLES_BENCH_FULL=1 runs the 10 %.
 * SUBROLES_BENCH_SUBS (default 100000), SUBROLES_BENCH_SAMPLES (default 30),
 * SUBROLES_BENCH_DISCORD=real keeps Discord's role route limit (10 per 10 s per guild; the
 * benchmark raises it, or 15,000 calls take 4 hours): use it with SUBROLES_BENCH_SUBS=2000.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RateLimitOptions } from '../src/sandbox/discord/index.js';
import { defineBench, percentile, type BenchFigure } from './harness.js';
import { startJsonChild, type JsonChild } from './lib/json-child.js';
import { expectedChanges, expectedRoleCalls, type BenchPlan } from './lib/sub-roles-plan.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUBS = Number(process.env.SUBROLES_BENCH_SUBS ?? 100_000);
const SAMPLES = Number(process.env.SUBROLES_BENCH_SAMPLES ?? 30);
const REAL_DISCORD = process.env.SUBROLES_BENCH_DISCORD === 'real';
/** One member in this many changes tier, as many again are new: 20 -> 10 %, 200 -> 1 %. */
const CHANGE_EVERY = process.env.SUBROLES_BENCH_FULL === '1' ? 20 : 200;
/** discord.js sends at most this many requests a second per bot (Discord's global limit). */
const DISCORD_GLOBAL_PER_SECOND = 50;
/** What the cog allows itself of that (plugins/sub-roles/discord-roles.ts). */
const COG_PER_SECOND = 45;
/** Discord's limits, the role bucket raised unless asked for the real one (see above). */
const LIMITS: Partial<RateLimitOptions> = REAL_DISCORD
  ? {}
  : {
      memberRoles: { limit: 500, windowMs: 1000 },
      defaultRoute: { limit: 500, windowMs: 1000 },
    };
const HELIX_PER_MINUTE = 800;
const HELIX_RESERVE = 10;

interface Stats {
  pages: number;
  helix429: number;
  firstPageAt: number;
  lastPageAt: number;
  roleCalls: number;
  gets: number;
  discord429: number;
  lastRoleAt: number;
}

/** The least time the limits allow, in seconds: Helix pages, then role calls and reads. */
function floors(pages: number, roleCalls: number, gets: number) {
  const helix = (Math.max(0, pages - (HELIX_PER_MINUTE - HELIX_RESERVE)) * 60) / HELIX_PER_MINUTE;
  const roles = REAL_DISCORD ? { limit: 10, windowMs: 10_000 } : LIMITS.memberRoles!;
  const reads = REAL_DISCORD ? { limit: 5, windowMs: 1000 } : LIMITS.defaultRoute!;
  const discord = Math.max(
    (Math.max(0, roleCalls - roles.limit) / roles.limit) * (roles.windowMs / 1000),
    (Math.max(0, gets - reads.limit) / reads.limit) * (reads.windowMs / 1000),
    Math.max(0, roleCalls + gets - DISCORD_GLOBAL_PER_SECOND) / DISCORD_GLOBAL_PER_SECOND,
  );
  const cog = Math.max(0, roleCalls + gets - COG_PER_SECOND) / COG_PER_SECOND;
  return { helix, discord, cog, issue: (pages * 60) / HELIX_PER_MINUTE };
}

async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`sub-roles bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function measure(dir: string, plan: BenchPlan): Promise<BenchFigure[]> {
  const env = { SUBROLES_DIR: dir, SUBROLES_PLAN: JSON.stringify(plan) };
  const children: JsonChild[] = [];
  try {
    const sandbox = startJsonChild(path.join(here, 'lib/sub-roles-sandbox.ts'), {
      ...env,
      SUBROLES_DISCORD_LIMITS: JSON.stringify(LIMITS),
    });
    children.push(sandbox);
    await sandbox.next();
    const seeder = startJsonChild(path.join(here, 'lib/sub-roles-bot.ts'), {
      ...env,
      SUBROLES_MODE: 'seed',
    });
    await new Promise((resolve) => seeder.child.once('exit', resolve));
    const bot = startJsonChild(path.join(here, 'lib/sub-roles-bot.ts'), env);
    children.push(bot);
    await bot.next();
    const want = expectedRoleCalls(plan);
    const pages = Math.ceil(plan.subs / 100);
    const stats = (): Promise<Stats> => sandbox.ask<Stats>({ cmd: 'stats' });
    await until(async () => (await stats()).roleCalls >= want, 6 * 3600_000, `${want} role calls`);
    // Anything more would be a call for an unchanged member: give it time to show up.
    await new Promise((r) => setTimeout(r, 3000));
    const s = await stats();
    const seconds = (s.lastRoleAt - s.firstPageAt) / 1000;
    const floor = floors(s.pages, want, s.gets);

    const latencies: number[] = [];
    for (let j = 0; j < Math.min(SAMPLES, plan.idle); j++)
      latencies.push(
        (await sandbox.ask<{ ms: number }>({ cmd: 'subscribe', i: plan.subs + j })).ms,
      );
    const mem = await bot.ask<{
      maxRssBytes: number;
      readyRssBytes: number;
      peakHeapBytes: number;
    }>({ cmd: 'rss' });
    const rss = mem.maxRssBytes / 1_048_576;
    if (process.env.SUBROLES_BENCH_DEBUG) console.error({ stats: s, mem });
    const p95 = percentile(latencies, 95);
    const limit = Math.max(floor.helix, floor.discord);
    const n = `sub-roles.${plan.subs}.${Math.round(200 / plan.changeEvery)}pct`;
    return [
      { name: `${n}.members_changing`, value: expectedChanges(plan), unit: 'members' },
      { name: `${n}.discord_member_reads`, value: s.gets, unit: 'calls' },
      {
        name: `${n}.helix_page_calls`,
        value: s.pages,
        unit: 'calls',
        goal: `= ${pages}`,
        pass: s.pages === pages,
      },
      {
        name: `${n}.helix_429`,
        value: s.helix429,
        unit: 'responses',
        goal: '= 0',
        pass: s.helix429 === 0,
      },
      {
        name: `${n}.role_calls`,
        value: s.roleCalls,
        unit: 'calls',
        goal: `= ${want} (real changes)`,
        pass: s.roleCalls === want,
      },
      {
        name: `${n}.discord_429`,
        value: s.discord429,
        unit: 'responses',
        goal: '= 0',
        pass: s.discord429 === 0,
      },
      { name: `${n}.helix_paging_s`, value: (s.lastPageAt - s.firstPageAt) / 1000, unit: 's' },
      { name: `${n}.floor_helix_full_bucket_s`, value: floor.helix, unit: 's' },
      { name: `${n}.floor_helix_empty_bucket_s`, value: floor.issue, unit: 's' },
      {
        name: `${n}.floor_discord_s${REAL_DISCORD ? '' : '_role_route_loosened'}`,
        value: floor.discord,
        unit: 's',
      },
      {
        name: `${n}.floor_at_cog_pace_45_per_s`,
        value: Math.max(floor.helix, floor.cog),
        unit: 's',
      },
      {
        name: `${n}.converge_s`,
        value: seconds,
        unit: 's',
        baseline: Math.max(limit, 0.001),
        goal: 'ratio <= 1.2',
        pass: seconds <= 1.2 * limit,
      },
      {
        name: `${n}.converge_vs_issue_floor`,
        value: seconds,
        unit: 's',
        baseline: floor.issue,
        goal: 'ratio <= 1.2',
        pass: seconds <= 1.2 * floor.issue,
      },
      { name: `${n}.bot_peak_rss`, value: rss, unit: 'MB', goal: '< 300 MB', pass: rss < 300 },
      {
        name: 'sub-roles.subscribe_to_role_p95',
        value: p95,
        unit: 'ms',
        goal: '<= 2000 ms',
        pass: p95 <= 2000,
      },
      { name: 'sub-roles.subscribe_to_role_p50', value: percentile(latencies, 50), unit: 'ms' },
    ];
  } finally {
    for (const c of children.reverse()) {
      await c.ask({ cmd: 'stop' }, 30_000).catch(() => c.kill());
    }
  }
}

export default defineBench({
  name: 'sub-roles',
  async run() {
    const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-bench-subroles-'));
    try {
      return await measure(dir, { subs: SUBS, changeEvery: CHANGE_EVERY, idle: SAMPLES });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});
