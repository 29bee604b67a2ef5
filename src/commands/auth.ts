import type { Command } from 'commander';
import { describeError } from '../../core/errors.js';
import { authorizeBot } from '../twitch/auth/authorize-bot.js';

/**
 * `streamcogs auth <bot> [--device]`: authorises the bot's Twitch account for the scopes
 * its cogs need and stores the token encrypted (see {@link authorizeBot}).
 *
 * @example
 * ```ts
 * registerAuth(program);
 * ```
 */
export function registerAuth(program: Command): void {
  program
    .command('auth <bot>')
    .description(
      "authorise the bot's Twitch account (browser redirect, or --device for headless servers)",
    )
    .option('-c, --config <file>', 'bots.yaml to use (default: CONFIG_FILENAME or bots.yaml)')
    .option('--device', 'device-code flow: prints a code to enter at twitch.tv/activate')
    .option('--timeout <seconds>', 'give up after this long', '600')
    .action(async (bot: string, opts: { config?: string; device?: boolean; timeout: string }) => {
      try {
        await authorizeBot({
          bot,
          file: opts.config,
          device: opts.device,
          timeoutMs: Number(opts.timeout) * 1000,
          out: (line) => process.stdout.write(`${line}\n`),
        });
        process.exit(0);
      } catch (err) {
        process.stderr.write(`streamcogs auth: ${describeError(err)}\n`);
        process.exit(1);
      }
    });
}
