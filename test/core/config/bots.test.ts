import { describe, expect, it } from 'vitest';
import { errorsOf, load, only } from './helpers.js';

describe('loadConfig: bot fields', () => {
  it('refuses a bad prefix with a fix', async () => {
    const spaced = only(
      errorsOf(await load('alice:\n  prefix: "! !"\n  cogs: [eventsub]\n')),
      'bad-prefix',
    );
    expect(spaced).toMatchObject({
      path: 'alice.prefix',
      line: 2,
      column: 11,
      message: 'bad prefix "! !": a prefix is 1 to 5 characters with no spaces',
      fix: 'remove the spaces: prefix: "!!"',
    });
    const long = only(
      errorsOf(await load('alice:\n  prefix: abcdef\n  cogs: [eventsub]\n')),
      'bad-prefix',
    );
    expect(long.fix).toBe('use 1 to 5 characters, e.g. prefix: "!"');
  });

  it('explains a prefix lost to a # comment', async () => {
    const issue = only(
      errorsOf(await load('alice:\n  prefix: #\n  cogs: [eventsub]\n')),
      'bad-prefix',
    );
    expect(issue).toMatchObject({ line: 2, column: 3, fix: 'quote it: prefix: "#"' });
    expect(issue.message).toContain('"#" starts a YAML comment');
  });

  it('uses DEFAULT_PREFIX, and checks it', async () => {
    const result = await load('alice:\n  cogs: [eventsub]\n', { env: { DEFAULT_PREFIX: '?' } });
    expect(result.ok && result.config.bots[0]!.prefix).toBe('?');
    const issue = only(
      errorsOf(
        await load('alice:\n  cogs: [eventsub]\n', { env: { DEFAULT_PREFIX: 'way too long' } }),
      ),
      'bad-prefix',
    );
    expect(issue).toMatchObject({ file: 'environment', path: 'DEFAULT_PREFIX' });
  });

  it('normalises channels and refuses invalid ones', async () => {
    const ok = await load('alice:\n  channels: ["#Alice", Bob_2, 1234]\n  cogs: [eventsub]\n');
    expect(ok.ok && ok.config.bots[0]!.channels).toEqual(['alice', 'bob_2', '1234']);
    const errors = errorsOf(
      await load(
        'alice:\n  channels: ["bad name", "https://www.twitch.tv/Carol"]\n  cogs: [eventsub]\n',
      ),
    );
    expect(errors.map((e) => [e.path, e.message, e.column])).toEqual([
      ['alice.channels[0]', 'invalid channel "bad name"', 14],
      ['alice.channels[1]', 'invalid channel "https://www.twitch.tv/Carol"', 26],
    ]);
    expect(errors[1]!.fix).toBe('write just the login: - carol');
  });

  it('wants channels as a list', async () => {
    const issue = only(
      errorsOf(await load('alice:\n  channels: Alice\n  cogs: [eventsub]\n')),
      'bad-channels',
    );
    expect(issue.fix).toBe('write it as a list: channels: [alice]');
  });

  it('reads scopes: all_scopes by default, in a list, or explicit', async () => {
    const read = async (scopes: string) => {
      const result = await load(`alice:\n  scopes: ${scopes}\n  cogs: [eventsub]\n`);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.config.bots[0]!.scopes;
    };
    expect(await read('all_scopes')).toBe('all_scopes');
    expect(await read('[all_scopes]')).toBe('all_scopes');
    expect(await read('[chat:read, chat:edit]')).toEqual(['chat:read', 'chat:edit']);
  });

  it('warns about a scope Twitch does not have, with did-you-mean', async () => {
    const result = await load('alice:\n  scopes: [chat:read, chat:edti]\n  cogs: [eventsub]\n');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const issue = only(result.warnings, 'unknown-scope');
    expect(issue).toMatchObject({
      path: 'alice.scopes[1]',
      line: 2,
      column: 23,
      fix: 'did you mean "chat:edit"?',
    });
  });

  it('suggests the field meant by an unknown key, and keeps secrets out of the file', async () => {
    const errors = errorsOf(
      await load(
        'alice:\n  chanels: [alice]\n  client_secret: hunter2\n  go-live: {}\n  cogs: [eventsub]\n',
      ),
    );
    expect(errors.map((e) => [e.path, e.line, e.column, e.fix])).toEqual([
      ['alice.chanels', 2, 3, 'did you mean "channels"?'],
      [
        'alice.client_secret',
        3,
        3,
        expect.stringContaining('set ALICE_CLIENT_ID, ALICE_CLIENT_SECRET'),
      ],
      ['alice.go-live', 4, 3, 'cogs go in the list under "cogs:", e.g. cogs: [go-live]'],
    ]);
    expect(JSON.stringify(errors)).not.toContain('hunter2');
    expect(errors[1]!.excerpt).toBe('  client_secret: ***');
  });

  it('refuses a Discord guild id written as a number, quoting its exact digits', async () => {
    const errors = errorsOf(
      await load('alice:\n  cogs: [eventsub]\n  discord:\n    guilds: [123456789012345678901]\n'),
    );
    expect(only(errors, 'numeric-discord-id')).toMatchObject({
      path: 'alice.discord.guilds[0]',
      line: 4,
      column: 14,
      fix: 'quote it: "123456789012345678901" (large ids lose precision as numbers)',
    });
  });

  it('reads the discord block and requires guilds', async () => {
    const result = await load(
      'alice:\n  cogs: [eventsub]\n  discord:\n    guilds: ["123456789012345678"]\n',
    );
    expect(result.ok && result.config.bots[0]!.discord).toEqual({ guilds: ['123456789012345678'] });
    const errors = errorsOf(
      await load('alice:\n  cogs: [eventsub]\n  discord:\n    guild: ["123456789012345678"]\n'),
    );
    expect(errors.map((e) => [e.code, e.path, e.line])).toEqual([
      ['missing-guilds', 'alice.discord.guilds', 3],
      ['unknown-field', 'alice.discord.guild', 4],
    ]);
    expect(errors[1]!.fix).toBe('did you mean "guilds"?');
  });

  it('refuses bot names that cannot name storage or variables', async () => {
    const issue = only(errorsOf(await load('"my bot":\n  cogs: [eventsub]\n')), 'bad-bot-name');
    expect(issue).toMatchObject({ line: 1, column: 1, fix: 'rename it, e.g. my_bot:' });
  });

  it('warns about a bot with no cogs', async () => {
    const result = await load('alice:\n  channels: [alice]\n');
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['no-cogs']);
  });
});
