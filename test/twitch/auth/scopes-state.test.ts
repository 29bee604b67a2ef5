import { describe, expect, it } from 'vitest';
import type { BotConfig } from '../../../core/config/types.js';
import { createStorage } from '../../../core/storage.js';
import { consumeState, createState } from '../../../src/twitch/auth/oauth-state.js';
import { missingScopes, planScopes } from '../../../src/twitch/auth/scopes.js';
import { SecretBox } from '../../../src/twitch/auth/secret-box.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const bot = (over: Partial<BotConfig>): BotConfig => ({
  name: 'alice',
  envPrefix: 'ALICE',
  prefix: '!',
  channels: ['alice'],
  scopes: [],
  cogs: [],
  secrets: {},
  ...over,
});

describe('scopes to request', () => {
  const cogs = [
    { cog: 'eventsub', needs: { twitchScopes: ['bits:read', 'channel:read:subscriptions'] } },
    { cog: 'echo-console', needs: undefined },
  ];

  it('is the union of the cogs, plus chat:read and chat:edit when the bot has channels', () => {
    const plan = planScopes(bot({ scopes: [] }), cogs);
    expect(plan.needed).toEqual([
      'bits:read',
      'channel:read:subscriptions',
      'chat:edit',
      'chat:read',
    ]);
    expect(plan.reasons['bits:read']).toEqual(['eventsub']);
    expect(plan.reasons['chat:read']).toEqual(['chat']);
    expect(planScopes(bot({ channels: [] }), []).needed).toEqual([]);
  });

  it('all_scopes still requests everything, with a warning naming what is needed', () => {
    const plan = planScopes(bot({ scopes: 'all_scopes' }), cogs);
    expect(plan.request.length).toBeGreaterThan(50);
    expect(plan.warnings[0]).toContain(
      'need only bits:read, channel:read:subscriptions, chat:edit, chat:read',
    );
  });

  it('an explicit list is requested, plus what a cog needs that it lacks (with a warning)', () => {
    const plan = planScopes(bot({ scopes: ['chat:read', 'chat:edit', 'clips:edit'] }), cogs);
    expect(plan.request).toEqual([
      'bits:read',
      'channel:read:subscriptions',
      'chat:edit',
      'chat:read',
      'clips:edit',
    ]);
    expect(plan.warnings).toEqual([
      expect.stringContaining('eventsub needs scope bits:read, which scopes: does not list'),
      expect.stringContaining('eventsub needs scope channel:read:subscriptions'),
    ]);
    expect(missingScopes(['chat:read'], plan.needed)).toEqual([
      'bits:read',
      'channel:read:subscriptions',
      'chat:edit',
    ]);
  });
});

describe('OAuth state', () => {
  it('is signed, expires, and completes one flow only', async () => {
    const storage = await createStorage({
      dataDir: await mkdtemp(path.join(tmpdir(), 'sc-state-')),
    });
    const store = storage.core('twitch-auth');
    const box = new SecretBox(Buffer.alloc(32, 9));
    const state = createState(box, 'alice');
    expect(await consumeState(box, store, state)).toBe('alice');
    await expect(consumeState(box, store, state)).rejects.toThrow(/already used/);

    const [body, sig] = createState(box, 'alice').split('.');
    const forged = `${Buffer.from(JSON.stringify({ b: 'mallory', n: 'x', e: Date.now() + 1e6 })).toString('base64url')}.${sig}`;
    await expect(consumeState(box, store, forged)).rejects.toThrow(/not made by this server/);
    await expect(
      consumeState(new SecretBox(Buffer.alloc(32, 8)), store, `${body}.${sig}`),
    ).rejects.toThrow(/not made by this server/);
    const old = createState(box, 'alice', Date.now() - 3_600_000);
    await expect(consumeState(box, store, old)).rejects.toThrow(/expired/);
    await storage.close();
  });
});
