import { describeValue, quote } from './describe.js';
import { envPrefix, secretVariables } from './env.js';
import type { IssueSink } from './issue-sink.js';
import type { Path } from './paths.js';
import { didYouMean, suggest } from './suggest.js';

/**
 * The fields of one bot, with the text editors show on hover (also used by the JSON Schema).
 *
 * @example
 * ```ts
 * BOT_FIELDS.prefix; // 'Chat command prefix, 1 to 5 characters without spaces. ...'
 * ```
 */
export const BOT_FIELDS = {
  prefix:
    'Chat command prefix, 1 to 5 characters without spaces. Default: env DEFAULT_PREFIX or "!". Quote it: prefix: "!"',
  channels: 'Twitch channels (logins) the bot joins. "#Name" is read as "name".',
  scopes:
    'Twitch OAuth scopes the bot asks for: all_scopes (default) or a list such as [chat:read, chat:edit].',
  cogs: 'Cogs (plugins) of this bot, in any order: a name (- go-live) or a name with settings (- go-live: {...}).',
  discord:
    'Discord bot of this bot: application id and the guilds (server ids, quoted) it serves. Token: <BOT>_DISCORD_TOKEN.',
} as const;

/**
 * Names of the fields a bot may have.
 *
 * @example
 * ```ts
 * BOT_FIELD_NAMES; // ['prefix', 'channels', 'scopes', 'cogs', 'discord']
 * ```
 */
export const BOT_FIELD_NAMES = Object.keys(BOT_FIELDS) as Array<keyof typeof BOT_FIELDS>;

/**
 * A prefix is 1 to 5 characters (code points), none of them whitespace.
 *
 * @example
 * ```ts
 * isValidPrefix('!'); // true
 * isValidPrefix('! !'); // false
 * ```
 */
export function isValidPrefix(prefix: string): boolean {
  const length = [...prefix].length;
  return length >= 1 && length <= 5 && !/\s/.test(prefix);
}

const SECRET_LIKE = /client[_-]?id|client[_-]?secret|secret|token|password|oauth/i;

/**
 * Reports every key of a bot that is not one of {@link BOT_FIELDS}, with the most
 * useful fix: a typo, a secret that belongs in the environment, or a cog outside `cogs`.
 *
 * @example
 * ```ts
 * checkBotKeys('alice', { prefx: '!' }, sink, ['go-live']);
 * // error at alice.prefx: unknown field "prefx" in bot "alice", fix: did you mean "prefix"?
 * ```
 */
export function checkBotKeys(
  bot: string,
  raw: Record<string, unknown>,
  sink: IssueSink,
  knownCogs: readonly string[],
): void {
  for (const key of Object.keys(raw)) {
    if ((BOT_FIELD_NAMES as readonly string[]).includes(key)) continue;
    const vars = secretVariables(envPrefix(bot));
    let fix = didYouMean(key, BOT_FIELD_NAMES);
    if (!suggest(key, BOT_FIELD_NAMES) && SECRET_LIKE.test(key)) {
      fix = `secrets never go in bots.yaml: set ${vars.clientId}, ${vars.clientSecret} or ${vars.discordToken} in .env`;
    } else if (!suggest(key, BOT_FIELD_NAMES) && suggest(key, knownCogs)) {
      fix = `cogs go in the list under "cogs:", e.g. cogs: [${suggest(key, knownCogs)}]`;
    }
    const issue = sink.error([bot, key], {
      code: 'unknown-field',
      message: `unknown field "${key}" in bot "${bot}"`,
      fix,
      at: 'key',
    });
    // Whatever was written after a secret-looking key stays off screens and CI logs.
    if (issue?.excerpt && SECRET_LIKE.test(key)) {
      issue.excerpt = issue.excerpt.replace(/:(\s*)\S.*$/, ':$1***');
    }
  }
}

/**
 * Reads `prefix`, accepting twitch-creamery's bare `prefix: !` (a YAML tag with no value)
 * as "!" with a warning. Returns undefined when the prefix is invalid (an error is reported).
 *
 * @example
 * ```ts
 * readPrefix(['alice', 'prefix'], '?', sink, '!'); // '?'
 * readPrefix(['alice', 'prefix'], undefined, sink, '!'); // '!' (the default)
 * ```
 */
export function readPrefix(
  path: Path,
  value: unknown,
  sink: IssueSink,
  fallback: string,
): string | undefined {
  if (value === undefined) return fallback;
  const info = sink.node(path);
  const bare =
    info?.tag !== undefined && (value === '' || value === null)
      ? bareTag(sink, info.start)
      : undefined;
  if (bare) {
    sink.suppress(bare.span[0], bare.span[1]);
    sink.warn(path, {
      code: 'bare-tag-prefix',
      message: `"${bare.text}" alone is a YAML tag, not text: read as the prefix "${bare.text}"`,
      fix: `quote it: prefix: "${bare.text}"`,
      span: bare.span,
    });
    return checkPrefix(path, bare.text, sink, bare.span);
  }
  if (value === null) {
    const comment =
      info && sink.source && /^\s*#/.test(sink.source.text.slice(info.end).split('\n')[0] ?? '');
    sink.error(path, {
      code: 'bad-prefix',
      message: comment
        ? 'bad prefix: "#" starts a YAML comment, so the prefix is empty'
        : 'bad prefix: it is empty',
      fix: comment
        ? 'quote it: prefix: "#"'
        : `write one, e.g. prefix: "!", or remove the line to use "${fallback}"`,
      at: 'key',
    });
    return undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return checkPrefix(path, info?.raw.trim() || String(value), sink);
  }
  if (typeof value !== 'string') {
    sink.error(path, {
      code: 'bad-prefix',
      message: `bad prefix: expected text, got ${describeValue(value, info)}`,
      fix: 'write it as text: prefix: "!"',
    });
    return undefined;
  }
  return checkPrefix(path, value, sink);
}

function checkPrefix(
  path: Path,
  prefix: string,
  sink: IssueSink,
  span?: readonly [number, number],
): string | undefined {
  if (isValidPrefix(prefix)) return prefix;
  const info = sink.node(path);
  const shown = info?.interpolated ? info.raw.trim() : quote(prefix);
  const squeezed = prefix.replace(/\s+/g, '');
  const fix =
    /\s/.test(prefix) && isValidPrefix(squeezed)
      ? `remove the spaces: prefix: ${JSON.stringify(squeezed)}`
      : 'use 1 to 5 characters, e.g. prefix: "!"';
  sink.error(path, {
    code: 'bad-prefix',
    message: `bad prefix ${shown}: a prefix is 1 to 5 characters with no spaces`,
    fix,
    span,
  });
  return undefined;
}

/** The tag token (e.g. `!`) written just before an empty value, with its offsets. */
function bareTag(
  sink: IssueSink,
  valueStart: number,
): { text: string; span: [number, number] } | undefined {
  const text = sink.source?.text ?? '';
  const before = text.slice(Math.max(0, valueStart - 200), valueStart);
  const match = /(![^\s]*)[ \t]*$/.exec(before);
  if (!match?.[1]) return undefined;
  const start = valueStart - match[0].length;
  return { text: match[1], span: [start, start + match[1].length] };
}
