import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '@twurple/api';
import { HttpStatusCodeError } from '@twurple/api-call';
import { refreshUserToken, RefreshingAuthProvider } from '@twurple/auth';
import type { AccessToken } from '@twurple/auth';
import { startHelixSandbox, type HelixSandbox } from './helpers/twurple-helix.js';

const clientId = 'authclient';
const clientSecret = 'authsecret';
const redirectUri = 'http://localhost:9/callback';
const logger = { minLevel: 'critical' as const };

let twitch: HelixSandbox;

beforeAll(async () => {
  twitch = await startHelixSandbox({
    app: { clientId, clientSecret, redirectUris: [redirectUri], name: 'Streamcogs' },
  });
});

afterAll(() => twitch.close());

function providerFor(
  login: string,
  scopes: string[],
): { provider: RefreshingAuthProvider; userId: string; refresh: string } {
  const userId = twitch.world.ensureUser(login).id;
  const granted = twitch.world.grantUser(login, clientId, scopes);
  const provider = new RefreshingAuthProvider({ clientId, clientSecret });
  provider.addUser(userId, {
    accessToken: granted.access_token,
    refreshToken: granted.refresh_token ?? null,
    expiresIn: granted.expires_in,
    obtainmentTimestamp: Date.now(),
    scope: scopes,
  });
  return { provider, userId, refresh: granted.refresh_token ?? '' };
}

describe('token refresh with rotating refresh tokens (real twurple)', () => {
  it('refreshes an expired user token and refuses the used refresh token', async () => {
    const { provider, userId, refresh } = providerFor('rotator', ['channel:read:subscriptions']);
    const refreshed: Array<{ userId: string; token: AccessToken }> = [];
    provider.onRefresh((id, token) => refreshed.push({ userId: id, token }));
    const api = new ApiClient({ authProvider: provider, logger });

    twitch.world.subscribe('rotator', 'fan', '1000');
    expect((await api.subscriptions.getSubscriptions(userId)).total).toBe(1);
    expect(refreshed).toHaveLength(0);

    twitch.clock.advance(14_400_000 + 1_000); // the access token expires on the server
    expect((await api.subscriptions.getSubscriptions(userId)).total).toBe(1);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]?.userId).toBe(userId);
    const next = refreshed[0]?.token.refreshToken;
    expect(next).toBeTruthy();
    expect(next).not.toBe(refresh);

    const statuses = twitch.server.received
      .filter((r) => r.path === '/mock/subscriptions')
      .map((r) => r.status);
    expect(statuses).toEqual([200, 401, 200]);
    const refreshCall = twitch.server.received.find((r) => r.query.grant_type === 'refresh_token');
    expect(refreshCall?.query.client_secret).toBe('***');

    const reuse = await refreshUserToken(clientId, clientSecret, refresh).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(HttpStatusCodeError);
    expect((reuse as HttpStatusCodeError).statusCode).toBe(400);
    expect((reuse as HttpStatusCodeError).body).toContain('Invalid refresh token');
  });

  it('fails the refresh once the user revoked the grant', async () => {
    const { provider, userId } = providerFor('revoker', ['channel:read:subscriptions']);
    const failures: string[] = [];
    provider.onRefreshFailure((id) => failures.push(id));
    const api = new ApiClient({ authProvider: provider, logger });
    expect((await api.subscriptions.getSubscriptions(userId)).total).toBe(0);

    twitch.world.revokeUserGrants('revoker');
    const error = await api.subscriptions.getSubscriptions(userId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusCodeError);
    expect((error as HttpStatusCodeError).statusCode).toBe(400);
    expect((error as HttpStatusCodeError).body).toContain('Invalid refresh token');
    expect(failures).toEqual([userId]);
  });
});
