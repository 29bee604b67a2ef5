import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../core/runtime.js';
import { tickerRuns } from '../fixtures/plugins/ticker/index.js';
import { findRedisServer, startRedis, type RedisProcess } from '../helpers/redis.js';
import { botConfig, startTestRuntime } from '../helpers/runtime.js';
import { requireTool } from '../deploy/lib/require-tool.js';

// Two runtimes on one redis-server stand for two instances of the same bots.yaml:
// `ctx.schedule.every(ms, fn, { once })` runs about once per interval across them, where
// each instance alone would run it every interval.
const REDIS = requireTool('redis-server', findRedisServer());
const MS = 300;
const WINDOW_MS = 3000;

let redis: RedisProcess | undefined;
const runtimes: Runtime[] = [];

const ticker = (once: boolean) => ({ name: 'ticker', settings: { ms: MS, once }, dependsOn: [] });

function runsOf(bot: string): number {
  return tickerRuns().filter((r) => r === `${bot}:ticker`).length;
}

describe.skipIf(!REDIS)('timers with `once` on a shared storage', () => {
  beforeAll(async () => {
    redis = await startRedis();
  }, 20_000);

  afterAll(async () => {
    for (const r of runtimes) await r.stop();
    await redis?.stop();
  }, 20_000);

  it('run once per interval across two instances; alone (SQLite) every interval', async () => {
    const start = async (bot: string, once: boolean, storageUrl?: string) =>
      runtimes.push(
        (await startTestRuntime([botConfig(bot, [ticker(once)])], { storageUrl })).runtime,
      );
    await start('alice', true, redis!.url);
    await start('alice', true, redis!.url);
    await start('bob', false, redis!.url); // no `once`: both of its instances run it
    await start('bob', false, redis!.url);
    await start('solo', true); // SQLite: one process, nothing to claim
    tickerRuns().length = 0;
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const intervals = WINDOW_MS / MS; // 10
    // Claimed runs are at least 90 % of the interval apart: at most 12 in the window.
    expect(runsOf('alice')).toBeGreaterThanOrEqual(intervals - 2);
    expect(runsOf('alice')).toBeLessThanOrEqual(Math.floor(WINDOW_MS / (0.9 * MS)) + 1);
    expect(runsOf('bob')).toBeGreaterThanOrEqual(2 * intervals - 2);
    expect(runsOf('solo')).toBeGreaterThanOrEqual(intervals - 1);
    expect(runsOf('solo')).toBeLessThanOrEqual(intervals + 1);
  }, 30_000);
});
