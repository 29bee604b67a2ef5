import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  envPrefix,
  interpolate,
  loadEnvFile,
  resolveConfigPath,
} from '../../../core/config/index.js';
import { errorsOf, load, only } from './helpers.js';

describe('interpolate', () => {
  it('expands ${VAR} and ${VAR:-default}, and $${ escapes', () => {
    const env = { HOST: 'example.com', EMPTY: '' };
    expect(interpolate('https://${HOST}/x', env).value).toBe('https://example.com/x');
    expect(interpolate('${MISSING:-fallback}', env).value).toBe('fallback');
    expect(interpolate('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolate('${EMPTY}', env)).toMatchObject({ value: '', problems: [] });
    expect(interpolate('$${HOST} costs $5', env).value).toBe('${HOST} costs $5');
  });

  it('reports missing and malformed references', () => {
    expect(interpolate('a ${NOPE} b', {}).problems).toEqual([
      { kind: 'missing', name: 'NOPE', index: 2, text: '${NOPE}' },
    ]);
    expect(interpolate('${1X}', {}).problems[0]).toMatchObject({
      kind: 'malformed',
      text: '${1X}',
    });
    expect(interpolate('${OPEN', {}).problems[0]).toMatchObject({
      kind: 'malformed',
      text: '${OPEN',
    });
  });
});

describe('loadConfig: environment', () => {
  it('names the exact unset variable, its path and column', async () => {
    const text =
      'alice:\n  cogs:\n    - eventsub\n    - go-live:\n        channels: [alice]\n        webhook: "https://${HOOK_HOST}/${HOOK_PATH}"\n';
    const errors = errorsOf(await load(text, { env: { HOOK_HOST: 'discord.com' } }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'missing-variable',
      path: 'alice.cogs[1].go-live.webhook',
      line: 6,
      column: 40,
      message: 'environment variable HOOK_PATH is not set (used as ${HOOK_PATH})',
      fix: 'set HOOK_PATH in .env or the environment, or give a default: ${HOOK_PATH:-value}',
    });
  });

  it('interpolates values only, and never shows an expanded value in a message', async () => {
    const text = 'alice:\n  prefix: ${PREFIX}\n  cogs: [eventsub]\n';
    const issue = only(
      errorsOf(await load(text, { env: { PREFIX: 'sekrit value' } })),
      'bad-prefix',
    );
    expect(issue.message).toBe(
      'bad prefix ${PREFIX}: a prefix is 1 to 5 characters with no spaces',
    );
    expect(JSON.stringify(issue)).not.toContain('sekrit');
  });

  it('requires <BOT>_CLIENT_ID and _CLIENT_SECRET with requireCredentials', async () => {
    const text = 'my-bot:\n  cogs: [eventsub]\n';
    const errors = errorsOf(
      await load(text, { requireCredentials: true, env: { MY_BOT_CLIENT_SECRET: 's3cr3t-value' } }),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'environment',
        path: 'my-bot',
        code: 'missing-credential',
        message: 'missing environment variable MY_BOT_CLIENT_ID for bot "my-bot"',
      }),
    ]);
    expect(errors[0]!.fix).toContain('set MY_BOT_CLIENT_ID in .env');
    expect(JSON.stringify(errors)).not.toContain('s3cr3t-value');
    expect((await load(text)).ok).toBe(true);
  });

  it('hints at a near-miss variable name without showing its value', async () => {
    const env = { ALICE_CLIENTID: 'abcdef123', ALICE_CLIENT_SECRET: 'zzz999zzz' };
    const errors = errorsOf(
      await load('alice:\n  cogs: [eventsub]\n', { requireCredentials: true, env }),
    );
    expect(errors[0]!.fix).toContain('ALICE_CLIENTID is set: did you mean ALICE_CLIENT_ID?');
    expect(JSON.stringify(errors)).not.toContain('abcdef123');
  });

  it('requires <BOT>_DISCORD_TOKEN for a bot with a discord block', async () => {
    const env = { ALICE_CLIENT_ID: 'id', ALICE_CLIENT_SECRET: 'secret' };
    const text = 'alice:\n  cogs: [eventsub]\n  discord:\n    guilds: ["123456789012345678"]\n';
    const issue = only(
      errorsOf(await load(text, { requireCredentials: true, env })),
      'missing-credential',
    );
    expect(issue.message).toContain('ALICE_DISCORD_TOKEN');
  });

  it('reads secrets into the config and keeps them out of logs', async () => {
    const env = {
      ALICE_CLIENT_ID: 'the-id',
      ALICE_CLIENT_SECRET: 'the-secret',
      ALICE_DISCORD_TOKEN: 'tok',
    };
    const result = await load('alice:\n  cogs: [eventsub]\n', { env, requireCredentials: true });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { secrets } = result.config.bots[0]!;
    expect(secrets).toEqual({
      clientId: 'the-id',
      clientSecret: 'the-secret',
      discordToken: 'tok',
    });
    expect(JSON.stringify(result.config)).not.toContain('the-secret');
    expect(inspect(result.config, { depth: 10 })).not.toContain('the-secret');
  });

  it('scrubs secret values from messages, whatever produced them', async () => {
    // A cog whose own message would echo its input: the loader still redacts it.
    const text =
      'alice:\n  cogs:\n    - eventsub\n    - go-live:\n        channels: ["${ALICE_CLIENT_SECRET}"]\n        webhook: 12\n';
    const result = await load(text, { env: { ALICE_CLIENT_SECRET: 'hunter2hunter2' } });
    expect(JSON.stringify(result)).not.toContain('hunter2hunter2');
  });
});

describe('env helpers', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  });

  it('envPrefix upper-cases and replaces non-alphanumerics', () => {
    expect(envPrefix('example_bot')).toBe('EXAMPLE_BOT');
    expect(envPrefix('my-bot')).toBe('MY_BOT');
    expect(envPrefix('Alice')).toBe('ALICE');
  });

  it('resolveConfigPath honours CONFIG_FILENAME', () => {
    expect(resolveConfigPath({}, '/srv')).toBe('/srv/bots.yaml');
    expect(resolveConfigPath({ CONFIG_FILENAME: 'prod.yaml' }, '/srv')).toBe('/srv/prod.yaml');
    expect(resolveConfigPath({ CONFIG_FILENAME: '/etc/bots.yaml' }, '/srv')).toBe('/etc/bots.yaml');
  });

  it('loadEnvFile parses .env without touching process.env unless asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamcogs-env-'));
    writeFileSync(
      join(dir, '.env'),
      'STREAMCOGS_TEST_A=1\n# comment\nSTREAMCOGS_TEST_B="two words"\n',
    );
    expect(loadEnvFile(dir)).toEqual({ STREAMCOGS_TEST_A: '1', STREAMCOGS_TEST_B: 'two words' });
    expect(process.env.STREAMCOGS_TEST_A).toBeUndefined();
    process.env.STREAMCOGS_TEST_B = 'kept';
    loadEnvFile(dir, { apply: true });
    expect(process.env.STREAMCOGS_TEST_A).toBe('1');
    expect(process.env.STREAMCOGS_TEST_B).toBe('kept');
    expect(loadEnvFile(join(dir, 'missing'))).toEqual({});
  });
});
