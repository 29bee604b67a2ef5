import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatUser, CommandInvocation } from '../../../core/index.js';
import { CommandRegistry, parseCommand } from '../../../core/commands/registry.js';

type Level = 'everyone' | 'subscriber' | 'vip' | 'moderator' | 'broadcaster';

function user(login: string, level: Level = 'everyone'): ChatUser {
  return {
    id: login,
    login,
    displayName: login.toUpperCase(),
    badges: {},
    isBroadcaster: level === 'broadcaster',
    isModerator: level === 'moderator' || level === 'broadcaster',
    isVip: level === 'vip',
    isSubscriber: level === 'subscriber',
  };
}

function message(text: string, from: ChatUser, channel = 'alice'): ChatMessage {
  return { id: 'm', channel, text, user: from, self: false, at: new Date(), reply: async () => {} };
}

/** A registry on a fake clock that records which commands ran. */
function setup() {
  let now = 1_000_000;
  const registry = new CommandRegistry('!', () => now);
  const ran: string[] = [];
  const run = (tag: string) => async (inv: CommandInvocation) =>
    void ran.push(`${tag}:${inv.name}:${inv.args.join(',')}`);
  const send = { reply: async () => {}, say: async () => {} };
  const handle = (text: string, from: ChatUser, channel?: string) =>
    registry.handle(message(text, from, channel), send);
  return { registry, ran, run, handle, tick: (s: number) => void (now += s * 1000) };
}

describe('parseCommand', () => {
  it('splits name and arguments after the prefix, lower-casing the name', () => {
    expect(parseCommand('!So  @Alice  x', '!')).toEqual({
      name: 'so',
      args: ['@Alice', 'x'],
      argsText: '@Alice  x',
    });
    expect(parseCommand('hello !so', '!')).toBeNull();
    expect(parseCommand('!', '!')).toBeNull();
    expect(parseCommand('?? hi', '??')).toMatchObject({ name: 'hi' });
  });
});

describe('CommandRegistry', () => {
  it('matches names and aliases case-insensitively and ignores unknown commands and its own lines', async () => {
    const { registry, ran, run, handle } = setup();
    registry.register('cog', { name: 'Hug', aliases: ['cuddle'], run: () => {} }, run('hug'));
    expect(await handle('!HUG bob', user('v'))).toBe(true);
    expect(await handle('!Cuddle', user('v'))).toBe(true);
    expect(await handle('!nope', user('v'))).toBe(false);
    expect(
      await registry.handle(
        { ...message('!hug', user('v')), self: true },
        { reply: async () => {}, say: async () => {} },
      ),
    ).toBe(false);
    expect(ran).toEqual(['hug:hug:bob', 'hug:cuddle:']);
  });

  it('applies permission levels from badges, VIP above subscriber, with allow and deny lists', async () => {
    const { registry, ran, run, handle } = setup();
    registry.register('c', { name: 'sub', permission: 'subscriber', run: () => {} }, run('sub'));
    registry.register('c', { name: 'vip', permission: 'vip', run: () => {} }, run('vip'));
    registry.register('c', { name: 'mod', permission: 'moderator', run: () => {} }, run('mod'));
    registry.register(
      'c',
      { name: 'owner', permission: 'broadcaster', allow: ['friend'], run: () => {} },
      run('owner'),
    );
    registry.register('c', { name: 'open', deny: ['troll'], run: () => {} }, run('open'));
    const cases: [string, ChatUser, boolean][] = [
      ['!sub', user('v'), false],
      ['!sub', user('s', 'subscriber'), true],
      ['!sub', user('vip', 'vip'), true],
      ['!vip', user('s', 'subscriber'), false],
      ['!vip', user('vip', 'vip'), true],
      ['!mod', user('vip', 'vip'), false],
      ['!mod', user('m', 'moderator'), true],
      ['!owner', user('m', 'moderator'), false],
      ['!owner', user('alice', 'broadcaster'), true],
      ['!owner', user('friend'), true],
      ['!open', user('troll', 'moderator'), false],
      ['!open', user('v'), true],
    ];
    for (const [text, who, expected] of cases)
      expect([text, who.login, await handle(text, who)]).toEqual([text, who.login, expected]);
    expect(ran).toHaveLength(cases.filter((c) => c[2]).length);
  });

  it('holds per-user and global cooldowns per channel; moderators bypass unless told not to', async () => {
    const { registry, ran, run, handle, tick } = setup();
    registry.register('c', { name: 'u', cooldown: { user: 30 }, run: () => {} }, run('u'));
    registry.register('c', { name: 'g', cooldown: { global: 10 }, run: () => {} }, run('g'));
    registry.register(
      'c',
      { name: 'strict', cooldown: { global: 10 }, cooldownBypass: false, run: () => {} },
      run('strict'),
    );
    expect(await handle('!u', user('bob'))).toBe(true);
    expect(await handle('!u', user('bob'))).toBe(false);
    expect(await handle('!u', user('eve'))).toBe(true);
    expect(await handle('!u', user('bob'), 'other')).toBe(true); // another channel, own cooldown
    expect(await handle('!g', user('bob'))).toBe(true);
    expect(await handle('!g', user('eve'))).toBe(false);
    expect(await handle('!g', user('m', 'moderator'))).toBe(true);
    expect(await handle('!strict', user('bob'))).toBe(true);
    expect(await handle('!strict', user('m', 'moderator'))).toBe(false);
    tick(10);
    expect(await handle('!g', user('eve'))).toBe(true);
    expect(await handle('!u', user('bob'))).toBe(false);
    tick(20);
    expect(await handle('!u', user('bob'))).toBe(true);
    expect(ran.length).toBe(8);
  });

  it('refuses a name another cog holds, naming both cogs', () => {
    const { registry, run } = setup();
    registry.register('shoutout', { name: 'so', run: () => {} }, run('a'));
    expect(() =>
      registry.register('raids', { name: 'x', aliases: ['SO'], run: () => {} }, run('b')),
    ).toThrow(/"so" of cog "raids" is already registered by cog "shoutout"/);
    expect(() => registry.register('c', { name: 'two words', run: () => {} }, run('c'))).toThrow(
      /spaces/,
    );
  });

  it('lets one name live in several channels when their channels do not overlap', async () => {
    const { registry, ran, run, handle } = setup();
    registry.register('c', { name: 'dc', channels: ['alice'], run: () => {} }, run('alice'));
    registry.register('c', { name: 'dc', channels: ['#Bob'], run: () => {} }, run('bob'));
    expect(() => registry.register('other', { name: 'dc', run: () => {} }, run('global'))).toThrow(
      /"dc" of cog "other" is already registered by cog "c" in #alice/,
    );
    await handle('!dc', user('v'), 'alice');
    await handle('!dc', user('v'), 'bob');
    expect(await handle('!dc', user('v'), 'carol')).toBe(false);
    expect(ran).toEqual(['alice:dc:', 'bob:dc:']);
    expect(registry.available(user('v'), 'carol')).toEqual([]);
    expect(registry.available(user('v'), 'bob').map((d) => d.name)).toEqual(['dc']);
  });

  it('runs an alias as its target, with the target permission and shared cooldown', async () => {
    const { registry, ran, run, handle } = setup();
    registry.register(
      'c',
      { name: 'so', permission: 'vip', cooldown: { global: 30 }, run: () => {} },
      run('so'),
    );
    const off = registry.alias('chat', 'shout', 'SO', { channels: ['alice'] });
    expect(await handle('!shout x', user('v'))).toBe(false); // not a VIP
    expect(await handle('!shout x', user('vip', 'vip'))).toBe(true);
    expect(await handle('!so', user('vip2', 'vip'))).toBe(false); // shared global cooldown
    expect(await handle('!shout', user('vip', 'vip'), 'bob')).toBe(false); // alias only in #alice
    expect(registry.find('shout', 'alice')?.name).toBe('so');
    expect(registry.find('shout', 'bob')).toBeUndefined();
    await off();
    expect(registry.find('shout', 'alice')).toBeUndefined();
    expect(ran).toEqual(['so:shout:x']);
  });

  it('lists what a user may run, once per command, sorted, aliases folded in', () => {
    const { registry, run } = setup();
    registry.register('c', { name: 'b', aliases: ['bee'], run: () => {} }, run('b'));
    registry.register('c', { name: 'a', permission: 'moderator', run: () => {} }, run('a'));
    registry.alias('c', 'bb', 'b');
    expect(registry.available(user('v')).map((d) => d.name)).toEqual(['b']);
    expect(registry.available(user('m', 'moderator')).map((d) => d.name)).toEqual(['a', 'b']);
  });

  it('frees every name when a registration is disposed', async () => {
    const { registry, run, handle } = setup();
    const off = registry.register('c', { name: 'x', aliases: ['y'], run: () => {} }, run('x'));
    await off();
    expect(await handle('!y', user('v'))).toBe(false);
    expect(() => registry.register('d', { name: 'y', run: () => {} }, run('y'))).not.toThrow();
  });
});
