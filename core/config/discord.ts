import { describeValue, isRecord } from './describe.js';
import type { IssueSink } from './issue-sink.js';
import type { Path } from './paths.js';
import { didYouMean } from './suggest.js';
import type { DiscordBotConfig } from './types.js';

/**
 * A Discord id (snowflake): 17 to 20 digits, written as text.
 *
 * @example
 * ```ts
 * SNOWFLAKE_PATTERN.test('81384788765712384'); // true
 * SNOWFLAKE_PATTERN.test('8.1e16'); // false: quote guild ids in YAML
 * ```
 */
export const SNOWFLAKE_PATTERN = /^\d{17,20}$/;

const DISCORD_FIELDS = ['application', 'guilds'] as const;

/**
 * Reads a bot's `discord:` block. Ids must be quoted: a YAML number of 18 digits is
 * already rounded by the time it is read, so numbers are refused with the quoted form
 * (from the file's text, digits intact) as the fix.
 *
 * @example
 * ```ts
 * readDiscord(['alice', 'discord'], { guilds: ['123456789012345678'] }, sink);
 * // { guilds: ['123456789012345678'] }
 * ```
 */
export function readDiscord(
  path: Path,
  value: unknown,
  sink: IssueSink,
): DiscordBotConfig | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    sink.error(path, {
      code: 'bad-discord',
      message: `expected the discord settings (guilds, application), got ${describeValue(value, sink.node(path))}`,
      fix: 'write discord: { guilds: ["123456789012345678"] }, or remove the discord line',
      at: 'key',
    });
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if ((DISCORD_FIELDS as readonly string[]).includes(key)) continue;
    sink.error([...path, key], {
      code: 'unknown-field',
      message: `unknown field "${key}" in discord`,
      fix: didYouMean(key, DISCORD_FIELDS),
      at: 'key',
    });
  }
  const result: DiscordBotConfig = { guilds: readGuilds([...path, 'guilds'], value.guilds, sink) };
  if (value.application !== undefined) {
    const application = readId([...path, 'application'], value.application, sink, 'application id');
    if (application !== undefined) result.application = application;
  }
  return result;
}

function readGuilds(path: Path, value: unknown, sink: IssueSink): string[] {
  if (value === undefined || value === null) {
    sink.error(path, {
      code: 'missing-guilds',
      message:
        'discord needs "guilds": the servers the bot serves (slash commands are registered per guild)',
      fix: 'add guilds: ["123456789012345678"] (Discord: right-click the server > Copy Server ID)',
      at: 'key',
    });
    return [];
  }
  if (!Array.isArray(value)) {
    const single = typeof value === 'number' ? sink.node(path)?.raw.trim() : value;
    sink.error(path, {
      code: 'bad-guilds',
      message: `expected a list of guild ids, got ${describeValue(value, sink.node(path))}`,
      fix: `write it as a list: guilds: [${JSON.stringify(typeof single === 'string' ? single : '123456789012345678')}]`,
    });
    return [];
  }
  const guilds: string[] = [];
  value.forEach((item, index) => {
    const id = readId([...path, index], item, sink, 'guild id');
    if (id !== undefined && !guilds.includes(id)) guilds.push(id);
  });
  return guilds;
}

function readId(path: Path, value: unknown, sink: IssueSink, what: string): string | undefined {
  const info = sink.node(path);
  if (typeof value === 'number') {
    const digits = info?.raw.trim() ?? String(value);
    sink.error(path, {
      code: 'numeric-discord-id',
      message: `${what} ${digits} is written as a number`,
      fix: `quote it: "${digits}" (large ids lose precision as numbers)`,
    });
    return undefined;
  }
  if (typeof value !== 'string' || !SNOWFLAKE_PATTERN.test(value.trim())) {
    sink.error(path, {
      code: 'bad-discord-id',
      message: `expected a ${what} (17 to 20 digits), got ${describeValue(value, info)}`,
      fix: 'copy it in Discord with developer mode on (right-click > Copy ID) and quote it',
    });
    return undefined;
  }
  return value.trim();
}
