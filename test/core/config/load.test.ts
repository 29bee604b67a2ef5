import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config/index.js';
import {
  FIXTURES,
  TWITCH_CREAMERY_EXAMPLE,
  errorsOf,
  load,
  only,
  testCatalog,
  writeConfig,
} from './helpers.js';

describe('loadConfig: the file', () => {
  it('loads twitch-creamery example unchanged, with one warning about the bare "!"', async () => {
    const cwd = writeConfig(TWITCH_CREAMERY_EXAMPLE);
    const result = await loadConfig({ cwd, env: {}, catalog: testCatalog() });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({
      severity: 'warning',
      file: 'bots.yaml',
      line: 2,
      column: 12,
      path: 'example_bot.prefix',
      fix: 'quote it: prefix: "!"',
    });
    expect(result.warnings[0]!.message).toContain('YAML tag');
    const [bot] = result.config.bots;
    expect(bot).toMatchObject({
      name: 'example_bot',
      envPrefix: 'EXAMPLE_BOT',
      prefix: '!',
      channels: ['anonymoususer'],
      scopes: 'all_scopes',
      cogs: [{ name: 'echo_console', settings: {}, dependsOn: [] }],
    });
    expect(result.config.file).toBe(join(cwd, 'bots.yaml'));
  });

  it('names the path and CONFIG_FILENAME when the file is missing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'streamcogs-none-'));
    const plain = errorsOf(await loadConfig({ cwd, env: {}, catalog: testCatalog() }));
    expect(plain).toHaveLength(1);
    expect(plain[0]!.message).toBe(`configuration file not found: ${join(cwd, 'bots.yaml')}`);
    expect(plain[0]!.fix).toContain('CONFIG_FILENAME');

    const named = errorsOf(
      await loadConfig({ cwd, env: { CONFIG_FILENAME: 'prod.yaml' }, catalog: testCatalog() }),
    );
    expect(named[0]!.message).toContain(join(cwd, 'prod.yaml'));
    expect(named[0]!.fix).toContain('CONFIG_FILENAME is "prod.yaml"');
  });

  it('reads the file named by CONFIG_FILENAME', async () => {
    const cwd = writeConfig('alice:\n  cogs: [eventsub]\n', 'other.yaml');
    const result = await loadConfig({
      cwd,
      env: { CONFIG_FILENAME: 'other.yaml' },
      catalog: testCatalog(),
    });
    expect(result.ok).toBe(true);
  });

  it('reports a YAML syntax error with line and column, and nothing guessed below it', async () => {
    const errors = errorsOf(
      await load('alice:\n  cogs: [eventsub\n  prefix: "?"\nbob:\n  cogs: [nope]\n'),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'yaml-syntax',
      file: 'bots.yaml',
      line: 3,
      column: 3,
      path: 'alice.prefix',
    });
    expect(errors[0]!.message).toMatch(/^YAML: .*end with a \]/);
    expect(errors[0]!.fix).toContain('close it with "]"');
  });

  it('points an unclosed quote at where it opens, not at the end of the file', async () => {
    const errors = errorsOf(await load('alice:\n  prefix: "?\n  cogs: [eventsub]\n'));
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'yaml-syntax',
        line: 2,
        column: 11,
        path: 'alice.prefix',
        fix: 'add the closing " at the end of the value',
      }),
    ]);
  });

  it('keeps errors found above a syntax error', async () => {
    const errors = errorsOf(await load('alice:\n  cogs: [go-lvie]\n\tprefix: "?"\n'));
    expect(errors.map((e) => e.code)).toEqual(['unknown-cog', 'yaml-syntax']);
    expect(errors[1]!.fix).toContain('spaces');
  });

  it('rejects two bots with one name, naming both lines', async () => {
    const errors = errorsOf(
      await load(
        'alice:\n  cogs: [eventsub]\nbob:\n  cogs: [eventsub]\nalice:\n  cogs: [eventsub]\n',
      ),
    );
    const issue = only(errors, 'duplicate-bot');
    expect(issue).toMatchObject({ line: 5, column: 1, path: 'alice' });
    expect(issue.message).toBe('bot "alice" is defined twice (lines 1 and 5)');
  });

  it('rejects bot names that share an environment prefix, naming both', async () => {
    const errors = errorsOf(
      await load(
        'alice:\n  cogs: [eventsub]\nAlice:\n  cogs: [eventsub]\nmy-bot:\n  cogs: [eventsub]\nmy_bot:\n  cogs: [eventsub]\n',
      ),
    );
    const clashes = errors.filter((e) => e.code === 'env-prefix-clash');
    expect(clashes.map((e) => e.message)).toEqual([
      'bots "alice" (line 1) and "Alice" (line 3) would both read their secrets from ALICE_*',
      'bots "my-bot" (line 5) and "my_bot" (line 7) would both read their secrets from MY_BOT_*',
    ]);
  });

  it('reports duplicate keys inside a bot', async () => {
    const errors = errorsOf(await load('alice:\n  cogs: [eventsub]\n  cogs: [echo_console]\n'));
    expect(only(errors, 'duplicate-key')).toMatchObject({
      line: 3,
      column: 3,
      message: '"cogs" appears twice in alice (lines 2 and 3)',
    });
  });

  it('ignores x- keys and lets bots reuse their anchors, with <<', async () => {
    const result = await load(
      [
        'x-common: &common',
        '  prefix: "?"',
        '  cogs: [eventsub, {go-live: {channels: [alice]}}]',
        'x-junk: [this is, not: a bot',
        ']',
        'alice:',
        '  <<: *common',
        '  channels: [alice]',
        'bob:',
        '  <<: *common',
        '  prefix: "$"',
      ].join('\n'),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.bots.map((b) => [b.name, b.prefix])).toEqual([
      ['alice', '?'],
      ['bob', '$'],
    ]);
    expect(result.config.bots[0]!.cogs.map((c) => c.name)).toEqual(['eventsub', 'go-live']);
  });

  it('locates a problem inside an anchor at the anchor, with the path where it is used', async () => {
    const errors = errorsOf(
      await load('x-cogs: &cogs [eventsub, go-lvie]\nalice:\n  cogs: *cogs\n'),
    );
    expect(only(errors, 'unknown-cog')).toMatchObject({
      path: 'alice.cogs[1]',
      line: 1,
      column: 26,
    });
  });

  it('reports an unknown alias', async () => {
    const errors = errorsOf(await load('alice:\n  cogs: *nope\n'));
    expect(only(errors, 'unknown-anchor')).toMatchObject({
      line: 2,
      column: 9,
      message: 'unknown anchor "*nope"',
    });
  });

  it('says so when the file defines no bots', async () => {
    expect(errorsOf(await load(''))[0]!.message).toBe('bots.yaml defines no bots');
    expect(errorsOf(await load('x-only: 1\n'))[0]!.message).toContain(
      'keys starting with "x-" are not bots',
    );
    expect(errorsOf(await load('- alice\n'))[0]!.message).toBe(
      'bots.yaml must be a map of bot names, got a list',
    );
  });

  it('loads a full example: anchors, settings, discord, interpolation', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'streamcogs-full-'));
    copyFileSync(join(FIXTURES, 'full.yaml'), join(cwd, 'bots.yaml'));
    const env = { DISCORD_INVITE: 'https://discord.gg/abc' };
    const result = await loadConfig({ cwd, env, catalog: testCatalog() });
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    expect(result.warnings).toEqual([]);
    const [alice, bob] = result.config.bots;
    expect(alice!.cogs.map((c) => c.name)).toEqual([
      'eventsub',
      'go-live',
      'chat-commands',
      'sub-roles',
    ]);
    expect(alice!.cogs[1]!.settings).toEqual({
      channels: ['alice'],
      message: '{channel} is live: https://twitch.tv/alice',
    });
    expect(alice!.cogs[2]!.settings).toEqual({
      commands: { discord: 'Join us: https://discord.gg/abc' },
      cooldownSeconds: 5,
    });
    expect(alice!.discord).toEqual({
      application: '112233445566778899',
      guilds: ['123456789012345678'],
    });
    expect(alice!.channels).toEqual(['alice', 'bob_the_builder']);
    expect(bob!.prefix).toBe('!');
  });

  it('resolves each cog once per load, however many bots use it', async () => {
    const catalog = testCatalog();
    const cwd = writeConfig(
      'a:\n  cogs: [eventsub]\nb:\n  cogs: [eventsub]\nc:\n  cogs: [eventsub]\n',
    );
    await loadConfig({ cwd, env: {}, catalog });
    expect(catalog.calls).toEqual(['eventsub']);
  });
});
