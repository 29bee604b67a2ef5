import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../core/storage.js';
import type { App } from '../../src/app.js';
import { waitUntil } from '../../src/testing/index.js';
import { TOKEN_NAMESPACE } from '../../src/platform/connections.js';
import { authorizeBot } from '../../src/twitch/auth/authorize-bot.js';
import { SecretBox, parseSecretKey } from '../../src/twitch/auth/secret-box.js';
import { TwitchTokenStore } from '../../src/twitch/auth/token-store.js';
import { runCli } from '../helpers/cli-process.js';
import {
  CONNECTION_PLUGINS,
  TEST_SECRET_KEY,
  TestWorld,
  project,
  startProduction,
  type TwitchBotAccount,
} from '../platform/helpers/world.js';

const YAML = [
  'alice:',
  '  channels: [alice_chan]',
  '  scopes: [all_scopes]',
  '  cogs: [conn-ping]',
  'bob:',
  '  channels: [bob_chan]',
  '  cogs: [conn-ping]',
  'carol:',
  '  channels: [carol_chan]',
  '  cogs: [conn-ping]',
  '',
].join('\n');

let world: TestWorld;
let proj: Awaited<ReturnType<typeof project>>;
let alice: TwitchBotAccount;
let bob: TwitchBotAccount;
let carol: TwitchBotAccount;
let app: App | undefined;

beforeAll(async () => {
  world = await TestWorld.start();
  alice = world.twitchBot('alice');
  bob = world.twitchBot('bob');
  carol = world.twitchBot('carol');
  proj = await project(YAML);
});
afterAll(async () => {
  await app?.stop();
  await world?.close();
});

async function storedToken(bot: string) {
  const storage = await createStorage({ dataDir: proj.dataDir });
  try {
    return await new TwitchTokenStore(
      storage.core(TOKEN_NAMESPACE),
      new SecretBox(parseSecretKey(TEST_SECRET_KEY)),
    ).load(bot);
  } finally {
    await storage.close();
  }
}

/** Every byte the SQLite database keeps on disk (main file and write-ahead log). */
async function databaseBytes(): Promise<string> {
  const files = (await readdir(proj.dataDir)).filter((f) => f.startsWith('streamcogs.sqlite'));
  const parts = await Promise.all(files.map((f) => readFile(path.join(proj.dataDir, f))));
  return Buffer.concat(parts).toString('latin1');
}

describe('streamcogs auth against the sandbox OAuth', () => {
  it('authorization code flow: the CLI prints the authorize URL, the browser comes back, the token is stored encrypted', async () => {
    const cli = runCli(['auth', 'alice'], {
      cwd: proj.dir,
      env: {
        ...world.env,
        ...alice.env,
        ...bob.env,
        PORT: '0',
        DATA_DIR: proj.dataDir,
        STREAMCOGS_SECRET_KEY: TEST_SECRET_KEY,
        PLUGIN_DIRS: CONNECTION_PLUGINS,
      },
    });
    const line = await cli.waitForLog((l) => String(l.raw ?? '').includes('/authorize?'));
    const authorize = new URL(String(line.raw));
    expect(authorize.searchParams.get('client_id')).toBe(alice.clientId);
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['chat:read', 'chat:edit', 'user:read:chat']),
    );
    const out = () => cli.lines.map((l) => String(l.raw ?? '')).join('\n');
    // all_scopes still works, with a warning naming what the cogs need.
    expect(out()).toMatch(/warning: .*all_scopes.*need only chat:edit, chat:read, user:read:chat/);

    // The "browser": log in as the bot's account and approve.
    const approved = await fetch(`${authorize}&login=${alice.login}&auto=1`, {
      redirect: 'manual',
    });
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get('location') ?? '');
    expect(callback.pathname).toBe('/oauth/twitch/callback');
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Twitch account <strong>${alice.login}</strong>`);
    expect(await cli.exited).toBe(0);
    expect(out()).toContain(`Authorised "alice" as Twitch account ${alice.login}`);

    const token = await storedToken('alice');
    expect(token?.login).toBe(alice.login);
    expect(token?.clientId).toBe(alice.clientId);
    expect(world.world.auth.lookup(token!.accessToken)?.userId).toBe(
      world.world.findUser(alice.login)?.id,
    );
    const bytes = await databaseBytes();
    expect(bytes).toContain('twitch-auth:token:alice');
    expect(bytes).not.toContain(token!.accessToken);
    expect(bytes).not.toContain(token!.refreshToken);
    expect(bytes).not.toContain(alice.login);
  });

  it('device code flow: prints a code, the account owner approves it, the token is stored', async () => {
    const lines: string[] = [];
    const pending = authorizeBot({
      bot: 'bob',
      device: true,
      cwd: proj.dir,
      file: proj.file,
      pollIntervalMs: 50,
      env: {
        ...world.env,
        ...alice.env,
        ...bob.env,
        DATA_DIR: proj.dataDir,
        STREAMCOGS_SECRET_KEY: TEST_SECRET_KEY,
        PLUGIN_DIRS: CONNECTION_PLUGINS,
      },
      out: (l) => lines.push(l),
    });
    const prompt = await waitUntil(
      () => lines.find((l) => l.includes('enter the code')),
      'the device code prompt',
    );
    const code = /code: ([A-Z]+)$/.exec(prompt)?.[1] ?? '';
    expect(prompt).toContain('/auth/activate');
    expect(world.world.approveDevice(code, bob.login)).toBe(true);
    const token = await pending;
    expect(token.login).toBe(bob.login);
    expect(token.scope).toEqual(expect.arrayContaining(['chat:read', 'chat:edit']));
    expect((await storedToken('bob'))?.refreshToken).toBe(token.refreshToken);
    expect(await databaseBytes()).not.toContain(token.refreshToken);
  });

  it('the server then runs both bots with their identities from the stored tokens', async () => {
    const logs: Record<string, unknown>[] = [];
    app = await startProduction(world, proj, { ...alice.env, ...bob.env, ...carol.env }, logs);
    expect(app.mode.kind).toBe('production');
    for (const [bot, account, channel] of [
      ['alice', alice, 'alice_chan'],
      ['bob', bob, 'bob_chan'],
    ] as const) {
      const before = world.chat.messagesFrom(account.login, channel).length;
      world.chat.viewerSays(channel, { login: 'viewer' }, `!ping ${bot}`);
      const reply = await waitUntil(
        () => world.chat.messagesFrom(account.login, channel)[before],
        `${bot}'s reply`,
      );
      expect(reply.text).toBe(`pong ${bot}`);
    }
    const ready = (await (await fetch(`${app.runtime.url}/readyz`)).json()) as {
      bots: Record<string, { platform: { twitch: Record<string, unknown> } }>;
    };
    expect(ready.bots.alice?.platform.twitch).toMatchObject({
      chat: 'connected',
      auth: 'valid',
      needsAuth: false,
      login: alice.login,
      missingScopes: [],
    });
    expect(String(ready.bots.alice?.platform.twitch.tokenValidUntil)).toMatch(/^\d{4}-/);

    // carol was never authorised: read-only, and it says what to run.
    expect(ready.bots.carol?.platform.twitch).toMatchObject({
      chat: 'anonymous',
      auth: 'missing',
      needsAuth: true,
      command: 'npx streamcogs auth carol',
    });
    expect(logs.map((l) => l.msg)).toContain(
      'bot "carol" has no Twitch token: chat is read-only (anonymous). Run: npx streamcogs auth carol',
    );
    expect(world.chat.chatters('carol_chan')).toEqual([expect.stringMatching(/^justinfan\d+$/)]);
  });
});
