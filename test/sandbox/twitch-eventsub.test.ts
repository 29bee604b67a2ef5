import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider } from '@twurple/auth';
import { EventSubMiddleware } from '@twurple/eventsub-http';
import type {
  EventSubChannelSubscriptionEvent,
  EventSubStreamOnlineEvent,
} from '@twurple/eventsub-base';
import { TwitchWorld } from '../../src/sandbox/twitch/world.js';
import type { TwitchUser } from '../../src/sandbox/twitch/world.js';
import { loopbackHttp, TwitchApiServer } from '../../src/sandbox/twitch/helix/index.js';
import { pointTwurpleAt } from './helpers/twurple-helix.js';

const clientId = 'esclient';
const clientSecret = 'essecret';
const logger = { minLevel: 'critical' as const };

type Handler = (
  req: IncomingMessage & { params?: Record<string, string> },
  res: ServerResponse,
  next: (e?: unknown) => void,
) => unknown;

/** The two methods EventSubMiddleware.apply() calls, mounted on a plain node:http server. */
class TinyRouter {
  readonly routes: Array<{ method: string; parts: string[]; handler: Handler }> = [];
  /** Answer this many notifications with 500 before passing them to twurple. */
  failNotifications = 0;
  post(path: string, handler: Handler): void {
    this.routes.push({ method: 'POST', parts: path.split('/').filter(Boolean), handler });
  }
  get(path: string, handler: Handler): void {
    this.routes.push({ method: 'GET', parts: path.split('/').filter(Boolean), handler });
  }
  handle = (
    req: IncomingMessage & { params?: Record<string, string> },
    res: ServerResponse,
  ): void => {
    if (
      req.headers['twitch-eventsub-message-type'] === 'notification' &&
      this.failNotifications > 0
    ) {
      this.failNotifications -= 1;
      res.writeHead(500).end('boom');
      return;
    }
    const segments = (req.url ?? '/').split('?')[0]?.split('/').filter(Boolean) ?? [];
    for (const route of this.routes) {
      if (route.method !== req.method || route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const ok = route.parts.every((p, i) =>
        p.startsWith(':') ? ((params[p.slice(1)] = segments[i] ?? ''), true) : p === segments[i],
      );
      if (!ok) continue;
      req.params = params;
      void route.handler(req, res, (e) => {
        if (!res.headersSent) res.writeHead(e ? 500 : 404).end();
      });
      return;
    }
    res.writeHead(404).end();
  };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let world: TwitchWorld;
let server: TwitchApiServer;
let restoreTwurple: () => void;
let callback: Server;
let router: TinyRouter;
let middleware: EventSubMiddleware;
let streamer: TwitchUser;
const online: EventSubStreamOnlineEvent[] = [];

beforeAll(async () => {
  world = new TwitchWorld();
  world.createApp({ clientId, clientSecret });
  streamer = world.ensureUser('Caster');
  server = await TwitchApiServer.start({
    world,
    callbackRewrite: loopbackHttp,
    delivery: { retryBaseMs: 20 },
  });
  restoreTwurple = pointTwurpleAt(server.port);

  router = new TinyRouter();
  callback = createServer(router.handle);
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  const port = (callback.address() as AddressInfo).port;
  const apiClient = new ApiClient({
    authProvider: new AppTokenAuthProvider(clientId, clientSecret),
    logger,
  });
  middleware = new EventSubMiddleware({
    apiClient,
    hostName: `127.0.0.1:${port}`,
    pathPrefix: '/twitch',
    secret: 'sandbox-secret-0123456789',
    logger,
  });
  // apply() only calls router.post/get; our TinyRouter provides exactly those.
  middleware.apply(router as unknown as Parameters<EventSubMiddleware['apply']>[0]);
  await middleware.markAsReady();
});

afterAll(async () => {
  restoreTwurple();
  await server.close();
  await new Promise<void>((resolve) => callback.close(() => resolve()));
});

const enabled = (type: string): boolean =>
  world.eventSub.list().some((s) => s.type === type && s.status === 'enabled');

describe('EventSub webhooks through @twurple/eventsub-http', () => {
  it('verifies the callback, then delivers stream.online to the handler', async () => {
    middleware.onStreamOnline(streamer.id, (e) => {
      online.push(e);
    });
    await waitFor(() => enabled('stream.online'), 'stream.online enabled');
    const sub = world.eventSub.list()[0];
    expect(sub?.callback).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/twitch\/event\//);
    expect(sub?.cost).toBe(1);
    const create = server.received.find(
      (r) => r.method === 'POST' && r.path === '/eventsub/subscriptions',
    );
    expect(create?.status).toBe(202);
    const verification = server.eventSub.deliveries.find(
      (d) => d.messageType === 'webhook_callback_verification',
    );
    expect(verification?.status).toBe(200);
    expect(verification?.url).toMatch(/^http:\/\/127\.0\.0\.1/);

    const stream = world.goLive('caster', { title: 'Live now', game: 'Art', viewers: 5 });
    await waitFor(() => online.length === 1, 'stream.online handler');
    const event = online[0] as EventSubStreamOnlineEvent;
    expect(event.broadcasterId).toBe(streamer.id);
    expect(event.broadcasterName).toBe('caster');
    expect(event.broadcasterDisplayName).toBe('Caster');
    expect(event.id).toBe(stream.id);
    expect(event.type).toBe('live');
    expect(event.startDate.getTime()).toBe(stream.startedAt);
    const live = await event.getStream();
    expect(live?.title).toBe('Live now');
    const delivery = server.eventSub.deliveries.find((d) => d.messageType === 'notification');
    expect(delivery).toMatchObject({
      status: 202,
      ok: true,
      retry: 0,
      subscriptionType: 'stream.online',
    });
    expect(delivery?.latencyMs).toBeGreaterThan(0);
  });

  it('has twurple refuse a bad signature with 410 (recorded) without calling the handler', async () => {
    const event = {
      id: '1',
      broadcaster_user_id: streamer.id,
      broadcaster_user_login: 'caster',
      broadcaster_user_name: 'Caster',
      type: 'live',
      started_at: new Date().toISOString(),
    };
    const [rec] = await server.eventSub.sendRaw({
      type: 'stream.online',
      event,
      badSignature: true,
    });
    expect(rec?.status).toBe(410);
    expect(rec?.badSignature).toBe(true);
    const [stale] = await server.eventSub.sendRaw({
      type: 'stream.online',
      event,
      staleBy: 11 * 60_000,
    });
    expect(stale?.status).toBe(202);
    const [good] = await server.eventSub.sendRaw({
      type: 'stream.online',
      event: { ...event, id: '2' },
    });
    expect(good?.status).toBe(202);
    await waitFor(() => online.length === 2, 'raw notification');
    const again = await server.eventSub.redeliver(good?.messageId ?? '');
    expect(again).toMatchObject({ status: 202, messageId: good?.messageId, retry: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(online.map((e) => e.id)).toEqual([world.streams.get(streamer.id)?.id, '2']);
  });

  it('retries a notification answered with 500 until the callback returns 2xx', async () => {
    world.goOffline('caster');
    router.failNotifications = 2;
    world.goLive('caster', { title: 'Second stream' });
    await waitFor(() => online.length === 3, 'retried notification');
    await server.eventSub.idle();
    const last = server.eventSub.deliveries.at(-1);
    const attempts = server.eventSub.deliveries.filter((d) => d.messageId === last?.messageId);
    expect(attempts.map((d) => d.status)).toEqual([500, 500, 202]);
    expect(attempts.map((d) => d.retry)).toEqual([0, 1, 2]);
    expect((attempts[2]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(50);
    expect(online).toHaveLength(3);
  });

  it('delivers channel.subscribe once the broadcaster authorized the app', async () => {
    const subs: EventSubChannelSubscriptionEvent[] = [];
    const failures: Error[] = [];
    middleware.onSubscriptionCreateFailure((_sub, error) => failures.push(error));
    middleware.onChannelCheer(streamer.id, () => undefined);
    await waitFor(() => failures.length === 1, 'cheer subscription refused');
    expect(failures[0]?.message).toContain('403');

    world.grantUser('caster', clientId, ['channel:read:subscriptions']);
    middleware.onChannelSubscription(streamer.id, (e) => {
      subs.push(e);
    });
    await waitFor(() => enabled('channel.subscribe'), 'channel.subscribe enabled');
    expect(world.eventSub.list().find((s) => s.type === 'channel.subscribe')?.cost).toBe(0);
    world.subscribe('caster', 'Fan', '2000', { gift: 'santa' });
    await waitFor(() => subs.length === 1, 'channel.subscribe handler');
    expect(subs[0]).toMatchObject({
      userName: 'fan',
      userDisplayName: 'Fan',
      tier: '2000',
      isGift: true,
      broadcasterId: streamer.id,
    });
  });

  it('passes a revocation to twurple', async () => {
    const revoked: string[] = [];
    middleware.onRevoke((_sub, status) => revoked.push(status));
    const sub = world.eventSub.list().find((s) => s.type === 'stream.online');
    const rec = await server.eventSub.revoke(sub?.id ?? '', 'authorization_revoked');
    expect(rec?.status).toBe(202);
    expect(revoked).toEqual(['authorization_revoked']);
    expect(world.eventSub.get(sub?.id ?? '')?.status).toBe('authorization_revoked');
  });
});
