import type { Command } from 'commander';
import { startDev } from '../dev/index.js';
import { exitOnSignals, exitOnStartupError } from './start.js';

/**
 * `streamcogs dev`: like `start`, and a changed cog file reloads the cogs that use it (a
 * broken edit keeps the running version); bots.yaml changes apply as they do in `start`.
 *
 * @example
 * ```ts
 * registerDev(program);
 * ```
 */
export function registerDev(program: Command): void {
  program
    .command('dev')
    .description(
      'start the bots and reload a cog when its files change (plugins/, PLUGIN_DIRS) or bots.yaml changes',
    )
    .option('-c, --config <file>', 'bots.yaml to use (default: CONFIG_FILENAME or bots.yaml)')
    .option('--strict', 'a cog whose setup fails stops startup')
    .action(async (opts: { config?: string; strict?: boolean }) => {
      try {
        const dev = await startDev({ file: opts.config, strict: opts.strict });
        exitOnSignals({ ...dev.app, stop: () => dev.stop() });
      } catch (err) {
        exitOnStartupError(err);
      }
    });
}
