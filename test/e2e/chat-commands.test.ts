import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, waitUntil, type TestBot } from '../../src/testing/index.js';
import { ask, expectSilence, FIXTURE_COGS, PING } from '../plugins/chat-commands/helpers.js';

let t: TestBot;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestBot({
    channels: ['streamer', 'other'],
    pluginDirs: [FIXTURE_COGS],
    logLines: logs,
    cogs: [
      {
        'chat-commands': {
          commands: {
            ...PING,
            subonly: { response: 'thanks for subbing, {displayName}', permission: 'subscriber' },
            mine: { response: 'mine, {user}', cooldown: { user: 60 } },
            once: { response: 'once a minute', cooldown: 60 },
            strict: { response: 'no bypass', cooldown: 60, cooldown_bypass: false },
            hug: { response: '{displayName} hugs {touser}', aliases: ['cuddle'], cooldown: 0 },
            threaded: { response: 'in the thread', reply: true, cooldown: 0 },
            vipclub: { response: 'vip room', permission: 'vip', deny: ['grumpy'], cooldown: 0 },
            friends: { response: 'friends only', permission: 'broadcaster', allow: ['pal'] },
          },
        },
      },
      'tools',
    ],
  });
  // A modded bot may send 100 lines per 30 s: enough for this file's answers.
  for (const channel of ['streamer', 'other']) t.sandbox.chat.setModerator(channel, t.login);
});
afterAll(async () => {
  await t?.stop();
});

describe('chat commands through real tmi.js and the sandbox', () => {
  it('answers a sub-only command for a subscriber and stays silent for anyone else', async () => {
    await expectSilence(t, () => t.viewer('nosub').says('!subonly'));
    expect(await ask(t, 'fan', '!subonly', { subscriber: 3 })).toBe('thanks for subbing, fan');
  });

  it('ranks VIP above subscriber and honours allow and deny lists', async () => {
    await expectSilence(t, () => t.viewer('subber', { subscriber: 1 }).says('!vipclub'));
    expect(await ask(t, 'star', '!vipclub', { vip: true })).toBe('vip room');
    expect(await ask(t, 'amod', '!vipclub', { moderator: true })).toBe('vip room');
    await expectSilence(t, () => t.viewer('grumpy', { vip: true }).says('!vipclub'));
    expect(await ask(t, 'pal', '!friends')).toBe('friends only');
    await expectSilence(t, () => t.viewer('amod', { moderator: true }).says('!friends'));
  });

  it('holds a per-user cooldown: the same viewer is ignored, another is answered', async () => {
    expect(await ask(t, 'alpha', '!mine')).toBe('mine, alpha');
    await expectSilence(t, () => t.viewer('alpha').says('!mine'));
    expect(await ask(t, 'beta', '!mine')).toBe('mine, beta');
  });

  it('holds a global cooldown for everyone but moderators, unless bypass is off', async () => {
    expect(await ask(t, 'alpha', '!once')).toBe('once a minute');
    await expectSilence(t, () => t.viewer('beta').says('!once'));
    expect(await ask(t, 'amod', '!once', { moderator: true })).toBe('once a minute');
    expect(await ask(t, 'alpha', '!strict')).toBe('no bypass');
    await expectSilence(t, () => t.viewer('amod', { moderator: true }).says('!strict'));
    await expectSilence(t, () => t.viewer('streamer', { broadcaster: true }).says('!strict'));
  });

  it('keeps cooldowns per channel', async () => {
    expect(await ask(t, 'gamma', '!once', undefined, 'other')).toBe('once a minute');
  });

  it('matches names case-insensitively, with aliases and variables', async () => {
    expect(await ask(t, 'carol', '!HUG @Dave')).toBe('carol hugs Dave');
    expect(await ask(t, 'carol', '!Cuddle')).toBe('carol hugs carol');
  });

  it('gives a code command the sender, badges, channel and arguments', async () => {
    expect(await ask(t, 'erin', '!ME a b', { subscriber: 2, vip: true })).toBe(
      'me|erin|erin|true|subscriber+vip|streamer|a,b',
    );
  });

  it('answers in a thread when asked to', async () => {
    const id = t.viewer('frank').says('!threaded');
    await waitUntil(() => t.botMessages().includes('in the thread'), 'the threaded answer');
    const sent = t.sandbox.chat
      .messagesFrom(t.login, t.channel)
      .filter((r) => r.text === 'in the thread');
    expect(sent.map((r) => r.tags?.['reply-parent-msg-id'])).toEqual([id]);
  });

  it('lists only the commands the asker may use', async () => {
    const viewerList = await ask(t, 'gus', '!commands');
    expect(viewerList).toBe(
      'Commands: !boom, !commands, !hug, !mine, !once, !ping, !strict, !threaded, !whoami',
    );
    const modList = await ask(t, 'amod', '!commands', { moderator: true });
    expect(modList).toContain('!cmd');
    expect(modList).toContain('!vipclub');
    expect(modList).not.toContain('!drop');
    expect(modList).not.toContain('!friends');
  });

  it('contains a command that throws: nothing in chat, logged with bot, cog and command, others work', async () => {
    await expectSilence(t, () => t.viewer('henry').says('!boom'));
    const line = await waitUntil(
      () =>
        logs
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((l) => l.label === 'command:boom'),
      'the handler error in the log',
    );
    expect(line).toMatchObject({ bot: 'test_bot', cog: 'tools', level: 50 });
    expect(String(line.msg)).toContain('boom on purpose');
    expect(await ask(t, 'henry', '!hug')).toBe('henry hugs henry');
  });
});

describe('two cogs registering one command', () => {
  it('is a startup error naming both cogs', async () => {
    await expect(
      startTestBot({ cogs: ['dup-a', 'dup-b'], pluginDirs: [FIXTURE_COGS] }),
    ).rejects.toThrow(/chat command "dup" of cog "dup-b" is already registered by cog "dup-a"/);
  });
});
