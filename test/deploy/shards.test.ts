import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import { freePort } from '../helpers/processes.js';
import { findRedisServer, startRedis, type RedisProcess } from '../helpers/redis.js';
import {
  project,
  TEST_SECRET_KEY,
  TestWorld,
  type GuildSpec,
  type TwitchBotAccount,
} from '../platform/helpers/world.js';
import { stopCliApp } from './lib/cli-app.js';
import { requireTool } from './lib/require-tool.js';

// `streamcogs start` with DISCORD_SHARDS=2: discord.js's ShardingManager runs one full
// `streamcogs start` per shard, each on PORT + shard id, sharing Redis, against a Discord
// sandbox owned by the test (production mode: credentials given, nothing simulated inside).
const REDIS = requireTool('redis-server', findRedisServer());

/** A guild id on `shard` of 2: Discord routes guild (id >> 22) % 2 to that shard. */
const guildOn = (shard: number, n: number): string =>
  ((400_000_000_000n + BigInt(2 * n + shard)) << 22n).toString();
const GUILDS = [guildOn(0, 1), guildOn(1, 1)] as const;

/** Whether nothing listens on `port` (127.0.0.1). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base port whose next one is free too (20 tries at most). */
async function twoFreePorts(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    if (port < 65_535 && (await isFree(port + 1))) return port;
  }
  throw new Error('no two consecutive free ports');
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const yaml = [
  'alice:',
  '  channels: [alice_chan]',
  `  discord: { guilds: ["${GUILDS[0]}", "${GUILDS[1]}"] }`,
  '  cogs:',
  '    - go-live',
  '',
].join('\n');

let redis: RedisProcess | undefined;
let world: TestWorld | undefined;
let alice: TwitchBotAccount;
let discordBot: ReturnType<TestWorld['discordBot']>;
let proj: Awaited<ReturnType<typeof project>>;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    SANDBOX: '0',
    WATCH_CONFIG: '0',
    DATA_DIR: proj.dataDir,
    STREAMCOGS_SECRET_KEY: TEST_SECRET_KEY,
    EVENTSUB_SECRET: 'shards-secret-0123456789',
    ...world!.env,
    ...alice.env,
    ...discordBot.env,
    ...extra,
  };
}

/** Runs `/live list` as the guild's owner in #general; resolves with the interaction id and reply. */
async function liveList(guild: (typeof discordBot.guilds)[number]) {
  const id = world!.discord.runSlashCommand({
    guildId: guild.id,
    channelId: guild.channels.general!,
    userId: guild.ownerId,
    name: 'live',
    subcommand: 'list',
  });
  return { id, reply: await world!.discord.waitForInteractionReply(id, { timeoutMs: 10_000 }) };
}

beforeAll(async () => {
  if (!REDIS) return;
  redis = await startRedis();
  world = await TestWorld.start();
  alice = world.twitchBot('alice');
  const spec = (id: string, name: string): GuildSpec => ({
    id,
    name,
    botPermissions: ['ManageWebhooks', 'SendMessages', 'ViewChannel'],
  });
  discordBot = world.discordBot('alice', [spec(GUILDS[0], 'Zero'), spec(GUILDS[1], 'One')]);
  proj = await project(yaml);
}, 30_000);

afterAll(async () => {
  await world?.close();
  await redis?.stop();
}, 30_000);

describe.skipIf(!REDIS)('streamcogs start under DISCORD_SHARDS', () => {
  it('refuses sharding without shared storage, naming the fix, before anything starts', async () => {
    const cli = runCli(['start', '--config', proj.file], {
      cwd: proj.dir,
      env: env({ PORT: '0', DISCORD_SHARDS: '2' }),
    });
    expect(await cli.exited).toBe(2);
    const stderr = cli.stderr.join('');
    expect(stderr).toMatch(/DISCORD_SHARDS runs one process per shard/);
    expect(stderr).toContain('STORAGE_URL=redis://');
    expect(stderr).toContain('nothing was started');
    expect(world!.discord.gatewaySessions()).toEqual([]);
  });

  it('runs one shard per process on PORT + id, each answering the guilds of its shard once; respawns a killed shard; SIGTERM stops all with 0', async () => {
    const base = await twoFreePorts();
    let cli: CliProcess | undefined = runCli(['start', '--config', proj.file], {
      cwd: proj.dir,
      env: env({ PORT: String(base), DISCORD_SHARDS: '2', STORAGE_URL: redis!.url }),
    });
    try {
      const started = cli;
      await started.waitForLog((l) => l.msg === 'every shard is ready', 90_000);
      const listening = await Promise.all(
        [0, 1].map((shard) =>
          started.waitForLog((l) => l.msg === 'listening' && l.shard === shard, 10_000),
        ),
      );
      expect(listening.map((l) => new URL(String(l.url)).port)).toEqual([
        String(base),
        String(base + 1),
      ]);
      // Ready, and the shard's guild has its commands routed (the bulk overwrite comes after).
      const registered = (shard: number, pid?: unknown) =>
        started.waitForLog(
          (l) =>
            l.shard === shard &&
            (pid === undefined || l.pid === pid) &&
            String(l.msg).startsWith('discord: 1 command(s) registered'),
          30_000,
        );
      for (const shard of [0, 1]) {
        await started.waitForLog((l) => l.msg === 'ready' && l.shard === shard, 30_000);
        await registered(shard);
      }
      const spawned = (shard: number) =>
        started.lines.filter(
          (l) => l.component === 'shards' && l.shard === shard && String(l.msg).includes(': pid '),
        );
      expect(spawned(0).map((l) => l.port)).toEqual([base]);
      expect(spawned(1).map((l) => l.port)).toEqual([base + 1]);
      const pids = [0, 1].map((s) => Number(spawned(s)[0]!.shardPid));
      for (const port of [base, base + 1])
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      // The sandbox saw two sessions, one per shard; each shard put its own guild's commands.
      const sessions = world!.discord.gatewaySessions().filter((s) => s.connected);
      expect(sessions.map((s) => s.shard).sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      const puts = world!.discord.received.filter(
        (r) => r.method === 'PUT' && r.path.endsWith('/commands'),
      );
      expect(puts.map((r) => r.path).sort()).toEqual(
        GUILDS.map((g) => `/applications/${discordBot.appId}/guilds/${g}/commands`).sort(),
      );

      // /live in a guild of each shard: answered, once.
      const answers = [];
      for (const guild of discordBot.guilds) answers.push(await liveList(guild));
      for (const [i, { reply }] of answers.entries())
        expect(reply.content).toBe(
          `Nothing is posted in <#${discordBot.guilds[i]!.channels.general}>. Use /live add.`,
        );
      for (const { id } of answers) expect(world!.discord.interaction(id)?.replies).toHaveLength(1);

      // A crashed shard is respawned by the manager and answers again.
      process.kill(pids[1]!, 'SIGKILL');
      await started.waitForLog(
        (l) =>
          l.component === 'shards' && l.shard === 1 && l.code === null && l.signal === 'SIGKILL',
        10_000,
      );
      const respawned = await started.waitForLog(
        (l) =>
          l.component === 'shards' &&
          l.shard === 1 &&
          String(l.msg).includes(': pid ') &&
          l.shardPid !== pids[1] &&
          l.port === base + 1,
        15_000,
      );
      await registered(1, respawned.shardPid);
      const again = await liveList(discordBot.guilds[1]!);
      expect(again.reply.content).toMatch(/^Nothing is posted in/);
      expect(world!.discord.interaction(again.id)?.replies).toHaveLength(1);
      pids.push(Number(respawned.shardPid));

      // SIGTERM on the manager: every shard drains and exits, then the manager, with 0.
      expect(await stopCliApp(started, 30_000)).toBe(0);
      cli = undefined;
      const stoppedLine = started.lines.find((l) => l.msg === 'shards stopped');
      expect(stoppedLine?.codes).toEqual([0, 0]);
      for (const pid of [pids[0]!, pids[2]!]) expect(alive(pid)).toBe(false);
      expect(
        started.lines
          .filter((l) => l.msg === 'stopped')
          .map((l) => l.shard)
          .sort(),
      ).toEqual([0, 1]);
      await expect(fetch(`http://127.0.0.1:${base}/healthz`)).rejects.toThrow();
    } finally {
      if (cli) await stopCliApp(cli, 5_000);
    }
  }, 180_000);

  it('a shard whose manager is killed stops by itself, gracefully', async () => {
    const cli = runCli(['start', '--config', proj.file], {
      cwd: proj.dir,
      env: env({ PORT: '0', DISCORD_SHARDS: '1', STORAGE_URL: redis!.url }),
    });
    try {
      await cli.waitForLog((l) => l.msg === 'every shard is ready', 60_000);
      const spawnedLine = await cli.waitForLog((l) => String(l.msg).startsWith('shard 0/1: pid '));
      await cli.waitForLog((l) => l.msg === 'ready' && l.shard === 0, 30_000);
      const pid = Number(spawnedLine.shardPid);
      cli.child.kill('SIGKILL');
      await cli.exited;
      await cli.waitForLog((l) => l.msg === 'stopped' && l.pid === pid, 15_000);
      await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false);
    } finally {
      await stopCliApp(cli, 5_000);
    }
  }, 90_000);
});
