import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { waitUntil } from '../../src/testing/index.js';
import type { StoredTwitchToken } from '../../src/twitch/auth/token-store.js';
import {
  ask,
  project,
  startProduction,
  TestWorld,
  type TwitchBotAccount,
} from '../platform/helpers/world.js';

// Tokens live 62 s at the sandbox; twurple treats them as expired one minute early, so
// the bot must refresh about every two seconds: several refreshes within one test.
const TOKEN_LIFETIME_S = 62;

let world: TestWorld;
let alice: TwitchBotAccount;
let app: App;
let initial: StoredTwitchToken;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  world = await TestWorld.start({ tokenExpiresIn: TOKEN_LIFETIME_S });
  alice = world.twitchBot('alice');
  const proj = await project('alice:\n  channels: [alice_chan]\n  cogs: [conn-ping]\n');
  initial = await world.authorise(proj.dataDir, 'alice', alice);
  app = await startProduction(world, proj, alice.env, logs);
  world.chat.setModerator('alice_chan', alice.login); // 100 lines per 30 s
});
afterAll(async () => {
  await app?.stop();
  await world?.close();
});

const stored = () => app.connections.tokens.load('alice');

describe('a token that expires is refreshed without a dropped chat message', () => {
  it('refreshes ahead of expiry while chatting: every message answered, one connection, each rotation stored', async () => {
    const seen = new Set<string>([initial.refreshToken]);
    const connections = world.chat.connectionCount;
    let asked = 0;
    // Keep a conversation going until the token rotated at least twice (bounded).
    while (seen.size < 3 && asked < 60) {
      asked++;
      expect(await ask(world, alice.login, 'alice_chan', `!ping ${asked}`)).toBe(`pong ${asked}`);
      const now = await stored();
      if (now) seen.add(now.refreshToken);
      await new Promise((r) => setTimeout(r, 100)); // a viewer's pace
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    const answers = world.chat.messagesFrom(alice.login, 'alice_chan');
    expect(answers.map((m) => m.text)).toEqual(
      Array.from({ length: asked }, (_, i) => `pong ${i + 1}`),
    );
    expect(world.chat.droppedCount(alice.login)).toBe(0);
    expect(world.chat.connectionCount).toBe(connections); // no reconnect was needed

    // Rotated refresh tokens are single-use: the first is dead, the stored one is current.
    expect(world.world.auth.refresh(alice.clientId, initial.refreshToken)).toBeUndefined();
    const current = await stored();
    expect(world.world.auth.lookup(current!.accessToken)?.userId).toBe(initial.userId);
    const status = app.runtime.readiness().bots.alice as {
      platform: { twitch: { tokenValidUntil: string; auth: string } };
    };
    expect(status.platform.twitch.auth).toBe('valid');
    expect(Date.parse(status.platform.twitch.tokenValidUntil)).toBeGreaterThan(
      initial.obtainmentTimestamp + TOKEN_LIFETIME_S * 1000,
    );
  });

  it('after a chat outage the bot logs in again with its current token, rejoins and answers', async () => {
    const port = await world.stopChat();
    // While chat is down the bot is not ready, and /readyz says so.
    await waitUntil(() => !app.runtime.readiness().ready, 'not ready while chat is down', 10_000);
    expect((await fetch(`${app.runtime.url}/readyz`)).status).toBe(503);
    await world.startChat(port);
    world.chat.setModerator('alice_chan', alice.login); // the new server knows nothing yet
    // tmi.js reconnects with backoff; the PASS it sends comes from the refreshing provider.
    await waitUntil(
      () => world.chat.chatters('alice_chan').includes(alice.login),
      'the bot back in #alice_chan',
      15_000,
    );
    expect(await ask(world, alice.login, 'alice_chan', '!ping again')).toBe('pong again');
    expect((await fetch(`${app.runtime.url}/readyz`)).status).toBe(200);
    expect(logs.some((l) => /Login authentication failed/.test(String(l.reason ?? '')))).toBe(
      false,
    );
  });
});
