import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerInto } from '../helpers/log-lines.js';
import { startApp, type App } from '../../src/app.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { waitUntil } from '../../src/testing/index.js';
import { FIXTURE_PLUGINS } from '../helpers/runtime.js';

const yaml = (aliceGreeting: string, extra = ''): string =>
  [
    'alice:',
    '  channels: [alice_chan]',
    '  cogs:',
    `    - good-a: { greeting: "${aliceGreeting}" }`,
    'bob:',
    '  channels: [bob_chan]',
    '  cogs:',
    '    - good-a: { greeting: "bob says hi" }',
    extra,
  ].join('\n');

let app: App;
let sandbox: Sandbox;
let file: string;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-reload-'));
  file = path.join(dir, 'bots.yaml');
  await writeFile(file, yaml('alice v1'));
  app = await startApp({
    cwd: dir,
    file,
    watch: true,
    log: loggerInto(logs),
    env: {
      SANDBOX: '1',
      PORT: '0',
      DATA_DIR: path.join(dir, 'data'),
      PLUGIN_DIRS: FIXTURE_PLUGINS,
    },
  });
  sandbox = app.sandbox!;
});
afterAll(async () => {
  await app?.stop();
});

async function ask(channel: string, botName: string): Promise<string> {
  const login = sandbox.accounts.get(botName)!.login;
  const before = sandbox.chat.messagesFrom(login, channel).length;
  sandbox.chat.viewerSays(channel, { login: 'viewer' }, '!a');
  const record = await waitUntil(
    () => sandbox.chat.messagesFrom(login, channel)[before],
    `${botName} to answer`,
  );
  return record.text ?? '';
}

const started = (bot: string): number =>
  logs.filter((l) => l.msg === 'cog started' && l.bot === bot).length;

describe('hot reload of bots.yaml', () => {
  it('applies one cog settings change to its bot only', async () => {
    expect(await ask('alice_chan', 'alice')).toBe('alice v1');
    const bobPlatform = app.runtime.bots.get('bob')!.platform;
    expect(started('bob')).toBe(1);

    await writeFile(file, yaml('alice v2'));
    await waitUntil(() => logs.find((l) => l.msg === 'bots.yaml reloaded'), 'the reload', 10_000);

    expect(await ask('alice_chan', 'alice')).toBe('alice v2');
    expect(await ask('bob_chan', 'bob')).toBe('bob says hi');
    expect(started('alice')).toBe(2);
    expect(started('bob')).toBe(1); // bob's cog was not touched
    expect(app.runtime.bots.get('bob')!.platform).toBe(bobPlatform); // nor its connection
  });

  it('keeps the running config when an edit is invalid, and logs every error', async () => {
    await writeFile(file, yaml('alice v3', 'carol:\n  cogs: [no-such-cog]\n  prefix: "a b"\n'));
    const failure = await waitUntil(
      () => logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('bots.yaml has errors')),
      'the rejected reload',
      10_000,
    );
    expect(failure.msg).toContain('unknown cog "no-such-cog"');
    expect(failure.msg).toMatch(/carol\.prefix/);
    expect(await ask('alice_chan', 'alice')).toBe('alice v2');
    expect(app.runtime.bots.has('carol')).toBe(false);
  });

  it('starts a bot added to the file and stops one removed from it, leaving the others alone', async () => {
    const reloads = (): number => logs.filter((l) => l.msg === 'bots.yaml reloaded').length;
    const alicePlatform = app.runtime.bots.get('alice')!.platform;
    const bobPlatform = app.runtime.bots.get('bob')!.platform;
    const before = reloads();
    const carol =
      'carol:\n  channels: [carol_chan]\n  cogs:\n    - good-a: { greeting: "carol here" }\n';
    await writeFile(file, yaml('alice v2', carol));
    await waitUntil(() => reloads() > before, 'the reload adding carol', 10_000);
    expect(await ask('carol_chan', 'carol')).toBe('carol here');
    expect(started('alice')).toBe(2);
    expect(started('bob')).toBe(1);
    expect(app.runtime.bots.get('alice')!.platform).toBe(alicePlatform);
    expect(app.runtime.bots.get('bob')!.platform).toBe(bobPlatform);

    const withoutBob = yaml('alice v2', carol).replace(/^bob:[\s\S]*?(?=^carol:)/m, '');
    expect(withoutBob).not.toContain('bob');
    await writeFile(file, withoutBob);
    await waitUntil(() => reloads() > before + 1, 'the reload removing bob', 10_000);
    expect(app.runtime.bots.has('bob')).toBe(false);
    expect(await ask('alice_chan', 'alice')).toBe('alice v2');
    expect(await ask('carol_chan', 'carol')).toBe('carol here');
    expect(started('alice')).toBe(2);
    expect(started('carol')).toBe(1);
    expect(app.runtime.bots.get('alice')!.platform).toBe(alicePlatform);
  });

  it("joins and leaves a bot's channels as the file's channels list changes, without a restart", async () => {
    const reloads = (): number => logs.filter((l) => l.msg === 'bots.yaml reloaded').length;
    const alicePlatform = app.runtime.bots.get('alice')!.platform;
    const login = sandbox.accounts.get('alice')!.login;
    const alice = (channels: string): string =>
      `alice:\n  channels: [${channels}]\n  cogs:\n    - good-a: { greeting: "alice v2" }\n`;
    const before = reloads();
    await writeFile(file, alice('alice_chan, alice_two'));
    await waitUntil(() => reloads() > before, 'the reload adding a channel', 10_000);
    await waitUntil(
      () => sandbox.chat.chatters('alice_two').includes(login),
      'alice in #alice_two',
    );
    expect(await ask('alice_two', 'alice')).toBe('alice v2');

    await writeFile(file, alice('alice_two'));
    await waitUntil(() => reloads() > before + 1, 'the reload leaving a channel', 10_000);
    await waitUntil(
      () => !sandbox.chat.chatters('alice_chan').includes(login),
      'alice out of #alice_chan',
    );
    expect(await ask('alice_two', 'alice')).toBe('alice v2');
    expect(started('alice')).toBe(2); // channels changed, the cog did not restart
    expect(app.runtime.bots.get('alice')!.platform).toBe(alicePlatform);
  });
});
