import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../core/storage.js';
import { TwitchChatServer } from '../../src/sandbox/twitch/chat/index.js';
import { runCli } from '../helpers/cli-process.js';
import { FIXTURE_PLUGINS } from '../helpers/runtime.js';

let chat: TwitchChatServer;
beforeAll(async () => {
  chat = await TwitchChatServer.start();
});
afterAll(async () => {
  await chat.close();
});

describe('graceful shutdown', () => {
  it('SIGTERM during a slow request: the request completes, cogs tear down, storage closes, exit 0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-sigterm-'));
    await writeFile(
      path.join(dir, 'bots.yaml'),
      [
        'alice:',
        '  prefix: "!"',
        '  channels: [alice]',
        '  cogs:',
        '    - slow-route: { delayMs: 1500 }',
        '',
      ].join('\n'),
    );
    const cli = runCli(['start'], {
      cwd: dir,
      env: {
        PORT: '0',
        ALICE_CLIENT_ID: 'test-client-id',
        ALICE_CLIENT_SECRET: 'test-client-secret',
        STREAMCOGS_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
        TWITCH_CHAT_URL: chat.url,
        PLUGIN_DIRS: FIXTURE_PLUGINS,
        DATA_DIR: path.join(dir, 'data'),
      },
    });
    const listening = await cli.waitForLog((l) => l.msg === 'listening');
    await cli.waitForLog((l) => l.msg === 'ready');
    const url = String(listening.url);

    const started = Date.now();
    const slow = fetch(`${url}/bots/alice/slow-route/slow`);
    await new Promise((r) => setTimeout(r, 300)); // the request is now in flight
    cli.child.kill('SIGTERM');

    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(await cli.exited).toBe(0);
    // New connections are refused once it stopped.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    // The cog's teardown ran and its write reached the SQLite file before it closed.
    const storage = await createStorage({ dataDir: path.join(dir, 'data') });
    const tornDown = await storage.forCog('alice', 'slow-route').get<string>('tornDown');
    await storage.close();
    expect(tornDown).toMatch(/^\d{4}-/);
    expect(cli.lines.some((l) => l.msg === 'stopped')).toBe(true);
  });
});
