import type { PermissionLevel } from '../../core/index.js';

/** Options a moderator may put before a response: `-ul=mod -cd=30 -ucd=60 -count=0`. */
export interface CommandFlags {
  permission?: PermissionLevel;
  /** Seconds for everyone. */
  global?: number;
  /** Seconds per user. */
  user?: number;
  count?: number;
}

const LEVEL_WORDS: Record<string, PermissionLevel> = {
  everyone: 'everyone',
  all: 'everyone',
  everybody: 'everyone',
  subscriber: 'subscriber',
  subscribers: 'subscriber',
  sub: 'subscriber',
  subs: 'subscriber',
  vip: 'vip',
  vips: 'vip',
  moderator: 'moderator',
  moderators: 'moderator',
  mod: 'moderator',
  mods: 'moderator',
  broadcaster: 'broadcaster',
  owner: 'broadcaster',
  streamer: 'broadcaster',
};

/** Flag names (Nightbot's `-ul` and `-cd`, plus ours) and what they set. */
const FLAGS: Record<string, keyof CommandFlags> = {
  ul: 'permission',
  level: 'permission',
  cd: 'global',
  ucd: 'user',
  count: 'count',
};

/**
 * The usage line of the flags, for help texts.
 *
 * @example
 * ```ts
 * `Usage: !cmd add <name> [${FLAGS_USAGE}] <response>`;
 * ```
 */
export const FLAGS_USAGE = '-ul=everyone|sub|vip|mod|broadcaster -cd=<s> -ucd=<s> -count=<n>';

/**
 * Reads leading `-name=value` flags of `!cmd add|edit`; the rest is the response.
 * Returns an error sentence for a flag it cannot read.
 *
 * @example
 * ```ts
 * parseFlags(['-ul=sub', '-cd=30', 'Hello', '{user}']);
 * // { flags: { permission: 'subscriber', global: 30 }, rest: ['Hello', '{user}'] }
 * ```
 */
export function parseFlags(words: readonly string[]): {
  flags: CommandFlags;
  rest: string[];
  error?: string;
} {
  const flags: CommandFlags = {};
  let i = 0;
  for (; i < words.length; i++) {
    const m = /^-([a-z]+)=(\S*)$/i.exec(words[i] as string);
    if (!m) break;
    const key = FLAGS[(m[1] as string).toLowerCase()];
    const value = (m[2] as string).toLowerCase();
    if (!key) return { flags, rest: [], error: `Unknown option -${m[1]}: use ${FLAGS_USAGE}.` };
    if (key === 'permission') {
      const level = LEVEL_WORDS[value];
      if (!level)
        return {
          flags,
          rest: [],
          error: `Unknown level "${value}": use everyone, sub, vip, mod or broadcaster.`,
        };
      flags.permission = level;
      continue;
    }
    const n = Number(value);
    const max = key === 'count' ? Number.MAX_SAFE_INTEGER : 86_400;
    if (!/^\d+$/.test(value) || n > max)
      return {
        flags,
        rest: [],
        error: `-${m[1]} needs a whole number${key === 'count' ? '' : ' of seconds (at most 86400)'}.`,
      };
    flags[key] = n;
  }
  return { flags, rest: words.slice(i) };
}
