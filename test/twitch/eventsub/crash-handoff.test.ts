import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/processes.js';
import { findRedisServer, startRedis, type RedisProcess } from '../../helpers/redis.js';
import { requireTool } from '../../deploy/lib/require-tool.js';
import { cliDelivery, post, type CliDelivery } from './helpers/cli.js';
import { startSandbox, type Sandbox } from './helpers/harness.js';
import { startInstance, stopInstance, type Instance } from './helpers/instance-process.js';

const SECRET = 'crash-handoff-secret-0123456789';
/** The Redis part is skipped with a warning where redis-server is missing, except in CI. */
const REDIS = requireTool('redis-server', findRedisServer());
const LEASE_MS = 1500;
/** The handler of the first process sleeps this long: it is killed long before. */
const NEVER = 600_000;

let sandbox: Sandbox;
let broadcasterId: string;
const running: Instance[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.world.createApp({ clientId: 'app-a', clientSecret: 'app-a-secret' });
  broadcasterId = sandbox.world.ensureUser('alice').id;
}, 30_000);
afterAll(async () => sandbox?.close());
afterEach(async () => {
  for (const i of running.splice(0)) await stopInstance(i);
});

async function start(o: { dataDir?: string; storageUrl?: string; delayMs: number }) {
  const i = await startInstance({
    twurplePort: sandbox.api.port,
    secret: SECRET,
    broadcasterId,
    inboxLeaseMs: LEASE_MS,
    ...o,
  });
  running.push(i);
  return i;
}

const online = (streamId: string): CliDelivery =>
  cliDelivery({
    secret: SECRET,
    type: 'stream.online',
    event: { id: streamId, broadcaster_user_id: broadcasterId, broadcaster_user_login: 'alice' },
  });
const send = (i: Instance, d: CliDelivery) =>
  post(`${i.url}/eventsub/event/stream.online.${broadcasterId}`, d);

/** Acknowledged by `victim`, its handler running, then SIGKILL. */
async function acceptAndKill(victim: Instance, d: CliDelivery): Promise<void> {
  expect((await send(victim, d)).status).toBe(202);
  await victim.waitForLog((l) => l.started === d.messageId, 10_000);
  victim.child.kill('SIGKILL');
  await victim.exited;
  expect(victim.handled()).toEqual([]);
}

/** Twitch re-sending the same message, and one more message for the same stream: both ignored. */
async function resendIsIgnored(i: Instance, d: CliDelivery, streamId: string): Promise<void> {
  expect((await send(i, d)).status).toBe(202);
  expect((await send(i, online(streamId))).status).toBe(202);
  await new Promise((r) => setTimeout(r, LEASE_MS + 500)); // time for a wrong handling to show
  expect(i.handled().filter((id) => id === d.messageId)).toHaveLength(1);
  expect(i.handled()).toHaveLength(1);
}

describe('a process killed after the 2xx, its handler mid-way', () => {
  it('SQLite: the restarted process handles the notification once; a re-send is not handled again', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'streamcogs-crash-'));
    const d = online('crash-sqlite');
    await acceptAndKill(await start({ dataDir, delayMs: NEVER }), d);

    const restarted = await start({ dataDir, delayMs: 0 });
    await waitFor(() => restarted.handled().includes(d.messageId), 15_000, 'not handled');
    await resendIsIgnored(restarted, d, 'crash-sqlite');
  }, 60_000);

  describe.skipIf(!REDIS)('Redis', () => {
    let redis: RedisProcess | undefined;
    beforeAll(async () => {
      redis = await startRedis();
    }, 20_000);
    afterAll(async () => redis?.stop());

    it('instance B takes over what A acknowledged once A died and its lease lapsed', async () => {
      const storageUrl = (redis as RedisProcess).url;
      const a = await start({ storageUrl, delayMs: NEVER });
      const b = await start({ storageUrl, delayMs: 0 });
      const d = online('crash-redis');
      const killedAt = Date.now();
      await acceptAndKill(a, d);

      await waitFor(() => b.handled().includes(d.messageId), 15_000, 'B did not take it over');
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS - 200); // A's lease first
      await resendIsIgnored(b, d, 'crash-redis');
    }, 60_000);
  });
});
