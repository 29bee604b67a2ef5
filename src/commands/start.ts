import type { Command } from 'commander';
import { loadEnvFile } from '../../core/config/env.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { ConfigInvalidError, startApp } from '../app.js';
import { renderIssues } from '../load.js';
import { shardRole, type ShardRole } from '../sharding/role.js';

/** What {@link exitOnSignals} stops: the app, or the shard manager (false: exit 1). */
export interface Stoppable {
  log: Logger;
  stop(): Promise<unknown>;
}

/**
 * Stops the app on SIGINT/SIGTERM: drains, tears down, exits 0 (1 after `deadlineMs`, on
 * a second signal, or when `stop` resolves `false`). A shard process listens to SIGTERM
 * only: its manager forwards the stop, and a terminal's Ctrl-C, which reaches the whole
 * process group, must not stop it twice.
 *
 * @example
 * ```ts
 * exitOnSignals(await startApp());
 * ```
 */
export function exitOnSignals(
  target: Stoppable,
  options: { deadlineMs?: number; signals?: readonly NodeJS.Signals[] } = {},
): void {
  const deadlineMs = options.deadlineMs ?? 10_000;
  let signals = 0;
  const shutdown = (signal: string): void => {
    signals++;
    if (signals > 1) process.exit(1);
    target.log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      target.log.error(`shutdown took over ${deadlineMs / 1000} s; exiting`);
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    target.stop().then(
      (result) => process.exit(result === false ? 1 : 0),
      (err: unknown) => {
        target.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT'])
    process.on(signal, () => shutdown(signal));
}

/**
 * `DISCORD_SHARDS`: runs the shard manager until a signal stops every shard.
 *
 * @example
 * ```ts
 * await runShardManager({ kind: 'manager', shards: 2 }, undefined);
 * ```
 */
async function runShardManager(
  role: Extract<ShardRole, { kind: 'manager' }>,
  file: string | undefined,
): Promise<void> {
  // Imported here: discord.js's ShardingManager is only for DISCORD_SHARDS, and a plain start
  // would otherwise load all of discord.js (~30 MB of RSS) for nothing.
  const { startShardManager } = await import('../sharding/manager.js');
  const shards = await startShardManager({ role, file, args: process.argv.slice(2) });
  // Each shard drains within its own 10 s; the manager waits 12 s, then SIGKILLs: all
  // within the 15 s systemd gives (TimeoutStopSec).
  exitOnSignals(shards, { deadlineMs: 14_000 });
  await shards.ready.catch((err: unknown) => {
    process.stderr.write(`streamcogs: ${describeError(err)}\n`);
    process.exit(1);
  });
}

/**
 * Prints a startup failure and exits: 2 for an invalid configuration (nothing was
 * started), 1 otherwise.
 *
 * @example
 * ```ts
 * startApp().catch(exitOnStartupError);
 * ```
 */
export function exitOnStartupError(err: unknown): never {
  if (err instanceof ConfigInvalidError) {
    process.stderr.write(renderIssues([...err.issues, ...err.warnings]));
    process.stderr.write('\nnothing was started.\n');
    process.exit(2);
  }
  process.stderr.write(`streamcogs: ${describeError(err)}\n`);
  process.exit(1);
}

/**
 * `streamcogs start`.
 *
 * @example
 * ```ts
 * registerStart(program);
 * ```
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'validate bots.yaml, then start every bot (the sandbox when there are no credentials)',
    )
    .option('-c, --config <file>', 'bots.yaml to use (default: CONFIG_FILENAME or bots.yaml)')
    .option('--strict', 'a cog whose setup fails stops startup')
    .option('--no-watch', 'do not reload bots.yaml on change')
    .action(async (opts: { config?: string; strict?: boolean; watch: boolean }) => {
      try {
        const role = shardRole({ ...loadEnvFile(process.cwd()), ...process.env });
        if (role.kind === 'manager') return await runShardManager(role, opts.config);
        const shard = role.kind === 'shard' ? { id: role.id, count: role.count } : undefined;
        if (!shard)
          return exitOnSignals(
            await startApp({ file: opts.config, strict: opts.strict, watch: opts.watch }),
          );
        // A shard's manager may stop it while it starts: that stop runs once it has started.
        let early = false;
        const hold = (): void => void (early = true);
        process.on('SIGTERM', hold);
        process.on('SIGINT', () => {});
        // The manager is gone (killed): stop rather than run unmanaged.
        process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
        if (!process.connected) early = true;
        const app = await startApp({
          file: opts.config,
          strict: opts.strict,
          watch: opts.watch,
          shard,
        });
        // Listen before letting go of `hold`: with no SIGTERM listener at all, Node would drop
        // a signal it received but has not dispatched yet.
        exitOnSignals(app, { signals: ['SIGTERM'] });
        process.off('SIGTERM', hold);
        if (early) process.kill(process.pid, 'SIGTERM');
      } catch (err) {
        exitOnStartupError(err);
      }
    });
}
