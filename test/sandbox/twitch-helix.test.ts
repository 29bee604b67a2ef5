import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider, RefreshingAuthProvider } from '@twurple/auth';
import { TwitchWorld } from '../../src/sandbox/twitch/world.js';
import type { TwitchUser } from '../../src/sandbox/twitch/world.js';
import { TwitchApiServer } from '../../src/sandbox/twitch/helix/index.js';
import { pointTwurpleAt } from './helpers/twurple-helix.js';

const clientId = 'helixclient';
const clientSecret = 'helixsecret';
const logger = { minLevel: 'critical' as const };

let world: TwitchWorld;
let server: TwitchApiServer;
let restoreTwurple: () => void;
let streamer: TwitchUser;
let viewerToken: string;
let appApi: ApiClient;
let userApi: ApiClient;

beforeAll(async () => {
  world = new TwitchWorld();
  world.createApp({ clientId, clientSecret });
  streamer = world.ensureUser('Streamer', { broadcasterType: 'affiliate' });
  world.ensureUser('otherstreamer');
  world.ensureUser('offlineone');
  server = await TwitchApiServer.start({ world });
  restoreTwurple = pointTwurpleAt(server.port);

  appApi = new ApiClient({
    authProvider: new AppTokenAuthProvider(clientId, clientSecret),
    logger,
  });
  const scopes = [
    'channel:read:subscriptions',
    'user:read:email',
    'channel:manage:broadcast',
    'moderator:read:followers',
  ];
  const granted = world.grantUser('streamer', clientId, scopes);
  const provider = new RefreshingAuthProvider({ clientId, clientSecret });
  provider.addUser(streamer.id, {
    accessToken: granted.access_token,
    refreshToken: granted.refresh_token ?? null,
    expiresIn: granted.expires_in,
    obtainmentTimestamp: Date.now(),
    scope: scopes,
  });
  viewerToken = world.grantUser('viewer0', clientId, ['user:read:subscriptions']).access_token;
  userApi = new ApiClient({ authProvider: provider, logger });
});

afterAll(async () => {
  restoreTwurple();
  await server.close();
});

function helixGet(path: string, token: string, client = clientId): Promise<Response> {
  return fetch(`${server.baseUrl}/mock/${path}`, {
    headers: { Authorization: `Bearer ${token}`, 'Client-Id': client },
  });
}

describe('Helix users, streams, channels, videos (real twurple)', () => {
  it('gets users by name with an app token from client_credentials', async () => {
    const user = await appApi.users.getUserByName('streamer');
    expect(user?.id).toBe(streamer.id);
    expect(user?.name).toBe('streamer');
    expect(user?.displayName).toBe('Streamer');
    expect(user?.broadcasterType).toBe('affiliate');
    expect(user?.creationDate).toBeInstanceOf(Date);
    expect(await appApi.users.getUserByName('nobody-here')).toBeNull();

    const tokenCall = server.received.find((r) => r.path === '/auth/token');
    expect(tokenCall?.method).toBe('POST');
    expect(tokenCall?.query.grant_type).toBe('client_credentials');
    const usersCall = server.received.find((r) => r.path === '/mock/users');
    expect(usersCall?.query.login).toBe('streamer');
    expect(usersCall?.clientId).toBe(clientId);
    expect(usersCall?.rateLimit?.limit).toBe(800);
  });

  it("returns the token's own user for GET /users without a query", async () => {
    const me = await userApi.users.getAuthenticatedUser(streamer.id, true);
    expect(me.id).toBe(streamer.id);
    expect(me.email).toBe('streamer@example.test');
    const last = server.received.filter((r) => r.path === '/mock/users').at(-1);
    expect(last?.query).toEqual({});
  });

  it('batches streams by user ids and reports live ones only', async () => {
    world.goLive('streamer', {
      title: 'Building a bot',
      game: 'Software and Game Development',
      viewers: 42,
    });
    world.goLive('otherstreamer', { title: 'Rerun', game: 'Minecraft', viewers: 7, type: 'rerun' });
    const ids = ['streamer', 'otherstreamer', 'offlineone'].map((l) => world.ensureUser(l).id);
    const streams = await appApi.streams.getStreamsByUserIds(ids);
    expect(streams.map((s) => s.userName).sort()).toEqual(['otherstreamer', 'streamer']);
    const mine = streams.find((s) => s.userId === streamer.id);
    expect(mine?.title).toBe('Building a bot');
    expect(mine?.gameName).toBe('Software and Game Development');
    expect(mine?.viewers).toBe(42);
    expect(mine?.type).toBe('live');
    expect(mine?.startDate).toBeInstanceOf(Date);
    const call = server.received.filter((r) => r.path === '/mock/streams').at(-1);
    expect(call?.query.user_id).toEqual(ids);

    const liveOnly = await appApi.streams.getStreams({ type: 'live' });
    expect(liveOnly.data.map((s) => s.userName)).toEqual(['streamer']);
  });

  it('gets channel information', async () => {
    world.updateChannel('streamer', { tags: ['English', 'Coding'] });
    const info = await appApi.channels.getChannelInfoById(streamer.id);
    expect(info?.title).toBe('Building a bot');
    expect(info?.gameName).toBe('Software and Game Development');
    expect(info?.gameId).toBe('1469308723');
    expect(info?.tags).toEqual(['English', 'Coding']);
    expect(info?.language).toBe('en');
  });

  it('lists the VOD created when a stream ends', async () => {
    world.goOffline('otherstreamer');
    const other = world.ensureUser('otherstreamer');
    const videos = await appApi.videos.getVideosByUser(other.id, { type: 'archive' });
    expect(videos.data).toHaveLength(1);
    expect(videos.data[0]?.type).toBe('archive');
    expect(videos.data[0]?.title).toBe('Rerun');
    expect(videos.data[0]?.userDisplayName).toBe('otherstreamer');
    expect(videos.data[0]?.duration).toMatch(/^\d+s$/);
    expect(await appApi.streams.getStreamByUserId(other.id)).toBeNull();
  });
});

describe('Helix channel updates, follows and search (real twurple)', () => {
  it('updates the channel with the broadcaster token and raises channel.update', async () => {
    const raised: string[] = [];
    const onNotification = (n: { type: string }): number => raised.push(n.type);
    world.on('notification', onNotification);
    await userApi.channels.updateChannelInfo(streamer.id, { title: 'Patched', gameId: '509658' });
    world.off('notification', onNotification);
    expect(world.channel(streamer.id)).toMatchObject({
      title: 'Patched',
      gameName: 'Just Chatting',
    });
    expect(raised).toEqual(['channel.update']);
    expect(server.received.at(-1)).toMatchObject({ method: 'PATCH', status: 204 });
  });

  it('lists followers for the broadcaster and only the total for others', async () => {
    world.follow('streamer', 'follower1');
    world.follow('streamer', 'follower2');
    const followers = await userApi.channels.getChannelFollowers(streamer.id);
    expect(followers.total).toBe(2);
    expect(followers.data.map((f) => f.userName).sort()).toEqual(['follower1', 'follower2']);
    expect(await appApi.channels.getChannelFollowerCount(streamer.id)).toBe(2);
  });

  it('searches channels by name', async () => {
    const found = await appApi.search.searchChannels('stream', { liveOnly: true });
    expect(found.data.map((c) => c.name)).toEqual(['streamer']);
    expect(found.data[0]?.isLive).toBe(true);
  });
});

describe('Helix subscriptions (real twurple)', () => {
  beforeAll(() => {
    for (let i = 0; i < 250; i++) {
      const tier = i % 50 === 0 ? '3000' : i % 10 === 0 ? '2000' : '1000';
      world.subscribe('streamer', `viewer${i}`, tier, i === 1 ? { gift: 'generous' } : {});
    }
  });

  it('pages through 250 subscriptions with cursors', async () => {
    const before = server.received.length;
    const all = await userApi.subscriptions.getSubscriptionsPaginated(streamer.id).getAll();
    expect(all).toHaveLength(250);
    expect(new Set(all.map((s) => s.userId)).size).toBe(250);
    const pages = server.received.slice(before).filter((r) => r.path === '/mock/subscriptions');
    expect(pages.map((p) => p.query.first)).toEqual(['100', '100', '100']);
    expect(pages[0]?.query.after).toBeUndefined();
    expect(typeof pages[1]?.query.after).toBe('string');

    const first = await userApi.subscriptions.getSubscriptions(streamer.id, { limit: 20 });
    expect(first.data).toHaveLength(20);
    expect(first.total).toBe(250);
    expect(first.points).toBe(5 * 6 + 20 * 2 + 225);
    expect(first.cursor).toBeTruthy();
  });

  it('checks one user: a subscription, or null when not subscribed', async () => {
    const gifted = await userApi.subscriptions.getSubscriptionForUser(
      streamer.id,
      world.ensureUser('viewer1').id,
    );
    expect(gifted?.isGift).toBe(true);
    expect(gifted?.gifterName).toBe('generous');
    expect(gifted?.tier).toBe('1000');
    const tier3 = await userApi.subscriptions.getSubscriptionForUser(
      streamer.id,
      world.ensureUser('viewer0').id,
    );
    expect(tier3?.tier).toBe('3000');
    expect(tier3?.gifterId).toBeNull();
    const none = await userApi.subscriptions.getSubscriptionForUser(
      streamer.id,
      world.ensureUser('lurker').id,
    );
    expect(none).toBeNull();
  });

  it("answers subscriptions/user with the viewer's token, 404 when not subscribed", async () => {
    const viewer = world.ensureUser('viewer0');
    const ok = await helixGet(
      `subscriptions/user?broadcaster_id=${streamer.id}&user_id=${viewer.id}`,
      viewerToken,
    );
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: Array<{ tier: string }> }).data[0]?.tier).toBe('3000');
    const other = world.ensureUser('otherstreamer');
    const missing = await helixGet(
      `subscriptions/user?broadcaster_id=${other.id}&user_id=${viewer.id}`,
      viewerToken,
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'Not Found', status: 404 });
  });

  it('refuses subscriptions without the broadcaster user token', async () => {
    const app = world.auth.issueAppToken(clientId).access_token;
    const res = await helixGet(`subscriptions?broadcaster_id=${streamer.id}`, app);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'Unauthorized',
      status: 401,
      message: 'Missing User OAUTH Token',
    });
    const wrongUser = await helixGet(`subscriptions?broadcaster_id=${streamer.id}`, viewerToken);
    expect(wrongUser.status).toBe(401);
  });
});

describe('Helix authentication', () => {
  it('listens where localhost resolves (127.0.0.1 and, with IPv6, ::1)', async () => {
    const app = world.auth.issueAppToken(clientId).access_token;
    const headers = { Authorization: `Bearer ${app}`, 'Client-Id': clientId };
    const v4 = await fetch(`http://127.0.0.1:${server.port}/mock/users?login=streamer`, {
      headers,
    });
    expect(v4.status).toBe(200);
    const v6 = await fetch(`http://[::1]:${server.port}/mock/users?login=streamer`, {
      headers,
    }).catch((e: unknown) => e);
    // Hosts without IPv6 refuse the connection; where ::1 exists it must be the same server.
    if (v6 instanceof Response) expect(v6.status).toBe(200);
  });

  it('answers 401 like Twitch for unknown tokens and mismatched client ids', async () => {
    const bad = await helixGet('users?login=streamer', 'notatoken');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      error: 'Unauthorized',
      status: 401,
      message: 'Invalid OAuth token',
    });
    const otherApp = world.createApp({ clientId: 'otherclient' });
    const token = world.auth.issueAppToken(otherApp.clientId).access_token;
    const mismatch = await helixGet('users?login=streamer', token);
    expect(mismatch.status).toBe(401);
    const noAuth = await fetch(`${server.baseUrl}/mock/users?login=streamer`);
    expect(noAuth.status).toBe(401);
    expect(server.received.at(-1)?.status).toBe(401);
  });

  it('validates pagination parameters', async () => {
    const app = world.auth.issueAppToken(clientId).access_token;
    expect((await helixGet('streams?first=101', app)).status).toBe(400);
    expect((await helixGet('streams?after=garbage', app)).status).toBe(400);
  });
});
