import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RetryJobLater } from '../../../core/queue/index.js';
import { createStorage, type Storage } from '../../../core/storage.js';
import { HelixPacer } from '../../../plugins/sub-roles/helix.js';
import { LinkStore, shardOf } from '../../../plugins/sub-roles/links.js';
import type { Link } from '../../../plugins/sub-roles/model.js';
import { RoleBucket, ROUTES, SlidingPacer } from '../../../plugins/sub-roles/role-bucket.js';
import {
  consumeAccountState,
  createAccountState,
  looksLikeAccountState,
} from '../../../src/twitch/auth/account-state.js';
import { consumeState } from '../../../src/twitch/auth/oauth-state.js';
import { SecretBox } from '../../../src/twitch/auth/secret-box.js';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
const link = (discordId: string, twitchId: string): Link => ({
  discordId,
  twitchId,
  login: twitchId,
  linkedAt: 0,
  sub: null,
  subAt: 0,
  roles: [],
  version: 1,
});

describe('sub-roles parts', () => {
  let dir: string;
  let storage: Storage;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'subroles-parts-'));
    storage = await createStorage({ dataDir: dir });
  });
  afterAll(async () => {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('account states: signed, expiring, single use, and never a bot state', async () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const store = storage.core('test-states');
    const state = createAccountState(
      box,
      { bot: 'alice', cog: 'sub-roles', data: { user: '42' } },
      1000,
    );
    expect(looksLikeAccountState(state)).toBe(true);
    expect(looksLikeAccountState('garbage')).toBe(false);
    await expect(consumeAccountState(box, store, state, 1000 + 10 * 60_000)).rejects.toThrow(
      'this link has expired',
    );
    await expect(consumeState(box, store, state, 1000)).rejects.toThrow('not made by this server');
    const other = new SecretBox(Buffer.alloc(32, 8));
    await expect(consumeAccountState(other, store, state, 1000)).rejects.toThrow(
      'not made by this server',
    );
    const tampered = state.replace(
      /^[^.]+/,
      Buffer.from('{"b":"alice","c":"sub-roles","d":{"user":"43"},"n":"x","e":9e15}').toString(
        'base64url',
      ),
    );
    await expect(consumeAccountState(box, store, tampered, 1000)).rejects.toThrow(
      'not made by this server',
    );
    expect(await consumeAccountState(box, store, state, 2000)).toMatchObject({
      b: 'alice',
      c: 'sub-roles',
      d: { user: '42' },
    });
    await expect(consumeAccountState(box, store, state, 3000)).rejects.toThrow(
      'this link was already used',
    );
  });

  it('links: sharded, one Twitch account per member, concurrent updates kept', async () => {
    const seen: string[] = [];
    const links = new LinkStore(storage.forCog('bot', 'sub-roles'), (id) => void seen.push(id));
    expect(shardOf('80351110224678912')).toBe(shardOf('80351110224678912'));
    await links.update('d1', () => link('d1', 'w1'));
    expect(await links.byTwitch('w1')).toBe('d1');
    await links.update('d1', () => link('d1', 'w2'));
    expect(await links.byTwitch('w1')).toBeUndefined();
    expect(await links.byTwitch('w2')).toBe('d1');
    await Promise.all(
      Array.from({ length: 50 }, () =>
        links.update('d1', (l) => l && { ...l, version: l.version + 1 }),
      ),
    );
    expect((await links.get('d1'))?.version).toBe(51);
    await links.updateMany(
      new Map(Array.from({ length: 300 }, (_, i) => [`m${i}`, () => link(`m${i}`, `t${i}`)])),
    );
    expect((await links.all()).length).toBe(301);
    await links.update('d1', () => null);
    expect(await links.get('d1')).toBeUndefined();
    expect(await links.byTwitch('w2')).toBeUndefined();
    expect(seen.filter((id) => id === 'd1')).toHaveLength(53);
  });

  it('the Helix pacer lets a full bucket through, then goes at the refill rate', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    try {
      const pacer = new HelixPacer(800);
      for (let i = 0; i < 790; i++) await pacer.take(); // 10 kept in reserve
      const start = Date.now();
      const next = pacer.take();
      await vi.advanceTimersByTimeAsync(80);
      await next;
      expect(Date.now() - start).toBeGreaterThanOrEqual(75);
      expect(Date.now() - start).toBeLessThan(150);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the role bucket waits for room, hands long waits back to the queue, and survives a restart', async () => {
    const bucket = new RoleBucket(ROUTES.roles('g'));
    const calls: number[] = [];
    await bucket.run(async () => calls.push(Date.now()));
    bucket.observe(
      'PUT',
      '/guilds/other/members/1/roles/2',
      headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '9' }),
    );
    expect(bucket.waitMs()).toBe(0);
    bucket.observe(
      'PUT',
      '/guilds/g/members/1/roles/2',
      headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '0.05' }),
    );
    const t0 = Date.now();
    await bucket.run(async () => calls.push(Date.now()));
    expect((calls[1] as number) - t0).toBeGreaterThanOrEqual(45);
    bucket.observe(
      'PUT',
      '/guilds/g/members/1/roles/2',
      headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '10' }),
    );
    await expect(bucket.run(async () => calls.push(Date.now()))).rejects.toBeInstanceOf(
      RetryJobLater,
    );
    const restarted = new RoleBucket(ROUTES.roles('g'));
    restarted.restore(JSON.parse(JSON.stringify(bucket.snapshot())));
    expect(restarted.waitMs()).toBeGreaterThan(9000);
    expect(calls).toHaveLength(2);
    expect(ROUTES.member('12')('GET', '/guilds/12/members/34')).toBe(true);
    expect(ROUTES.member('12')('GET', '/guilds/12/members/34/roles/5')).toBe(false);
    expect(ROUTES.roles('12')('delete', '/guilds/12/members/34/roles/5')).toBe(true);
    expect(ROUTES.roles('12')('GET', '/guilds/12/members/34')).toBe(false);
  });

  it('the sliding pacer lets N calls through in any second, never N + 1', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    try {
      const pacer = new SlidingPacer(3);
      const at: number[] = [];
      const all = Promise.all(
        Array.from({ length: 7 }, () => pacer.take().then(() => at.push(Date.now()))),
      );
      await vi.advanceTimersByTimeAsync(3000);
      await all;
      for (let i = 3; i < at.length; i++)
        expect((at[i] as number) - (at[i - 3] as number)).toBeGreaterThanOrEqual(1000);
      expect((at[6] as number) - (at[0] as number)).toBeLessThan(2100);
    } finally {
      vi.useRealTimers();
    }
  });
});
