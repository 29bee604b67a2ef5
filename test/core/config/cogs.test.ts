import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorsOf, load, only, testCatalog, TEST_COGS } from './helpers.js';

describe('loadConfig: cogs', () => {
  it('reports an unknown cog with did-you-mean', async () => {
    const issue = only(
      errorsOf(await load('alice:\n  cogs:\n    - eventsub\n    - go-lvie\n')),
      'unknown-cog',
    );
    expect(issue).toMatchObject({
      file: 'bots.yaml',
      line: 4,
      column: 7,
      path: 'alice.cogs[1]',
      message: 'unknown cog "go-lvie"',
      fix: 'did you mean "go-live"?',
    });
  });

  it('lists the known cogs when nothing is close', async () => {
    const issue = only(errorsOf(await load('alice:\n  cogs: [weather]\n')), 'unknown-cog');
    expect(issue.fix).toContain('known cogs: echo_console, eventsub, go-live');
  });

  it('says a retired cog is retired, why, and names its replacement', async () => {
    const issue = only(errorsOf(await load('alice:\n  cogs:\n    - pubsub\n')), 'retired-cog');
    expect(issue).toMatchObject({ line: 3, column: 7, path: 'alice.cogs[0]' });
    expect(issue.message).toBe('cog "pubsub" was retired: Twitch shut PubSub down in April 2025');
    expect(issue.fix).toBe('use "eventsub" instead');
  });

  it('maps a wrong settings type to its path and line, with expected and got', async () => {
    const text = [
      'alice:',
      '  cogs:',
      '    - eventsub',
      '    - go-live:',
      '        channels: alice',
      '        message: 5',
      '        webhook: not a url',
      '        chanels: []',
    ].join('\n');
    const errors = errorsOf(await load(text));
    expect(errors.map((e) => [e.path, e.line, e.column, e.message, e.fix])).toEqual([
      [
        'alice.cogs[1].go-live.channels',
        5,
        19,
        'expected a list, got "alice"',
        'write it as a list: channels: [alice]',
      ],
      [
        'alice.cogs[1].go-live.message',
        6,
        18,
        'expected text, got the number 5',
        'quote it: message: "5"',
      ],
      [
        'alice.cogs[1].go-live.webhook',
        7,
        18,
        'expected a URL (https://...), got "not a url"',
        undefined,
      ],
      [
        'alice.cogs[1].go-live.chanels',
        8,
        9,
        'unknown setting "chanels" for cog "go-live"',
        'did you mean "channels"?',
      ],
    ]);
  });

  it('reports a missing required setting at the cog', async () => {
    const errors = errorsOf(await load('alice:\n  cogs:\n    - eventsub\n    - go-live\n'));
    expect(only(errors, 'missing-setting')).toMatchObject({
      path: 'alice.cogs[1].go-live.channels',
      line: 4,
      column: 7,
      message: 'missing required setting "channels" of cog "go-live" (a list)',
      fix: 'add channels: [...]',
    });
  });

  it('explains enum and range problems', async () => {
    const errors = errorsOf(
      await load(
        'alice:\n  cogs:\n    - eventsub\n    - sub-roles: { role: vip, mode: synk }\n    - chat-commands: { cooldownSeconds: -1 }\n',
      ),
    );
    expect(errors.map((e) => [e.path, e.message, e.fix])).toEqual([
      [
        'alice.cogs[1].sub-roles.mode',
        'expected one of "add", "sync", got "synk"',
        'did you mean "sync"?',
      ],
      [
        'alice.cogs[2].chat-commands.cooldownSeconds',
        'expected a number >= 0, got the number -1',
        undefined,
      ],
    ]);
  });

  it('spots settings that are not indented under the cog name', async () => {
    const text = 'alice:\n  cogs:\n    - eventsub\n    - go-live:\n      channels: [alice]\n';
    const issue = only(errorsOf(await load(text)), 'settings-not-indented');
    expect(issue).toMatchObject({ line: 5, column: 7 });
    expect(issue.message).toBe('the settings of "go-live" (channels) are not indented under it');
  });

  it('refuses the same cog twice on one bot', async () => {
    const issue = only(
      errorsOf(await load('alice:\n  cogs:\n    - eventsub\n    - eventsub\n')),
      'duplicate-cog',
    );
    expect(issue).toMatchObject({
      line: 4,
      message: 'cog "eventsub" is listed twice on bot "alice" (first at line 3)',
    });
  });

  it('requires dependencies on the same bot and orders them first', async () => {
    const issue = only(
      errorsOf(await load('alice:\n  cogs:\n    - go-live: { channels: [alice] }\n')),
      'missing-dependency',
    );
    expect(issue).toMatchObject({
      line: 3,
      column: 7,
      message: 'cog "go-live" needs cog "eventsub" on the same bot',
      fix: 'add - eventsub to alice.cogs',
    });
    const result = await load(
      'alice:\n  cogs:\n    - go-live: { channels: [alice] }\n    - echo_console\n    - eventsub\n',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const cogs = result.config.bots[0]!.cogs;
    expect(cogs.map((c) => c.name)).toEqual(['eventsub', 'go-live', 'echo_console']);
    expect(cogs[1]!.dependsOn).toEqual(['eventsub']);
  });

  it('applies defaults and freezes the result', async () => {
    const result = await load(
      'alice:\n  cogs:\n    - eventsub\n    - go-live:\n        channels: [alice]\n    - chat-commands:\n',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [, goLive, commands] = result.config.bots[0]!.cogs;
    expect(goLive!.settings).toEqual({ channels: ['alice'], message: '{channel} is live!' });
    expect(commands!.settings).toEqual({ commands: {}, cooldownSeconds: 5 });
    expect(() => {
      (goLive!.settings as { message: string }).message = 'changed';
    }).toThrow(TypeError);
    expect(() => (goLive!.settings.channels as string[]).push('bob')).toThrow(TypeError);
    expect(() => (result.config.bots as unknown[]).pop()).toThrow(TypeError);
    expect(Object.isFrozen(result.config.bots[0]!.secrets)).toBe(true);
  });

  it('warns about a setting a lenient schema would silently drop', async () => {
    const result = await load(
      'alice:\n  cogs:\n    - chat-commands:\n        cooldwnSeconds: 30\n',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(only(result.warnings, 'unknown-setting')).toMatchObject({
      path: 'alice.cogs[0].chat-commands.cooldwnSeconds',
      line: 4,
      column: 9,
      message: 'unknown setting "cooldwnSeconds" for cog "chat-commands" is ignored',
      fix: 'did you mean "cooldownSeconds"?',
    });
    expect(result.config.bots[0]!.cogs[0]!.settings).toEqual({ commands: {}, cooldownSeconds: 5 });
  });

  it('refuses settings for a cog that takes none', async () => {
    const issue = only(
      errorsOf(await load('alice:\n  cogs:\n    - eventsub: { verbose: true }\n')),
      'no-settings',
    );
    expect(issue).toMatchObject({
      line: 3,
      column: 7,
      message: 'cog "eventsub" takes no settings',
    });
  });

  it('warns when a cog needs a scope the bot does not ask for', async () => {
    const result = await load(
      'alice:\n  scopes: [chat:read, chat:edit]\n  cogs: [eventsub, { sub-roles: { role: vip } }]\n',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(only(result.warnings, 'missing-scope').message).toBe(
      'cog "sub-roles" needs the Twitch scope channel:read:subscriptions, not in alice.scopes',
    );
  });

  it('keeps a cog author message and fix from refine params', async () => {
    const strict = {
      name: 'strict',
      settings: z.object({ n: z.number() }).refine((s) => s.n % 2 === 0, {
        message: 'n must be even',
        path: ['n'],
        params: { fix: 'use 2, 4, 6...' },
      }),
    };
    const result = await load('alice:\n  cogs: [{ strict: { n: 3 } }]\n', {
      catalog: testCatalog([...TEST_COGS, strict]),
    });
    expect(only(errorsOf(result), 'bad-setting')).toMatchObject({
      path: 'alice.cogs[0].strict.n',
      message: 'n must be even',
      fix: 'use 2, 4, 6...',
    });
  });

  it('reports a cog that fails to load instead of throwing', async () => {
    const catalog = testCatalog();
    catalog.resolve = async () => {
      throw new Error('Cannot find package "streamcogs-cog-x"');
    };
    const issue = only(
      errorsOf(await load('alice:\n  cogs: [streamcogs-cog-x]\n', { catalog })),
      'cog-load-failed',
    );
    expect(issue.message).toContain('Cannot find package');
  });
});
