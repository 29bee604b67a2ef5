import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { waitUntil } from '../../src/testing/index.js';
import { authorizeBot } from '../../src/twitch/auth/authorize-bot.js';
import { runCli } from '../helpers/cli-process.js';
import {
  ask,
  CONNECTION_PLUGINS,
  project,
  startProduction,
  TEST_SECRET_KEY,
  TestWorld,
  type TwitchBotAccount,
} from '../platform/helpers/world.js';

const YAML = [
  'alice:',
  '  channels: [alice_chan]',
  '  cogs: [conn-ping]',
  'bob:',
  '  channels: [bob_chan]',
  '  cogs: [conn-ping]',
  '',
].join('\n');

let world: TestWorld;
let alice: TwitchBotAccount;
let bob: TwitchBotAccount;
let proj: Awaited<ReturnType<typeof project>>;
let app: App;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  world = await TestWorld.start();
  alice = world.twitchBot('alice');
  bob = world.twitchBot('bob');
  proj = await project(YAML);
  await world.authorise(proj.dataDir, 'alice', alice);
  await world.authorise(proj.dataDir, 'bob', bob);
  app = await startProduction(world, proj, { ...alice.env, ...bob.env }, logs);
});
afterAll(async () => {
  await app?.stop();
  await world?.close();
});

type Twitch = { chat: string; needsAuth: boolean; auth: string; command?: string; login?: string };
async function readyz(): Promise<{
  status: number;
  bots: Record<string, { platform: { twitch: Twitch } }>;
}> {
  const res = await fetch(`${app.runtime.url}/readyz`);
  const body = (await res.json()) as { bots: Record<string, { platform: { twitch: Twitch } }> };
  return { status: res.status, bots: body.bots };
}

describe('a revoked refresh token', () => {
  it('puts that bot in needs_auth (logged with the command, on /readyz) while the other bot keeps answering', async () => {
    expect(await ask(world, alice.login, 'alice_chan', '!lookup alice_chan')).toMatch(
      /^found alice_chan/,
    );
    expect(await ask(world, bob.login, 'bob_chan', '!ping')).toBe('pong');

    // The account owner disconnects the app at twitch.tv/settings/connections.
    world.world.revokeUserGrants(alice.login);
    // alice's next Helix call is refused; twurple refreshes, and Twitch refuses the refresh token.
    world.chat.viewerSays('alice_chan', { login: 'viewer' }, '!lookup alice_chan');
    const line = await waitUntil(
      () => logs.find((l) => l.needsAuth === true && l.bot === 'alice'),
      'the needs_auth log line',
    );
    expect(String(line.msg)).toContain('run: npx streamcogs auth alice');
    expect(line.level).toBe(50);

    const { bots } = await waitUntil(async () => {
      const r = await readyz();
      return r.bots.alice?.platform.twitch.chat === 'anonymous' && r;
    }, 'alice read-only on /readyz');
    expect(bots.alice?.platform.twitch).toMatchObject({
      needsAuth: true,
      auth: 'needs_auth',
      command: 'npx streamcogs auth alice',
    });
    expect(bots.bob?.platform.twitch).toMatchObject({
      needsAuth: false,
      auth: 'valid',
      chat: 'connected',
    });

    // The other bot is unaffected.
    expect(await ask(world, bob.login, 'bob_chan', '!ping still here')).toBe('pong still here');
  });

  it('streamcogs status shows it, with the command to run', async () => {
    const cli = runCli(['status', '--url', app.runtime.url], { cwd: proj.dir, env: {} });
    expect(await cli.exited).toBe(0);
    const out = cli.lines.map((l) => String(l.raw ?? '')).join('\n');
    expect(out).toContain('alice: ready');
    expect(out).toContain('twitch: chat anonymous');
    expect(out).toMatch(
      /NEEDS AUTH \(Twitch refused the refresh token.*\): run npx streamcogs auth alice/,
    );
    expect(out).toMatch(
      new RegExp(
        `bob: ready\\n  twitch: chat connected as ${bob.login}; token valid until \\d{4}-`,
      ),
    );
  });

  it('authorising again through the running server brings the bot back without a restart', async () => {
    const lines: string[] = [];
    const done = authorizeBot({
      bot: 'alice',
      cwd: proj.dir,
      file: proj.file,
      env: {
        ...world.env,
        ...alice.env,
        ...bob.env,
        PORT: new URL(app.runtime.url).port,
        DATA_DIR: proj.dataDir,
        STREAMCOGS_SECRET_KEY: TEST_SECRET_KEY,
        PLUGIN_DIRS: CONNECTION_PLUGINS,
      },
      out: (l) => lines.push(l),
    });
    const url = await waitUntil(
      () => lines.find((l) => l.includes('/authorize?')),
      'the authorize URL',
    );
    expect(lines).toContain(
      `The running server on port ${new URL(app.runtime.url).port} will receive the redirect.`,
    );
    const approved = await fetch(`${url}&login=${alice.login}&auto=1`, { redirect: 'manual' });
    const page = await fetch(approved.headers.get('location') ?? '');
    expect(page.status).toBe(200);
    expect((await done).login).toBe(alice.login);

    await waitUntil(
      async () => (await readyz()).bots.alice?.platform.twitch.chat === 'connected',
      'alice back',
    );
    expect((await readyz()).bots.alice?.platform.twitch).toMatchObject({
      needsAuth: false,
      login: alice.login,
    });
    expect(await ask(world, alice.login, 'alice_chan', '!ping back')).toBe('pong back');
  });
});
