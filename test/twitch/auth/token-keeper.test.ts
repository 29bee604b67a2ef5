import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/index.js';
import { loggerInto } from '../../helpers/log-lines.js';
import { createStorage, type Storage } from '../../../core/storage.js';
import { readEndpoints } from '../../../src/endpoints.js';
import { TwitchApiServer, loopbackHttp } from '../../../src/sandbox/twitch/helix/index.js';
import { TwitchWorld } from '../../../src/sandbox/twitch/world.js';
import { waitUntil } from '../../../src/testing/index.js';
import { TwitchOAuthApi } from '../../../src/twitch/auth/oauth-api.js';
import { SecretBox } from '../../../src/twitch/auth/secret-box.js';
import { TokenKeeper } from '../../../src/twitch/auth/token-keeper.js';
import { TwitchTokenStore, type StoredTwitchToken } from '../../../src/twitch/auth/token-store.js';

let world: TwitchWorld;
let api: TwitchApiServer;
let storage: Storage;
let oauth: TwitchOAuthApi;
const box = new SecretBox(Buffer.alloc(32, 5));
const keepers: TokenKeeper[] = [];
const logs: Record<string, unknown>[] = [];
const log = loggerInto(logs);

beforeAll(async () => {
  world = new TwitchWorld();
  api = await TwitchApiServer.start({ world, callbackRewrite: loopbackHttp });
  process.env.TWURPLE_MOCK_API_PORT = String(api.port);
  oauth = new TwitchOAuthApi(readEndpoints({ TWURPLE_MOCK_API_PORT: String(api.port) }));
  storage = await createStorage({ dataDir: await mkdtemp(path.join(tmpdir(), 'sc-keeper-')) });
});
afterEach(() => keepers.splice(0).forEach((k) => k.stop()));
afterAll(async () => {
  await storage?.close();
  await api?.close();
});

let n = 0;
function account() {
  const login = `keeper_bot_${++n}`;
  const app = world.createApp({ name: login });
  return { login, app, bot: `bot${n}` };
}

function grant(
  a: ReturnType<typeof account>,
  scopes = ['chat:read', 'chat:edit'],
): StoredTwitchToken {
  const t = world.grantUser(a.login, a.app.clientId, scopes);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? '',
    scope: scopes,
    expiresIn: t.expires_in,
    obtainmentTimestamp: Date.now(),
    userId: world.findUser(a.login)!.id,
    login: a.login,
    clientId: a.app.clientId,
  };
}

function keeper(a: ReturnType<typeof account>, tokens: TwitchTokenStore, extra = {}): TokenKeeper {
  const k = new TokenKeeper({
    bot: a.bot,
    clientId: a.app.clientId,
    clientSecret: a.app.clientSecret,
    tokens,
    oauth,
    log,
    neededScopes: ['chat:read', 'chat:edit'],
    ...extra,
  });
  keepers.push(k);
  return k;
}

/** The namespace, with every write recorded and slowed down. */
function slowStore(events: string[]): Store {
  const inner = storage.core(`twitch-auth-${n}`);
  return {
    get: (k) => inner.get(k),
    has: (k) => inner.has(k),
    delete: (k) => inner.delete(k),
    setMany: (entries) => inner.setMany(entries),
    claim: (k, t) => inner.claim(k, t),
    namespace: (x) => inner.namespace(x),
    async set(k, v, t) {
      events.push('write');
      await new Promise((r) => setTimeout(r, 150));
      await inner.set(k, v, t);
      events.push('stored');
    },
  };
}

describe('TokenKeeper against the sandbox OAuth (real twurple)', () => {
  it('stores every rotated refresh token before it is used again, and never spends one twice', async () => {
    const a = account();
    const events: string[] = [];
    const tokens = new TwitchTokenStore(slowStore(events), box);
    await tokens.save(a.bot, grant(a));
    const original = world.auth.refresh.bind(world.auth);
    world.auth.refresh = (clientId, refresh) => {
      events.push('refresh');
      return original(clientId, refresh);
    };
    try {
      const k = keeper(a, tokens);
      await k.start();
      events.length = 0;
      // Two callers at once share one refresh (a second would spend the same token).
      expect(await Promise.all([k.refreshNow('a'), k.refreshNow('b')])).toEqual([true, true]);
      await k.refreshNow('c');
      expect(events).toEqual(['refresh', 'write', 'stored', 'refresh', 'write', 'stored']);
      const stored = await tokens.load(a.bot);
      expect(await k.accessToken()).toBe(stored?.accessToken);
      expect(world.auth.lookup(stored!.accessToken)).toBeDefined();
    } finally {
      world.auth.refresh = original;
    }
  });

  it('validates at start: a token Twitch no longer accepts is refreshed and stored', async () => {
    const a = account();
    const tokens = new TwitchTokenStore(storage.core('twitch-auth'), box);
    const good = grant(a);
    await tokens.save(a.bot, { ...good, accessToken: 'not-a-valid-token' });
    const k = keeper(a, tokens);
    await k.start();
    expect(k.status()).toMatchObject({ state: 'valid', needsAuth: false, login: a.login });
    const stored = await tokens.load(a.bot);
    expect(stored?.accessToken).not.toBe('not-a-valid-token');
    expect(stored?.refreshToken).not.toBe(good.refreshToken);
    expect(world.auth.lookup(stored!.accessToken)?.userId).toBe(good.userId);
  });

  it('a revoked grant: needs_auth, with the command to run in the log and the status', async () => {
    const a = account();
    const tokens = new TwitchTokenStore(storage.core('twitch-auth'), box);
    await tokens.save(a.bot, grant(a));
    world.revokeUserGrants(a.login);
    const k = keeper(a, tokens);
    await k.start();
    expect(k.status()).toMatchObject({
      state: 'needs_auth',
      needsAuth: true,
      command: `npx streamcogs auth ${a.bot}`,
      detail: expect.stringContaining('Twitch refused the refresh token'),
    });
    await expect(k.accessToken()).rejects.toMatchObject({ code: 'SC_AUTH_REQUIRED' });
    const line = logs.find((l) => l.needsAuth === true && String(l.msg).includes(a.bot));
    expect(line?.msg).toContain(`run: npx streamcogs auth ${a.bot}`);
  });

  it('a token of another Twitch app is not used', async () => {
    const a = account();
    const tokens = new TwitchTokenStore(storage.core('twitch-auth'), box);
    await tokens.save(a.bot, { ...grant(a), clientId: 'another-app' });
    const k = keeper(a, tokens);
    await k.start();
    expect(k.status()).toMatchObject({
      state: 'needs_auth',
      detail: expect.stringContaining('another Twitch app'),
    });
  });

  it('without a token: read-only, then adopts one stored later (another process) and says so', async () => {
    const a = account();
    const tokens = new TwitchTokenStore(storage.core('twitch-auth'), box);
    const k = keeper(a, tokens, { recheckEveryMs: 20 });
    let changes = 0;
    k.onChange(() => changes++);
    await k.start();
    expect(k.status()).toMatchObject({
      state: 'missing',
      needsAuth: true,
      command: `npx streamcogs auth ${a.bot}`,
    });
    expect(k.login).toBeUndefined();
    // `streamcogs auth` in another process writes through its own store instance.
    await new TwitchTokenStore(storage.core('twitch-auth'), box).save(a.bot, grant(a));
    await waitUntil(() => changes === 1, 'the stored token adopted (and chat told)');
    expect(k.state).toBe('valid');
    expect(k.login).toBe(a.login);
  });
});
