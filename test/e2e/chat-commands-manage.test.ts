import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../src/testing/index.js';
import { ask, expectSilence, FIXTURE_COGS, PING } from '../plugins/chat-commands/helpers.js';

const MOD = { moderator: true } as const;
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({
    channels: ['streamer', 'other'],
    pluginDirs: [FIXTURE_COGS],
    cogs: [{ 'chat-commands': { commands: PING } }, 'tools'],
  });
  for (const channel of ['streamer', 'other']) t.sandbox.chat.setModerator(channel, t.login);
});
afterAll(async () => {
  await t?.stop();
});

describe('moderators manage text commands in chat', () => {
  it('only moderators (and the broadcaster) may use !cmd', async () => {
    await expectSilence(t, () => t.viewer('viewer1').says('!cmd add sneaky hi'));
    await expectSilence(t, () => t.viewer('vip1', { vip: true }).says('!cmd add sneaky hi'));
    await expectSilence(t, () => t.viewer('viewer1').says('!sneaky'));
    expect(await ask(t, 'streamer', '!cmd add owned hi', { broadcaster: true })).toBe(
      'Added !owned.',
    );
  });

  it('adds a command with a level and cooldown flags; the level holds', async () => {
    expect(await ask(t, 'mod1', '!cmd add !subcmd -ul=sub -cd=0 Hi {displayName}', MOD)).toBe(
      'Added !subcmd.',
    );
    await expectSilence(t, () => t.viewer('viewer1').says('!subcmd'));
    expect(await ask(t, 'fan', '!SUBCMD', { subscriber: 1 })).toBe('Hi fan');
  });

  it('edits the response, flags and counter, shows and deletes it', async () => {
    expect(await ask(t, 'mod1', '!cmd edit subcmd Deaths: {count}', MOD)).toBe('Updated !subcmd.');
    expect(await ask(t, 'fan', '!subcmd', { subscriber: 1 })).toBe('Deaths: 1');
    expect(await ask(t, 'mod1', '!cmd edit subcmd -ul=everyone -count=10', MOD)).toBe(
      'Updated !subcmd.',
    );
    expect(await ask(t, 'viewer1', '!subcmd')).toBe('Deaths: 11');
    expect(await ask(t, 'mod1', '!cmd show !subcmd', MOD)).toBe(
      '!subcmd (everyone, cooldown 0s, 0s per user, count 11): Deaths: {count}',
    );
    expect(await ask(t, 'mod1', '!cmd del subcmd', MOD)).toBe('Deleted !subcmd.');
    await expectSilence(t, () => t.viewer('viewer1').says('!subcmd'));
    expect(await ask(t, 'mod1', '!cmd add subcmd -cd=0 again {count}', MOD)).toBe('Added !subcmd.');
    expect(await ask(t, 'viewer1', '!subcmd')).toBe('again 1');
  });

  it('keeps a per-user cooldown flag', async () => {
    await ask(t, 'mod1', '!cmd add slow -cd=0 -ucd=60 slow one', MOD);
    expect(await ask(t, 'bob', '!slow')).toBe('slow one');
    await expectSilence(t, () => t.viewer('bob').says('!slow'));
    expect(await ask(t, 'carol', '!slow')).toBe('slow one');
  });

  it('aliases any command, a code command included, and deletes the alias alone', async () => {
    expect(await ask(t, 'mod1', '!cmd alias w !whoami', MOD)).toBe('!w now runs !whoami.');
    expect(await ask(t, 'dana', '!w x')).toBe('w|dana|dana|true||streamer|x');
    expect(await ask(t, 'mod1', '!cmd del w', MOD)).toBe('Deleted the alias !w.');
    await expectSilence(t, () => t.viewer('dana').says('!w'));
    expect(await ask(t, 'dana', '!whoami')).toMatch(/^whoami\|dana/);
  });

  it('refuses, with a reason, what it cannot do', async () => {
    const cases: [string, string | RegExp][] = [
      ['!cmd add ping x', '!ping already exists.'],
      ['!cmd add owned x', '!owned already exists: use !cmd edit.'],
      ['!cmd edit ping x', '!ping is set in bots.yaml: change it there.'],
      ['!cmd edit whoami x', '!whoami belongs to another cog and cannot be changed in chat.'],
      ['!cmd del nothing', 'There is no !nothing: add it with !cmd add.'],
      ['!cmd alias a nothing', 'There is no !nothing to point !a at.'],
      [
        '!cmd add game Now {gmae}',
        /^Not saved: unknown variable \{gmae\}\. Did you mean \{game\}\?/,
      ],
      ['!cmd add ban /ban {1}', /^Not saved: a message cannot start with "\/"/],
      [
        '!cmd add x -ul=regular hi',
        'Unknown level "regular": use everyone, sub, vip, mod or broadcaster.',
      ],
      ['!cmd add constructor hi', /^Usage: !cmd add\|edit <name>/],
      ['!cmd frobnicate', /^Usage: /],
      ['!cmd', /^Usage: /],
    ];
    for (const [text, expected] of cases) {
      const answer = await ask(t, 'mod1', text, MOD);
      if (typeof expected === 'string') expect([text, answer]).toEqual([text, expected]);
      else expect([text, answer]).toEqual([text, expect.stringMatching(expected)]);
    }
  });

  it('keeps the commands of each channel apart', async () => {
    await ask(t, 'mod1', '!cmd add local -cd=0 only here', MOD);
    await expectSilence(t, () => t.viewer('viewer1').says('!local', 'other'), 'other');
    expect(await ask(t, 'viewer1', '!commands', undefined, 'other')).not.toContain('!local');
    expect(await ask(t, 'mod2', '!cmd add local -cd=0 over there', MOD, 'other')).toBe(
      'Added !local.',
    );
    expect(await ask(t, 'viewer1', '!local', undefined, 'other')).toBe('over there');
    expect(await ask(t, 'viewer1', '!local')).toBe('only here');
    // A moderator of #other is no moderator in #streamer.
    await expectSilence(t, () => t.viewer('mod2').says('!cmd del local'));
  });

  it('never sends a chat command a viewer slips into a response', async () => {
    await ask(t, 'mod1', '!cmd add say -cd=0 {args}', MOD);
    expect(await ask(t, 'viewer1', '!say /disconnect')).toBe('disconnect');
    expect(await ask(t, 'viewer1', '!say .ban streamer')).toBe('ban streamer');
    expect(t.sandbox.chat.connectionCount).toBeGreaterThan(0);
  });
});
