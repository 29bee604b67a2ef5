import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/processes.js';
import { findRedisServer, startRedis, type RedisProcess } from '../../helpers/redis.js';
import { requireTool } from '../../deploy/lib/require-tool.js';
import { cliDelivery, post } from './helpers/cli.js';
import { startSandbox, type Sandbox } from './helpers/harness.js';
import {
  startInstance as startProcess,
  stopInstance,
  type Instance,
} from './helpers/instance-process.js';

const SECRET = 'two-instances-share-this-secret';
/** Skipped with a warning where redis-server is missing, except in CI (.ci/run installs it). */
const REDIS = requireTool('redis-server', findRedisServer());

let sandbox: Sandbox;
let redis: RedisProcess | undefined;
const instances: Instance[] = [];

async function startInstance(broadcasterId: string): Promise<Instance> {
  const instance = await startProcess({
    twurplePort: sandbox.api.port,
    secret: SECRET,
    broadcasterId,
    storageUrl: (redis as RedisProcess).url,
  });
  instances.push(instance);
  return instance;
}

beforeAll(async () => {
  if (!REDIS) return;
  redis = await startRedis();
  sandbox = await startSandbox();
  sandbox.world.createApp({ clientId: 'app-a', clientSecret: 'app-a-secret' });
}, 30_000);

afterAll(async () => {
  for (const i of instances) await stopInstance(i);
  await sandbox?.close();
  await redis?.stop();
});

describe.skipIf(!REDIS)('two processes sharing one redis-server', () => {
  it('handle a message id delivered to both exactly once', async () => {
    const alice = sandbox.world.ensureUser('alice');
    const a = await startInstance(alice.id);
    const b = await startInstance(alice.id);
    const subs = sandbox.world.eventSub.list().filter((s) => s.type === 'stream.online');
    expect(subs).toHaveLength(1); // the second instance adopted the first one's subscription
    const route = `/eventsub/event/stream.online.${alice.id}`;
    const delivery = (id: string) =>
      cliDelivery({
        secret: SECRET,
        type: 'stream.online',
        event: { id, broadcaster_user_id: alice.id, broadcaster_user_login: 'alice' },
      });

    // A retry of the same message reaching the other instance.
    const first = delivery('s-1');
    expect((await post(a.url + route, first)).status).toBe(202);
    await waitFor(() => a.handled().length === 1, 5000, 'instance A did not handle it');
    expect((await post(b.url + route, first)).status).toBe(202);
    // Both at the same time.
    const second = delivery('s-2');
    const both = await Promise.all([post(a.url + route, second), post(b.url + route, second)]);
    expect(both.map((r) => r.status)).toEqual([202, 202]);
    await waitFor(
      () => [...a.handled(), ...b.handled()].includes(second.messageId),
      5000,
      'nobody handled the second message',
    );
    await new Promise((r) => setTimeout(r, 300)); // give a wrong second handling time to show
    const all = [...a.handled(), ...b.handled()];
    expect(all.filter((id) => id === first.messageId)).toHaveLength(1);
    expect(all.filter((id) => id === second.messageId)).toHaveLength(1);
  }, 60_000);
});
