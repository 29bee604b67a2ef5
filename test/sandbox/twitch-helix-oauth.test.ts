import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpStatusCodeError } from '@twurple/api-call';
import { exchangeCode, getTokenInfo } from '@twurple/auth';
import { startHelixSandbox, type HelixSandbox } from './helpers/twurple-helix.js';

const clientId = 'oauthclient';
const clientSecret = 'authsecret';
const redirectUri = 'http://localhost:9/callback';

let twitch: HelixSandbox;

beforeAll(async () => {
  twitch = await startHelixSandbox({
    app: { clientId, clientSecret, redirectUris: [redirectUri], name: 'Streamcogs' },
  });
});

afterAll(() => twitch.close());

function form(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${twitch.server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('authorization code flow', () => {
  it('redirects back with a code that twurple exchanges once', async () => {
    const url = new URL(`${twitch.server.baseUrl}/auth/authorize`);
    const params = {
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      state: 'xyz',
    };
    for (const [k, v] of Object.entries({
      ...params,
      scope: 'chat:read chat:edit',
      login: 'coder',
      auto: '1',
    })) {
      url.searchParams.set(k, v);
    }
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('scope')).toBe('chat:read chat:edit');
    const code = location.searchParams.get('code') ?? '';

    const token = await exchangeCode(clientId, clientSecret, code, redirectUri);
    expect(token.scope).toEqual(['chat:read', 'chat:edit']);
    expect(token.refreshToken).toBeTruthy();
    expect(token.expiresIn).toBe(14_400);
    const info = await getTokenInfo(token.accessToken, clientId);
    expect(info.userName).toBe('coder');
    expect(info.userId).toBe(twitch.world.ensureUser('coder').id);
    expect(info.scopes).toEqual(['chat:read', 'chat:edit']);

    const again = await exchangeCode(clientId, clientSecret, code, redirectUri).catch(
      (e: unknown) => e,
    );
    expect((again as HttpStatusCodeError).statusCode).toBe(400);
  });

  it('shows an HTML authorize page whose form redirects back', async () => {
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'bits:read',
    });
    const pageRes = await fetch(`${twitch.server.baseUrl}/auth/authorize?${query}`);
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('content-type')).toContain('text/html');
    const html = await pageRes.text();
    expect(html).toContain('Authorize');
    expect(html).toContain('Streamcogs');

    const submit = await fetch(`${twitch.server.baseUrl}/auth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...Object.fromEntries(query),
        login: 'clicker',
        decision: 'authorize',
      }).toString(),
    });
    expect(submit.status).toBe(302);
    expect(new URL(submit.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();

    const bad = await fetch(
      `${twitch.server.baseUrl}/auth/authorize?${query}`.replace('localhost%3A9', 'evil.example'),
    );
    expect(bad.status).toBe(400);
  });
});

describe('device code flow (plain fetch)', () => {
  it('stays pending until the user approves, then issues tokens once', async () => {
    const started = await form('/auth/device', {
      client_id: clientId,
      scopes: 'chat:read user:read:chat',
    });
    expect(started.status).toBe(200);
    const device = (await started.json()) as Record<string, string | number>;
    expect(device).toMatchObject({ expires_in: 1800, interval: 5 });
    expect(String(device.user_code)).toMatch(/^[A-Z]{8}$/);
    expect(String(device.verification_uri)).toContain('/auth/activate');

    const poll = (): Promise<Response> =>
      form('/auth/token', {
        client_id: clientId,
        scopes: 'chat:read user:read:chat',
        device_code: String(device.device_code),
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      });
    const pending = await poll();
    expect(pending.status).toBe(400);
    expect(await pending.json()).toEqual({ status: 400, message: 'authorization_pending' });

    const activatePage = await fetch(String(device.verification_uri));
    expect(await activatePage.text()).toContain(String(device.user_code));
    const approved = await form('/auth/activate', {
      user_code: String(device.user_code),
      login: 'tvuser',
    });
    expect(approved.status).toBe(200);

    const done = await poll();
    expect(done.status).toBe(200);
    const token = (await done.json()) as {
      access_token: string;
      refresh_token: string;
      scope: string[];
    };
    expect(token.scope).toEqual(['chat:read', 'user:read:chat']);
    expect(token.refresh_token).toBeTruthy();
    expect((await poll()).status).toBe(400);

    const validated = await fetch(`${twitch.server.baseUrl}/auth/validate`, {
      headers: { Authorization: `OAuth ${token.access_token}` },
    });
    expect(await validated.json()).toEqual({
      client_id: clientId,
      login: 'tvuser',
      scopes: ['chat:read', 'user:read:chat'],
      user_id: twitch.world.ensureUser('tvuser').id,
      expires_in: 14_400,
    });
  });

  it('approves through twitch.world.approveDevice too', async () => {
    const device = (await (
      await form('/auth/device', { client_id: clientId, scopes: '' })
    ).json()) as Record<string, string>;
    expect(twitch.world.approveDevice(String(device.user_code), 'console')).toBe(true);
    const fields = {
      client_id: clientId,
      device_code: String(device.device_code),
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    };
    expect((await form('/auth/token', fields)).status).toBe(200);
  });
});

describe('validate, revoke and client credentials', () => {
  it('expires, revokes and rejects bad secrets like Twitch', async () => {
    const granted = twitch.world.grantUser('shortlived', clientId, []);
    const validate = (t: string): Promise<Response> =>
      fetch(`${twitch.server.baseUrl}/auth/validate`, { headers: { Authorization: `OAuth ${t}` } });
    expect((await validate(granted.access_token)).status).toBe(200);
    const revoked = await form('/auth/revoke', {
      client_id: clientId,
      token: granted.access_token,
    });
    expect(revoked.status).toBe(200);
    const invalid = await validate(granted.access_token);
    expect(invalid.status).toBe(401);
    expect(await invalid.json()).toEqual({ status: 401, message: 'invalid access token' });
    expect(
      (await form('/auth/revoke', { client_id: clientId, token: granted.access_token })).status,
    ).toBe(400);

    twitch.world.auth.tokenExpiresIn = 10;
    const soon = twitch.world.grantUser('shortlived', clientId, []);
    twitch.world.auth.tokenExpiresIn = 14_400;
    expect(
      ((await (await validate(soon.access_token)).json()) as { expires_in: number }).expires_in,
    ).toBe(10);
    twitch.clock.advance(10_000);
    expect((await validate(soon.access_token)).status).toBe(401);

    const wrong = await form('/auth/token', {
      client_id: clientId,
      client_secret: 'nope',
      grant_type: 'client_credentials',
    });
    expect(wrong.status).toBe(403);
    const unknown = await form('/auth/token', {
      client_id: 'ghost',
      client_secret: 'x',
      grant_type: 'client_credentials',
    });
    expect(await unknown.json()).toEqual({ status: 400, message: 'invalid client' });
    const app = await form('/auth/token', {
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
    });
    const appToken = (await app.json()) as {
      access_token: string;
      token_type: string;
      refresh_token?: string;
    };
    expect(appToken.token_type).toBe('bearer');
    expect(appToken.refresh_token).toBeUndefined();
    expect(await (await validate(appToken.access_token)).json()).toMatchObject({
      client_id: clientId,
      scopes: [],
    });
  });
});
