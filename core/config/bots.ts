import { isMap, isScalar, type Pair } from 'yaml';
import { checkBotKeys, readPrefix } from './bot-fields.js';
import { readChannels, readScopes } from './bot-lists.js';
import { readCogEntries, type CogEntry } from './cog-entries.js';
import { describeValue, isRecord } from './describe.js';
import { readDiscord } from './discord.js';
import { envPrefix } from './env.js';
import { readNode, type ReadContext } from './read-node.js';
import type { DiscordBotConfig } from './types.js';

/** A bot whose own fields are read; its cogs are still to be looked up. */
export interface BotDraft {
  name: string;
  envPrefix: string;
  /** Undefined when invalid (an error was reported). */
  prefix: string | undefined;
  channels: string[];
  scopes: 'all_scopes' | string[];
  discord?: DiscordBotConfig;
  entries: CogEntry[];
  /** 1-based line of the bot's key. */
  line: number;
}

/**
 * Top-level keys starting with this are not bots: a place for YAML anchors.
 *
 * @example
 * ```ts
 * // bots.yaml: `x-defaults: &defaults { prefix: '!' }` is an anchor, not a bot
 * 'x-defaults'.startsWith(IGNORED_KEY_PREFIX); // true
 * ```
 */
export const IGNORED_KEY_PREFIX = 'x-';

/**
 * What a bot name may look like: it names storage namespaces, URLs and env variables.
 *
 * @example
 * ```ts
 * BOT_NAME_PATTERN.test('creamery_bot'); // true
 * BOT_NAME_PATTERN.test('2bot'); // false: starts with a digit
 * ```
 */
export const BOT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const CHAT_ABILITY: Record<string, string> = {
  'chat:read': 'read',
  'chat:edit': 'send to',
  'chat:read,chat:edit': 'read or send to',
};

const EXAMPLE = 'add one, e.g. mybot: { channels: [mychannel], cogs: [chat-commands] }';

/**
 * Reads every bot of the document: the top-level keys except `x-...`. Reports an empty
 * file, duplicate bot names (both lines), names that map to the same environment prefix,
 * and everything wrong in each bot's own fields.
 *
 * @example
 * ```ts
 * const bots = readBots(ctx, '!', catalog.knownNames());
 * bots.map((b) => b.name); // ['alice', 'bob']
 * ```
 */
export function readBots(
  ctx: ReadContext,
  defaultPrefix: string,
  knownCogs: readonly string[],
): BotDraft[] {
  const { doc, sink } = ctx;
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    sink.at('error', '', [0, 0], {
      code: 'no-bots',
      message: `${sink.file} defines no bots`,
      fix: EXAMPLE,
    });
    return [];
  }
  if (!isMap(root)) {
    const range = root.range ?? [0, 0];
    sink.at('error', '', [range[0], range[1]], {
      code: 'bad-root',
      message: `${sink.file} must be a map of bot names, got ${describeValue(readNode(root, [], ctx))}`,
      fix: EXAMPLE,
    });
    return [];
  }
  const bots: BotDraft[] = [];
  const names = new Map<string, number>();
  const prefixes = new Map<string, { name: string; line: number }>();
  for (const pair of root.items as Pair[]) {
    const key = pair.key;
    const range = (key as { range?: [number, number, number] } | null)?.range ?? [0, 0, 0];
    const span = [range[0], range[1]] as const;
    const line = sink.source?.position(range[0]).line ?? 0;
    if (!isScalar(key) || key.value === null || typeof key.value === 'object') {
      sink.at('error', '', span, {
        code: 'bad-bot-name',
        message: 'a bot name must be a plain name',
        fix: EXAMPLE,
      });
      continue;
    }
    const name = String(key.value);
    if (name.startsWith(IGNORED_KEY_PREFIX) || typeof key.value === 'symbol') continue;
    const earlier = names.get(name);
    if (earlier !== undefined) {
      sink.at('error', name, span, {
        code: 'duplicate-bot',
        message: `bot "${name}" is defined twice (lines ${earlier} and ${line})`,
        fix: 'rename one of them or merge them: YAML would silently keep only one',
      });
      continue;
    }
    names.set(name, line);
    if (!BOT_NAME_PATTERN.test(name)) {
      const better = name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z]+/, '');
      sink.at('error', name, span, {
        code: 'bad-bot-name',
        message: `bad bot name "${name}": it must start with a letter and hold only letters, digits, "-" and "_" (64 at most)`,
        fix: better ? `rename it, e.g. ${better}:` : 'rename it, e.g. mybot:',
      });
    }
    const prefix = envPrefix(name);
    const clash = prefixes.get(prefix);
    if (clash) {
      sink.at('error', name, span, {
        code: 'env-prefix-clash',
        message: `bots "${clash.name}" (line ${clash.line}) and "${name}" (line ${line}) would both read their secrets from ${prefix}_*`,
        fix: `rename one of them so their names differ in more than case, "-" or "_"`,
      });
    } else {
      prefixes.set(prefix, { name, line });
    }
    bots.push(readBot(name, prefix, line, pair, span, ctx, defaultPrefix, knownCogs));
  }
  if (bots.length === 0 && names.size === 0) {
    sink.at('error', '', [0, 0], {
      code: 'no-bots',
      message: `${sink.file} defines no bots (keys starting with "x-" are not bots)`,
      fix: EXAMPLE,
    });
  }
  return bots;
}

function readBot(
  name: string,
  prefix: string,
  line: number,
  pair: Pair,
  keySpan: readonly [number, number],
  ctx: ReadContext,
  defaultPrefix: string,
  knownCogs: readonly string[],
): BotDraft {
  const { sink } = ctx;
  const value = readNode(pair.value, [name], ctx, keySpan);
  let raw: Record<string, unknown> = {};
  if (isRecord(value)) raw = value;
  else if (value !== null) {
    sink.error([name], {
      code: 'bad-bot',
      message: `bot "${name}" must be a map of settings (prefix, channels, cogs...), got ${describeValue(value, sink.node([name]))}`,
      fix: `indent the settings under "${name}:", e.g. ${name}: { channels: [${name.toLowerCase()}], cogs: [chat-commands] }`,
    });
  }
  checkBotKeys(name, raw, sink, knownCogs);
  const draft: BotDraft = {
    name,
    envPrefix: prefix,
    prefix: readPrefix([name, 'prefix'], raw.prefix, sink, defaultPrefix),
    channels: readChannels([name, 'channels'], raw.channels, sink),
    scopes: readScopes([name, 'scopes'], raw.scopes, sink),
    entries: readCogEntries(name, raw.cogs, sink),
    line,
  };
  const discord = readDiscord([name, 'discord'], raw.discord, sink);
  if (discord) draft.discord = discord;
  if (
    draft.entries.length === 0 &&
    (raw.cogs === undefined ||
      raw.cogs === null ||
      (Array.isArray(raw.cogs) && raw.cogs.length === 0))
  ) {
    sink.warn([name], {
      code: 'no-cogs',
      message: `bot "${name}" has no cogs: it will connect and do nothing`,
      fix: 'add some under cogs:, e.g. cogs: [chat-commands]',
      at: 'key',
    });
  }
  if (Array.isArray(draft.scopes) && draft.channels.length > 0) {
    const missing = ['chat:read', 'chat:edit'].filter((scope) => !draft.scopes.includes(scope));
    if (missing.length > 0) {
      sink.warn([name, 'scopes'], {
        code: 'missing-chat-scopes',
        message: `bot "${name}" joins channels but its scopes lack ${missing.join(' and ')}: it cannot ${CHAT_ABILITY[missing.join()]} chat`,
        fix: `add ${missing.join(', ')} to ${name}.scopes`,
      });
    }
  }
  return draft;
}
