import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ShardingManager, type Shard } from 'discord.js';
import { createLogger, secretValuesFromEnv, type Logger } from '../../core/log.js';
import { describeError } from '../../core/errors.js';
import { ConfigInvalidError } from '../app.js';
import { readEndpoints } from '../endpoints.js';
import { loadEverything } from '../load.js';
import { decideMode } from '../mode.js';
import { discordTokens, recommendedShardCount } from './recommended.js';
import { shardingIssues, type ShardRole } from './role.js';

/** The CLI entry (registers tsx itself, as `npm start` runs it): what each shard runs. */
const CLI_ENTRY = fileURLToPath(new URL('../../bin/streamcogs.js', import.meta.url));

/** Options of {@link startShardManager}. */
export interface ShardManagerOptions {
  role: Extract<ShardRole, { kind: 'manager' }>;
  /** Arguments each shard runs the CLI with, e.g. `['start', '--config', 'bots.yaml']`. */
  args: readonly string[];
  cwd?: string;
  /** bots.yaml path; default `CONFIG_FILENAME` or `bots.yaml`. */
  file?: string;
  /** How long each shard may take to become ready (default 60 s). */
  readyTimeoutMs?: number;
}

/** A running shard manager. */
export interface RunningShards {
  manager: ShardingManager;
  log: Logger;
  /** Resolves once every shard's Discord client is ready; rejects (after stopping the others) if one is not. */
  ready: Promise<void>;
  /** SIGTERM to every shard (no respawn), SIGKILL after `graceMs`; true when all exited 0. */
  stop(graceMs?: number): Promise<boolean>;
}

/** The HTTP port of shard `id`: `PORT + id` (each `0` when `PORT=0`). */
function portOf(basePort: number, id: number): number {
  return basePort === 0 ? 0 : basePort + id;
}

function exitOf(child: ChildProcess, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/**
 * `streamcogs start` with `DISCORD_SHARDS`: validates bots.yaml and the environment like
 * `start` does, resolves the shard count (`auto`: the largest `GET /gateway/bot`
 * recommendation of the bots' tokens), then runs discord.js's `ShardingManager`: one full
 * `streamcogs start` process per shard (discord.js's Client reads the `SHARDS` and
 * `SHARD_COUNT` it sets), listening on `PORT + shard id`, respawned if it dies; shards are
 * spawned 5.5 s apart (discord.js's default, Discord's identify rate). Throws
 * {@link ConfigInvalidError} before anything starts when the configuration cannot be
 * sharded (no `STORAGE_URL=redis://`, ...).
 *
 * @example
 * ```ts
 * const shards = await startShardManager({ role: { kind: 'manager', shards: 2 }, args: ['start'] });
 * process.on('SIGTERM', () => void shards.stop().then((ok) => process.exit(ok ? 0 : 1)));
 * await shards.ready;
 * ```
 */
export async function startShardManager(options: ShardManagerOptions): Promise<RunningShards> {
  const loaded = await loadEverything({ cwd: options.cwd ?? process.cwd(), file: options.file });
  if (!loaded.config) throw new ConfigInvalidError(loaded.errors, loaded.warnings);
  const { config, env } = loaded;
  const mode = decideMode(config, env);
  if (mode.kind === 'partial') throw new ConfigInvalidError(mode.issues, loaded.warnings);
  const issues = shardingIssues(options.role, config, mode, env);
  if (issues.length > 0) throw new ConfigInvalidError(issues, loaded.warnings);

  const log = createLogger({ secrets: secretValuesFromEnv(env) }).child({ component: 'shards' });
  const count =
    options.role.shards === 'auto'
      ? await recommendedShardCount(discordTokens(config, env), readEndpoints(env).discordApi)
      : options.role.shards;
  const basePort = env.PORT !== undefined ? Number(env.PORT) : 8000;
  const manager = new ShardingManager(CLI_ENTRY, {
    totalShards: count,
    shardArgs: [...options.args],
    mode: 'process',
    respawn: true,
  });
  let stopping = false;
  manager.on('shardCreate', (shard: Shard) => {
    const port = portOf(basePort, shard.id);
    (shard.env as Record<string, string>).PORT = String(port);
    const where = { shard: shard.id, shards: count, port };
    // mode 'process': the child is a ChildProcess.
    shard.on('spawn', (child) => {
      const { pid } = child as ChildProcess;
      log.info({ ...where, shardPid: pid }, `shard ${shard.id}/${count}: pid ${pid}, port ${port}`);
    });
    shard.on('ready', () => log.info(where, `shard ${shard.id}/${count}: Discord ready`));
    shard.on('death', (dead) => {
      if (stopping) return;
      const child = dead as ChildProcess;
      log.warn(
        { ...where, shardPid: child.pid, code: child.exitCode, signal: child.signalCode },
        `shard ${shard.id}/${count} exited; respawning it`,
      );
    });
    shard.on('error', (err: unknown) =>
      log.error(
        { ...where, err: describeError(err) },
        `shard ${shard.id}/${count}: ${describeError(err)}`,
      ),
    );
  });

  const stop = async (graceMs = 12_000): Promise<boolean> => {
    stopping = true;
    const children = [...manager.shards.values()].flatMap((shard) => {
      const child = shard.process;
      if (!child) return [];
      shard.kill(); // SIGTERM, and no respawn
      return [exitOf(child, graceMs)];
    });
    const codes = await Promise.all(children);
    log.info({ codes }, 'shards stopped');
    return codes.every((c) => c === 0);
  };

  log.info(
    { shards: count, ports: Array.from({ length: count }, (_, id) => portOf(basePort, id)) },
    `starting ${count} shard(s) under discord.js's ShardingManager`,
  );
  const ready = manager.spawn({ amount: count, timeout: options.readyTimeoutMs ?? 60_000 }).then(
    () => log.info({ shards: count }, 'every shard is ready'),
    async (err: unknown) => {
      if (stopping) return;
      log.error({ err: describeError(err) }, 'a shard did not start; stopping the others');
      await stop();
      throw err;
    },
  );
  return { manager, log, ready, stop };
}
