import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider } from '@twurple/auth';
import { TokenBucketLimiter } from '../../src/sandbox/twitch/helix/index.js';
import type { ReceivedRequest } from '../../src/sandbox/twitch/helix/index.js';
import { ManualClock } from '../../src/sandbox/twitch/world.js';
import { startHelixSandbox, type HelixSandbox } from './helpers/twurple-helix.js';

const clientId = 'rlclient';
const clientSecret = 'rlsecret';

let twitch: HelixSandbox;

beforeAll(async () => {
  twitch = await startHelixSandbox({
    app: { clientId, clientSecret },
    // A small bucket that refills fully in one second, so twurple's wait stays short.
    server: { rateLimit: { points: 10, windowMs: 1_000 } },
  });
  twitch.world.ensureUser('first');
  twitch.world.ensureUser('second');
});

afterAll(() => twitch.close());

describe('Helix rate limiting', () => {
  it('refills a token bucket continuously', () => {
    const c = new ManualClock(0);
    const limiter = new TokenBucketLimiter(c.now, { points: 800, windowMs: 60_000 });
    expect(limiter.take('a')).toEqual({ allowed: true, limit: 800, remaining: 799, reset: 1 });
    for (let i = 0; i < 799; i++) limiter.take('a');
    expect(limiter.take('a')).toMatchObject({ allowed: false, remaining: 0, reset: 60 });
    expect(limiter.take('b').remaining).toBe(799);
    c.advance(75); // 75 ms at 800/min = 1 point
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('answers 429 with Ratelimit headers and twurple retries after the reset', async () => {
    const api = new ApiClient({
      authProvider: new AppTokenAuthProvider(clientId, clientSecret),
      logger: { minLevel: 'critical' },
    });
    expect((await api.users.getUserByName('first'))?.name).toBe('first');

    // Drain the client's bucket with another app token of the same client (the clock is frozen).
    const token = twitch.world.auth.issueAppToken(clientId).access_token;
    const headers = { Authorization: `Bearer ${token}`, 'Client-Id': clientId };
    let limited: Response | undefined;
    for (let i = 0; i < 20 && !limited; i++) {
      const res = await fetch(`${twitch.server.baseUrl}/mock/users?login=first`, { headers });
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get('ratelimit-limit')).toBe('10');
    expect(limited?.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited?.headers.get('ratelimit-reset'))).toBe(
      Math.ceil((twitch.clock.now() + 1_000) / 1_000),
    );
    expect(await limited?.json()).toEqual({
      error: 'Too Many Requests',
      status: 429,
      message: 'Too Many Requests',
    });

    // When twurple hits the 429, let the bucket refill; twurple waits until Ratelimit-Reset and retries.
    const onRecord = (rec: ReceivedRequest): void => {
      if (rec.status === 429 && rec.query.login === 'second') twitch.clock.advance(1_000);
    };
    twitch.server.on('record', onRecord);
    try {
      const user = await api.users.getUserByName('second');
      expect(user?.name).toBe('second');
    } finally {
      twitch.server.off('record', onRecord);
    }
    const attempts = twitch.server.received.filter((r) => r.query.login === 'second');
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[0]?.rateLimit).toMatchObject({ limit: 10, remaining: 0 });
    expect(attempts[1]?.rateLimit?.remaining).toBe(9);
  });
});
