import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/processes.js';
import { startRedis, type RedisProcess } from '../../helpers/redis.js';
import { cliDelivery, post } from './helpers/cli.js';
import { startSandbox, type Sandbox } from './helpers/harness.js';

const INSTANCE = fileURLToPath(new URL('./helpers/instance.ts', import.meta.url));
const SECRET = 'two-instances-share-this-secret';

interface Instance {
  child: ChildProcess;
  url: string;
  handled: string[];
}

let sandbox: Sandbox;
let redis: RedisProcess | undefined;
const instances: Instance[] = [];

function startInstance(broadcasterId: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE], {
    env: {
      PATH: process.env.PATH ?? '',
      STORAGE_URL: (redis as RedisProcess).url,
      TWURPLE_MOCK_API_PORT: String(sandbox.api.port),
      EVENTSUB_SECRET: SECRET,
      BROADCASTER_ID: broadcasterId,
      CLIENT_ID: 'app-a',
      CLIENT_SECRET: 'app-a-secret',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const handled: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`instance exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as { ready?: string; handled?: string };
      if (msg.handled) handled.push(msg.handled);
      if (msg.ready) {
        clearTimeout(timer);
        const instance = { child, url: msg.ready, handled };
        instances.push(instance);
        resolve(instance);
      }
    });
  });
}

async function stopInstance(i: Instance): Promise<void> {
  if (i.child.exitCode !== null) return;
  const exited = new Promise((r) => i.child.once('exit', r));
  i.child.kill('SIGTERM');
  const timer = setTimeout(() => i.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await startSandbox();
  sandbox.world.createApp({ clientId: 'app-a', clientSecret: 'app-a-secret' });
}, 30_000);

afterAll(async () => {
  for (const i of instances) await stopInstance(i);
  await sandbox?.close();
  await redis?.stop();
});

describe('two processes sharing one redis-server', () => {
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
    await waitFor(() => a.handled.length === 1, 5000, 'instance A did not handle it');
    expect((await post(b.url + route, first)).status).toBe(202);
    // Both at the same time.
    const second = delivery('s-2');
    const both = await Promise.all([post(a.url + route, second), post(b.url + route, second)]);
    expect(both.map((r) => r.status)).toEqual([202, 202]);
    await waitFor(
      () => [...a.handled, ...b.handled].includes(second.messageId),
      5000,
      'nobody handled the second message',
    );
    await new Promise((r) => setTimeout(r, 300)); // give a wrong second handling time to show
    const all = [...a.handled, ...b.handled];
    expect(all.filter((id) => id === first.messageId)).toHaveLength(1);
    expect(all.filter((id) => id === second.messageId)).toHaveLength(1);
  }, 60_000);
});
