import { describe, expect, it } from 'vitest';
import { diffConfig } from '../../../core/config/index.js';
import type { AppConfig, BotConfig, CogConfig } from '../../../core/config/index.js';

const cog = (
  name: string,
  settings: Record<string, unknown> = {},
  dependsOn: string[] = [],
): CogConfig => ({
  name,
  settings,
  dependsOn,
});

const bot = (name: string, patch: Partial<BotConfig> = {}): BotConfig => ({
  name,
  envPrefix: name.toUpperCase(),
  prefix: '!',
  channels: [name],
  scopes: 'all_scopes',
  cogs: [cog('eventsub'), cog('go-live', { channels: [name] }, ['eventsub']), cog('chat-commands')],
  secrets: { clientId: 'id', clientSecret: 'secret' },
  ...patch,
});

const config = (...bots: BotConfig[]): AppConfig => ({ file: '/srv/bots.yaml', bots });

describe('diffConfig', () => {
  it('finds nothing between equal configs', () => {
    expect(diffConfig(config(bot('alice')), config(bot('alice')))).toEqual({
      added: [],
      removed: [],
      changed: [],
      empty: true,
    });
  });

  it('lists bots added and removed', () => {
    const diff = diffConfig(config(bot('alice'), bot('bob')), config(bot('alice'), bot('carol')));
    expect(diff).toMatchObject({ added: ['carol'], removed: ['bob'], changed: [], empty: false });
  });

  it('restarts a bot whose prefix, scopes, discord or secrets changed, saying why', () => {
    const next = bot('alice', {
      prefix: '?',
      scopes: ['chat:read'],
      discord: { guilds: ['123456789012345678'] },
      secrets: { clientId: 'id', clientSecret: 'rotated' },
    });
    const [changed] = diffConfig(config(bot('alice')), config(next)).changed;
    expect(changed).toMatchObject({
      restart: true,
      restartReasons: ['prefix', 'scopes', 'discord', 'secrets'],
    });
  });

  it('joins and leaves channels without a restart', () => {
    const [changed] = diffConfig(
      config(bot('alice')),
      config(bot('alice', { channels: ['alice', 'bob'] })),
    ).changed;
    expect(changed).toMatchObject({ restart: false, channels: { joined: ['bob'], left: [] } });
    const [left] = diffConfig(config(bot('alice')), config(bot('alice', { channels: [] }))).changed;
    expect(left!.channels).toEqual({ joined: [], left: ['alice'] });
  });

  it('lists cogs added, removed and with changed settings (deep compare)', () => {
    const prev = bot('alice', {
      cogs: [cog('eventsub'), cog('chat-commands', { commands: { hi: 'hello' } }), cog('echo')],
    });
    const same = bot('alice', {
      cogs: [cog('eventsub'), cog('chat-commands', { commands: { hi: 'hello' } }), cog('echo')],
    });
    expect(diffConfig(config(prev), config(same)).empty).toBe(true);
    const next = bot('alice', {
      cogs: [cog('eventsub'), cog('chat-commands', { commands: { hi: 'hey' } }), cog('shout')],
    });
    const [changed] = diffConfig(config(prev), config(next)).changed;
    expect(changed!.restart).toBe(false);
    expect(changed!.cogs).toEqual({
      added: ['shout'],
      removed: ['echo'],
      changed: [{ name: 'chat-commands', reason: 'settings' }],
    });
  });

  it('reloads the dependants of a changed cog, transitively, in mount order', () => {
    const prev = bot('alice', {
      cogs: [
        cog('eventsub', { secret: 1 }),
        cog('go-live', {}, ['eventsub']),
        cog('sub-roles', {}, ['go-live']),
        cog('other'),
      ],
    });
    const next = bot('alice', {
      cogs: [
        cog('eventsub', { secret: 2 }),
        cog('go-live', {}, ['eventsub']),
        cog('sub-roles', {}, ['go-live']),
        cog('other'),
      ],
    });
    const [changed] = diffConfig(config(prev), config(next)).changed;
    expect(changed!.cogs.changed).toEqual([
      { name: 'eventsub', reason: 'settings' },
      { name: 'go-live', reason: 'dependency', dependency: 'eventsub' },
      { name: 'sub-roles', reason: 'dependency', dependency: 'go-live' },
    ]);
  });

  it('reloads a cog whose dependency is newly added', () => {
    const prev = bot('alice', { cogs: [cog('go-live', {}, [])] });
    const next = bot('alice', { cogs: [cog('eventsub'), cog('go-live', {}, ['eventsub'])] });
    const [changed] = diffConfig(config(prev), config(next)).changed;
    expect(changed!.cogs.added).toEqual(['eventsub']);
    expect(changed!.cogs.changed).toEqual([
      { name: 'go-live', reason: 'dependency', dependency: 'eventsub' },
    ]);
  });
});
