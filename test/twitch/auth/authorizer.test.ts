import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.js';
import { createStorage, type Storage } from '../../../core/storage.js';
import { readEndpoints } from '../../../src/endpoints.js';
import { TwitchApiServer, loopbackHttp } from '../../../src/sandbox/twitch/helix/index.js';
import { TwitchWorld } from '../../../src/sandbox/twitch/world.js';
import { TwitchAuthorizer, twitchRedirectUri } from '../../../src/twitch/auth/authorizer.js';
import { twitchCallbackRouter } from '../../../src/twitch/auth/callback-route.js';
import { TwitchOAuthApi } from '../../../src/twitch/auth/oauth-api.js';
import { SecretBox } from '../../../src/twitch/auth/secret-box.js';
import { TwitchTokenStore } from '../../../src/twitch/auth/token-store.js';

let world: TwitchWorld;
let api: TwitchApiServer;
let storage: Storage;
let server: http.Server;
let authorizer: TwitchAuthorizer;
let tokens: TwitchTokenStore;
let clientId = '';
const authorised: string[] = [];

beforeAll(async () => {
  world = new TwitchWorld();
  api = await TwitchApiServer.start({ world, callbackRewrite: loopbackHttp });
  storage = await createStorage({ dataDir: await mkdtemp(path.join(tmpdir(), 'sc-authz-')) });
  const app = world.createApp({ name: 'alice app' });
  clientId = app.clientId;
  world.ensureUser('alice_bot');
  tokens = new TwitchTokenStore(storage.core('twitch-auth'), new SecretBox(Buffer.alloc(32, 4)));
  server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  authorizer = new TwitchAuthorizer({
    tokens,
    oauth: new TwitchOAuthApi(
      readEndpoints({
        TWURPLE_MOCK_API_PORT: String(api.port),
        TWITCH_AUTH_URL: `${api.baseUrl}/auth`,
      }),
    ),
    appOf: (bot) =>
      bot === 'alice'
        ? { clientId: app.clientId, clientSecret: app.clientSecret, envPrefix: 'ALICE' }
        : bot === 'nocreds'
          ? { envPrefix: 'NOCREDS' }
          : undefined,
    redirectUri: () => twitchRedirectUri(undefined, port),
  });
  const koa = new Koa();
  koa.use(
    twitchCallbackRouter(authorizer, createLogger({ level: 'silent' }), (bot) =>
      authorised.push(bot),
    ).routes(),
  );
  server.on('request', koa.callback());
});
afterAll(async () => {
  server?.close();
  await storage?.close();
  await api?.close();
});

async function follow(url: string, extra: string): Promise<Response> {
  const approved = await fetch(`${url}${extra}`, { redirect: 'manual' });
  return fetch(approved.headers.get('location') ?? '');
}

describe('the authorization code flow through /oauth/twitch/callback', () => {
  it('redeems the code, stores the token, and refuses the same link twice', async () => {
    const url = authorizer.authorizeUrl('alice', ['chat:read', 'chat:edit']);
    expect(new URL(url).searchParams.get('client_id')).toBe(clientId);
    expect(new URL(url).searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/localhost:\d+\/oauth\/twitch\/callback$/,
    );
    const approved = await fetch(`${url}&login=alice_bot&auto=1`, { redirect: 'manual' });
    const callback = approved.headers.get('location') ?? '';
    const ok = await fetch(callback);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Bot &#34;alice&#34; is authorised');
    expect(authorised).toEqual(['alice']);
    expect((await tokens.load('alice'))?.login).toBe('alice_bot');

    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
  });

  it('says so when the account owner cancels', async () => {
    const res = await follow(
      authorizer.authorizeUrl('alice', ['chat:read']),
      '&login=alice_bot&decision=cancel',
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      'Twitch did not authorise bot &#34;alice&#34;: The user denied you access',
    );
  });

  it('explains a bot without app credentials, or an unknown bot', () => {
    expect(() => authorizer.authorizeUrl('nocreds', [])).toThrow(
      /set NOCREDS_CLIENT_ID and NOCREDS_CLIENT_SECRET/,
    );
    expect(() => authorizer.authorizeUrl('ghost', [])).toThrow(/no bot "ghost" in bots.yaml/);
  });
});
