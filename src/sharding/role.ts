import type { AppConfig, ConfigIssue } from '../../core/config/types.js';
import type { RunMode } from '../mode.js';

/**
 * What `streamcogs start` is in this process: the only process (no `DISCORD_SHARDS`), the
 * shard manager (`DISCORD_SHARDS=auto|<n>`), or one shard the manager spawned (discord.js's
 * ShardingManager sets `SHARDING_MANAGER`, `SHARDS` and `SHARD_COUNT` in its children).
 */
export type ShardRole =
  | { kind: 'single' }
  | { kind: 'manager'; shards: 'auto' | number }
  | { kind: 'shard'; id: number; count: number };

/**
 * Reads the role from the environment. An invalid `DISCORD_SHARDS` yields a manager with
 * `NaN` shards, which {@link shardingIssues} reports.
 *
 * @example
 * ```ts
 * shardRole({ DISCORD_SHARDS: '2' }); // { kind: 'manager', shards: 2 }
 * shardRole({ SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' }); // { kind: 'shard', id: 1, count: 2 }
 * ```
 */
export function shardRole(env: Record<string, string | undefined>): ShardRole {
  if (env.SHARDING_MANAGER && env.SHARDS !== undefined && env.SHARD_COUNT !== undefined)
    return { kind: 'shard', id: Number(env.SHARDS), count: Number(env.SHARD_COUNT) };
  const wanted = env.DISCORD_SHARDS?.trim();
  if (!wanted) return { kind: 'single' };
  if (wanted === 'auto') return { kind: 'manager', shards: 'auto' };
  return { kind: 'manager', shards: /^\d+$/.test(wanted) ? Number(wanted) : Number.NaN };
}

const issue = (path: string, message: string, fix: string, code: string): ConfigIssue => ({
  severity: 'error',
  file: 'environment',
  path,
  message,
  fix,
  code,
});

/**
 * Why the manager cannot start: a bad `DISCORD_SHARDS`, storage the shard processes cannot
 * share (anything but `STORAGE_URL=redis://`), the embedded sandbox (each shard would get
 * its own), or no bot with a `discord:` block. Empty when it can.
 *
 * @example
 * ```ts
 * const issues = shardingIssues({ kind: 'manager', shards: 2 }, config, mode, env);
 * if (issues.length > 0) throw new ConfigInvalidError(issues, []);
 * ```
 */
export function shardingIssues(
  role: Extract<ShardRole, { kind: 'manager' }>,
  config: AppConfig,
  mode: RunMode,
  env: Record<string, string | undefined>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (role.shards !== 'auto' && !(Number.isInteger(role.shards) && role.shards >= 1))
    issues.push(
      issue(
        'DISCORD_SHARDS',
        `DISCORD_SHARDS is "${env.DISCORD_SHARDS ?? ''}"`,
        'set DISCORD_SHARDS=auto (Discord recommends the count) or a whole number of shards >= 1',
        'sharding-count',
      ),
    );
  const storage = env.STORAGE_URL ?? '';
  if (!storage.startsWith('redis://') && !storage.startsWith('rediss://'))
    issues.push(
      issue(
        'STORAGE_URL',
        `DISCORD_SHARDS runs one process per shard, and they must share state, but STORAGE_URL is ${storage ? 'not redis://' : 'unset (a SQLite file is for one process)'}`,
        'set STORAGE_URL=redis://127.0.0.1:6379 (docs/deployment.md, "More than one instance"), or unset DISCORD_SHARDS',
        'sharding-storage',
      ),
    );
  if (mode.kind === 'sandbox')
    issues.push(
      issue(
        'DISCORD_SHARDS',
        `DISCORD_SHARDS is set but streamcogs runs in the sandbox (${mode.reason}): every shard would start a sandbox of its own`,
        'unset DISCORD_SHARDS for the sandbox, or set the bots credentials to run for real',
        'sharding-sandbox',
      ),
    );
  if (!config.bots.some((b) => b.discord))
    issues.push(
      issue(
        'DISCORD_SHARDS',
        'DISCORD_SHARDS is set but no bot in bots.yaml has a discord: block',
        'unset DISCORD_SHARDS: shards are only for Discord gateway connections',
        'sharding-no-discord',
      ),
    );
  return issues;
}
