import type { Command } from 'commander';
import { describeError } from '../../core/errors.js';
import { ConfigInvalidError, startApp, type App } from '../app.js';
import { renderIssues } from '../load.js';

/**
 * Stops the app on SIGINT/SIGTERM: drains, tears down, exits 0 (1 after 10 s or on a
 * second signal).
 *
 * @example
 * ```ts
 * exitOnSignals(await startApp());
 * ```
 */
export function exitOnSignals(app: App): void {
  let signals = 0;
  const shutdown = (signal: string): void => {
    signals++;
    if (signals > 1) process.exit(1);
    app.log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      app.log.error('shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    deadline.unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
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
        exitOnSignals(
          await startApp({ file: opts.config, strict: opts.strict, watch: opts.watch }),
        );
      } catch (err) {
        exitOnStartupError(err);
      }
    });
}
