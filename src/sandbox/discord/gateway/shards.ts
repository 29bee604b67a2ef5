/**
 * Discord's sharding rules, as the simulated gateway applies them.
 *
 * @example
 * ```ts
 * if (!covers([1, 2], guildId)) return; // this session does not receive the guild
 * ```
 * @module
 */

/** `[shard_id, num_shards]`, as sent in IDENTIFY's `shard` field. */
export type ShardPair = readonly [id: number, count: number];

/**
 * The pair of a session that identified without `shard`.
 *
 * @example
 * ```ts
 * covers(parseShard(identify.d.shard) ?? UNSHARDED, guildId); // UNSHARDED covers every guild
 * ```
 */
export const UNSHARDED: ShardPair = [0, 1];

/**
 * Guilds one session may hold; above it Discord closes with 4011 (Sharding required).
 *
 * @example
 * ```ts
 * if (guildIds.length > MAX_GUILDS_PER_SHARD) ws.close(4011, 'Sharding required.');
 * ```
 */
export const MAX_GUILDS_PER_SHARD = 2500;

/**
 * Guilds per shard Discord recommends in `GET /gateway/bot`.
 *
 * @example
 * ```ts
 * Math.ceil(3500 / GUILDS_PER_RECOMMENDED_SHARD); // 4: what GET /gateway/bot recommends
 * ```
 */
export const GUILDS_PER_RECOMMENDED_SHARD = 1000;

/**
 * The shard that receives a guild: `(guild_id >> 22) % num_shards`.
 *
 * @example
 * ```ts
 * shardOfGuild('81384788765712384', 2); // 0 or 1
 * ```
 */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/**
 * Whether a session identified with `shard` receives the events of `guildId`; events
 * outside any guild (DMs) go to shard 0 only, as on Discord.
 *
 * @example
 * ```ts
 * covers([0, 2], null); // true: DMs
 * covers([1, 2], null); // false
 * ```
 */
export function covers(shard: ShardPair, guildId: string | null): boolean {
  if (guildId === null) return shard[0] === 0;
  return shard[1] === 1 || shardOfGuild(guildId, shard[1]) === shard[0];
}

/**
 * Reads IDENTIFY's `shard` field: `undefined` when absent (unsharded), `null` when invalid
 * (the gateway closes with 4010), else the pair.
 *
 * @example
 * ```ts
 * parseShard([1, 2]); // [1, 2]
 * parseShard([2, 2]); // null
 * ```
 */
export function parseShard(value: unknown): ShardPair | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
  const pair: ShardPair = [id as number, count as number];
  return pair[1] >= 1 && pair[0] >= 0 && pair[0] < pair[1] ? pair : null;
}

/**
 * `shards` of `GET /gateway/bot`: one per 1,000 guilds, at least one.
 *
 * @example
 * ```ts
 * recommendedShards(2501); // 3
 * ```
 */
export function recommendedShards(guildCount: number): number {
  return Math.max(1, Math.ceil(guildCount / GUILDS_PER_RECOMMENDED_SHARD));
}
