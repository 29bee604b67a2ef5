import { describeValue, quote } from './describe.js';
import type { IssueSink } from './issue-sink.js';
import type { Path } from './paths.js';
import { suggest } from './suggest.js';
import { ALL_SCOPES, KNOWN_TWITCH_SCOPES, SCOPE_PATTERN } from './twitch-scopes.js';

/**
 * A Twitch login after normalisation.
 *
 * @example
 * ```ts
 * CHANNEL_PATTERN.test(normaliseChannel('#Creamery')); // true: 'creamery'
 * CHANNEL_PATTERN.test('my channel'); // false
 * ```
 */
export const CHANNEL_PATTERN = /^[a-z0-9_]{1,25}$/;

/**
 * Normalises what people write for a channel: `#Name` -> `name`, surrounding spaces dropped.
 *
 * @example
 * ```ts
 * normaliseChannel('#AnonymousUser'); // 'anonymoususer'
 * ```
 */
export function normaliseChannel(written: string): string {
  return written.trim().replace(/^#/, '').toLowerCase();
}

/**
 * Reads `channels`: a list of Twitch logins, normalised, duplicates warned about and
 * dropped. Absent or empty gives `[]`. Invalid entries are reported and left out.
 *
 * @example
 * ```ts
 * readChannels(['alice', 'channels'], ['#Alice', 'bob'], sink); // ['alice', 'bob']
 * ```
 */
export function readChannels(path: Path, value: unknown, sink: IssueSink): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    const example = typeof value === 'string' ? normaliseChannel(value) || 'alice' : 'alice';
    sink.error(path, {
      code: 'bad-channels',
      message: `expected a list of channel names, got ${describeValue(value, sink.node(path))}`,
      fix: `write it as a list: channels: [${example}]`,
    });
    return [];
  }
  const channels: string[] = [];
  value.forEach((item, index) => {
    const itemPath = [...path, index];
    const info = sink.node(itemPath);
    const written = typeof item === 'number' ? (info?.raw.trim() ?? String(item)) : item;
    if (typeof written !== 'string') {
      sink.error(itemPath, {
        code: 'bad-channel',
        message: `expected a channel name, got ${describeValue(item, info)}`,
        fix: 'write the login as text, e.g. - alice',
      });
      return;
    }
    const channel = normaliseChannel(written);
    if (!CHANNEL_PATTERN.test(channel)) {
      const fromUrl = /twitch\.tv\/([A-Za-z0-9_]{1,25})/.exec(written)?.[1];
      sink.error(itemPath, {
        code: 'bad-channel',
        message: `invalid channel ${info?.interpolated ? info.raw.trim() : quote(written)}`,
        fix: fromUrl
          ? `write just the login: - ${fromUrl.toLowerCase()}`
          : 'a Twitch login is 1 to 25 letters, digits or underscores (the name in twitch.tv/<login>)',
      });
      return;
    }
    if (channels.includes(channel)) {
      sink.warn(itemPath, {
        code: 'duplicate-channel',
        message: `channel "${channel}" is listed twice`,
        fix: 'remove one of them',
      });
      return;
    }
    channels.push(channel);
  });
  return channels;
}

/**
 * Reads `scopes`: `all_scopes` (the default, also when the list contains it) or a list of
 * Twitch scopes. A scope Twitch does not know gets a warning with "did you mean".
 *
 * @example
 * ```ts
 * readScopes(['alice', 'scopes'], undefined, sink); // 'all_scopes'
 * readScopes(['alice', 'scopes'], ['chat:read', 'chat:edit'], sink); // ['chat:read', 'chat:edit']
 * ```
 */
export function readScopes(path: Path, value: unknown, sink: IssueSink): 'all_scopes' | string[] {
  if (value === undefined || value === ALL_SCOPES) return ALL_SCOPES;
  if (!Array.isArray(value)) {
    sink.error(path, {
      code: 'bad-scopes',
      message: `expected all_scopes or a list of scopes, got ${describeValue(value, sink.node(path))}`,
      fix:
        typeof value === 'string'
          ? `write it as a list: scopes: [${value}]`
          : 'write scopes: all_scopes, or a list such as scopes: [chat:read, chat:edit]',
    });
    return ALL_SCOPES;
  }
  const scopes: string[] = [];
  value.forEach((item, index) => {
    const itemPath = [...path, index];
    if (typeof item !== 'string' || !(item === ALL_SCOPES || SCOPE_PATTERN.test(item))) {
      sink.error(itemPath, {
        code: 'bad-scope',
        message: `invalid scope ${typeof item === 'string' ? quote(item) : describeValue(item)}`,
        fix: 'a scope looks like chat:read or moderator:read:followers',
      });
      return;
    }
    if (item !== ALL_SCOPES && !KNOWN_TWITCH_SCOPES.includes(item)) {
      const near = suggest(item, KNOWN_TWITCH_SCOPES);
      sink.warn(itemPath, {
        code: 'unknown-scope',
        message: `Twitch has no scope "${item}" that streamcogs knows of`,
        fix: near ? `did you mean "${near}"?` : 'check dev.twitch.tv/docs/authentication/scopes',
      });
    }
    if (!scopes.includes(item)) scopes.push(item);
  });
  if (!scopes.includes(ALL_SCOPES)) return scopes;
  if (scopes.length > 1) {
    sink.warn(path, {
      code: 'redundant-scopes',
      message: 'all_scopes already asks for every scope: the other entries change nothing',
      fix: 'keep only all_scopes, or list exactly the scopes the bot needs',
    });
  }
  return ALL_SCOPES;
}
