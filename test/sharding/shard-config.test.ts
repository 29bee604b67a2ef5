import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../core/config/types.js';
import { loadEverything } from '../../src/load.js';
import { decideMode } from '../../src/mode.js';
import { DiscordServer } from '../../src/sandbox/discord/index.js';
import { discordTokens, recommendedShardCount } from '../../src/sharding/recommended.js';
import { shardingIssues, shardRole } from '../../src/sharding/role.js';
import { project } from '../platform/helpers/world.js';

const YAML = [
  'alice:',
  '  channels: [alice]',
  '  discord: { guilds: ["111111111111111111"] }',
  'bob:',
  '  channels: [bob]',
  '  discord: { guilds: ["222222222222222222"] }',
  'carol:',
  '  channels: [carol]',
  '',
].join('\n');

const CREDENTIALS = {
  ALICE_CLIENT_ID: 'a',
  ALICE_CLIENT_SECRET: 'a-secret',
  ALICE_DISCORD_TOKEN: 'alice-token',
  BOB_CLIENT_ID: 'b',
  BOB_CLIENT_SECRET: 'b-secret',
  BOB_DISCORD_TOKEN: 'alice-token', // the same Discord application as alice
  CAROL_CLIENT_ID: 'c',
  CAROL_CLIENT_SECRET: 'c-secret',
};

let config: AppConfig;

beforeAll(async () => {
  const proj = await project(YAML);
  const loaded = await loadEverything({ cwd: proj.dir, file: proj.file, env: {} });
  if (!loaded.config) throw new Error(JSON.stringify(loaded.errors));
  config = loaded.config;
});

describe('DISCORD_SHARDS', () => {
  it('reads the role: single, manager (auto or a count), or a shard discord.js spawned', () => {
    expect(shardRole({})).toEqual({ kind: 'single' });
    expect(shardRole({ DISCORD_SHARDS: ' ' })).toEqual({ kind: 'single' });
    expect(shardRole({ DISCORD_SHARDS: 'auto' })).toEqual({ kind: 'manager', shards: 'auto' });
    expect(shardRole({ DISCORD_SHARDS: '4' })).toEqual({ kind: 'manager', shards: 4 });
    expect(shardRole({ DISCORD_SHARDS: 'four' })).toEqual({ kind: 'manager', shards: NaN });
    // What ShardingManager puts in a shard's environment, next to the inherited DISCORD_SHARDS.
    const shard = { DISCORD_SHARDS: '4', SHARDING_MANAGER: 'true', SHARDS: '3', SHARD_COUNT: '4' };
    expect(shardRole(shard)).toEqual({ kind: 'shard', id: 3, count: 4 });
    expect(shardRole({ ...shard, SHARDING_MANAGER: undefined })).toEqual({
      kind: 'manager',
      shards: 4,
    });
  });

  it('accepts Redis and real credentials; names each fix otherwise', () => {
    const env = { ...CREDENTIALS, STORAGE_URL: 'redis://127.0.0.1:6379' };
    const production = decideMode(config, env);
    expect(production.kind).toBe('production');
    expect(shardingIssues({ kind: 'manager', shards: 2 }, config, production, env)).toEqual([]);
    expect(shardingIssues({ kind: 'manager', shards: 'auto' }, config, production, env)).toEqual(
      [],
    );

    const codes = (
      shards: number | 'auto',
      e: Record<string, string | undefined>,
      c: AppConfig = config,
    ) =>
      shardingIssues({ kind: 'manager', shards }, c, decideMode(c, e), e).map((i) => [
        i.code,
        i.fix,
      ]);
    expect(codes(0, { ...env, DISCORD_SHARDS: '0' })).toEqual([
      ['sharding-count', expect.stringContaining('DISCORD_SHARDS=auto')],
    ]);
    expect(codes(2, { ...CREDENTIALS, STORAGE_URL: 'sqlite://x.db' })).toEqual([
      ['sharding-storage', expect.stringContaining('STORAGE_URL=redis://')],
    ]);
    expect(codes(2, { STORAGE_URL: env.STORAGE_URL })).toEqual([
      ['sharding-sandbox', expect.stringContaining('unset DISCORD_SHARDS')],
    ]);
    const noDiscord = { ...config, bots: config.bots.filter((b) => !b.discord) };
    expect(codes(2, env, noDiscord)).toEqual([
      ['sharding-no-discord', expect.stringContaining('unset DISCORD_SHARDS')],
    ]);
  });
});

describe('DISCORD_SHARDS=auto against the Discord sandbox', () => {
  let server: DiscordServer;
  let small: ReturnType<DiscordServer['createBot']>;
  let big: ReturnType<DiscordServer['createBot']>;

  beforeAll(async () => {
    server = await DiscordServer.start();
    small = server.createBot({ username: 'small' });
    big = server.createBot({ username: 'big' });
    server.createGuild({ name: 'shared', bots: [small.userId, big.userId] });
    for (let n = 0; n < 2000; n++)
      server.createGuild({ name: `big-${n}`, ownerId: big.userId, bots: [big.userId] });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists each Discord token once, with the variable it came from', () => {
    expect(discordTokens(config, CREDENTIALS)).toEqual([
      { variable: 'ALICE_DISCORD_TOKEN', token: 'alice-token' },
    ]);
  });

  it("takes the largest of the bots' GET /gateway/bot recommendations", async () => {
    const named = (variable: string, token: string) => ({ variable, token });
    expect(
      await recommendedShardCount([named('SMALL_DISCORD_TOKEN', small.token)], server.apiUrl),
    ).toBe(1);
    expect(
      await recommendedShardCount(
        [named('SMALL_DISCORD_TOKEN', small.token), named('BIG_DISCORD_TOKEN', big.token)],
        server.apiUrl,
      ),
    ).toBe(3); // 2,001 guilds: one shard per 1,000
    const refused = recommendedShardCount(
      [named('SMALL_DISCORD_TOKEN', small.token), named('WRONG_DISCORD_TOKEN', 'not-a-token')],
      server.apiUrl,
    );
    await expect(refused).rejects.toThrow(
      /answered 401 to GET \/gateway\/bot with WRONG_DISCORD_TOKEN \(check the token\)/,
    );
    await expect(refused).rejects.not.toThrow(/not-a-token/);
  });
});
