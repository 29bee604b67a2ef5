import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'dotenv';
import type { BotSecrets } from './types.js';

/**
 * The environment variable that names another configuration file.
 *
 * @example
 * ```ts
 * resolveConfigPath({ [CONFIG_FILENAME_VAR]: 'staging.yaml' }, '/srv/bots'); // '/srv/bots/staging.yaml'
 * ```
 */
export const CONFIG_FILENAME_VAR = 'CONFIG_FILENAME';

/**
 * The configuration file used when `CONFIG_FILENAME` is not set.
 *
 * @example
 * ```ts
 * resolveConfigPath({}, '/srv/bots'); // '/srv/bots/bots.yaml'
 * ```
 */
export const DEFAULT_CONFIG_FILE = 'bots.yaml';

/**
 * The environment variable giving the default command prefix of every bot.
 *
 * @example
 * ```ts
 * // DEFAULT_PREFIX='?' gives every bot without `prefix:` the prefix ?
 * const prefix = env[DEFAULT_PREFIX_VAR] ?? '!';
 * ```
 */
export const DEFAULT_PREFIX_VAR = 'DEFAULT_PREFIX';

/**
 * The absolute path of the configuration file: `CONFIG_FILENAME` (relative to `cwd`)
 * when set and not empty, else `bots.yaml` in `cwd`.
 *
 * @example
 * ```ts
 * resolveConfigPath({}, '/srv/bots'); // '/srv/bots/bots.yaml'
 * resolveConfigPath({ CONFIG_FILENAME: 'prod.yaml' }, '/srv/bots'); // '/srv/bots/prod.yaml'
 * ```
 */
export function resolveConfigPath(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): string {
  const named = env[CONFIG_FILENAME_VAR]?.trim();
  return resolve(cwd, named ? named : DEFAULT_CONFIG_FILE);
}

/** Options of {@link loadEnvFile}. */
export interface EnvFileOptions {
  /** File name inside the directory. Default `.env`. */
  file?: string;
  /**
   * Also copy the variables into `process.env`, never overwriting one already set
   * (the real environment wins, as with dotenv). Default false.
   */
  apply?: boolean;
}

/**
 * Reads `<dir>/.env` with dotenv's parser. A missing file gives `{}`. `process.env` is
 * left alone unless `apply` is set. Merge it under the real environment yourself:
 * `{ ...loadEnvFile(dir), ...process.env }`.
 *
 * @example
 * ```ts
 * const env = { ...loadEnvFile(process.cwd()), ...process.env };
 * const result = await loadConfig({ env, catalog });
 * ```
 */
export function loadEnvFile(dir: string, options: EnvFileOptions = {}): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(dir, options.file ?? '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const values = parse(text);
  if (options.apply) {
    for (const [name, value] of Object.entries(values)) {
      if (process.env[name] === undefined) process.env[name] = value;
    }
  }
  return values;
}

/**
 * The prefix of a bot's environment variables: upper-cased, every character other than
 * A-Z and 0-9 replaced by `_` (twitch-creamery: `example_bot` -> `EXAMPLE_BOT`).
 *
 * @example
 * ```ts
 * envPrefix('my-bot'); // 'MY_BOT'
 * envPrefix('Alice'); // 'ALICE'
 * ```
 */
export function envPrefix(botName: string): string {
  return botName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * The variable names a bot's secrets are read from.
 *
 * @example
 * ```ts
 * secretVariables('ALICE').clientId; // 'ALICE_CLIENT_ID'
 * secretVariables(envPrefix('my-bot')).discordToken; // 'MY_BOT_DISCORD_TOKEN'
 * ```
 */
export function secretVariables(prefix: string): Record<keyof BotSecrets, string> {
  return {
    clientId: `${prefix}_CLIENT_ID`,
    clientSecret: `${prefix}_CLIENT_SECRET`,
    discordToken: `${prefix}_DISCORD_TOKEN`,
  };
}

/**
 * A bot's secrets from the environment (empty values count as unset). The object
 * serialises and inspects as `***`, so logging a config never leaks them.
 *
 * @example
 * ```ts
 * const secrets = readSecrets('ALICE', { ALICE_CLIENT_ID: 'abc' });
 * secrets.clientId; // 'abc'
 * JSON.stringify(secrets); // '{"clientId":"***"}'
 * ```
 */
export function readSecrets(
  prefix: string,
  env: Readonly<Record<string, string | undefined>>,
): BotSecrets {
  const secrets: BotSecrets = {};
  for (const [field, name] of Object.entries(secretVariables(prefix))) {
    const value = env[name];
    if (value !== undefined && value !== '') secrets[field as keyof BotSecrets] = value;
  }
  const redacted = (): Record<string, string> =>
    Object.fromEntries(Object.keys(secrets).map((field) => [field, '***']));
  Object.defineProperty(secrets, 'toJSON', { value: redacted, enumerable: false });
  Object.defineProperty(secrets, Symbol.for('nodejs.util.inspect.custom'), {
    value: redacted,
    enumerable: false,
  });
  return secrets;
}
