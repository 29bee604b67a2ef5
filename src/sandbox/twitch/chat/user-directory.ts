import { createHash } from 'node:crypto';
import type { ChatUser, UserResolver } from './types.js';

/**
 * A stable numeric Twitch-style user id for a login: 9 digits from SHA-256 of the
 * lower-case login, identical across runs and machines.
 *
 * @example
 * ```ts
 * userIdForLogin('TwitchDev') === userIdForLogin('twitchdev'); // true
 * ```
 */
export function userIdForLogin(login: string): string {
  const digest = createHash('sha256').update(normalizeLogin(login)).digest();
  return String(100_000_000 + (digest.readUInt32BE(0) % 900_000_000));
}

/**
 * Lower-cases a login and strips a leading `#`, `@` or `:`.
 *
 * @example
 * ```ts
 * normalizeLogin('#Streamer'); // 'streamer'
 * ```
 */
export function normalizeLogin(login: string): string {
  return login.replace(/^[#@:]/, '').toLowerCase();
}

/**
 * Lower-cases a channel name and makes sure it starts with `#`.
 *
 * @example
 * ```ts
 * normalizeChannel('Streamer'); // '#streamer'
 * ```
 */
export function normalizeChannel(channel: string): string {
  const lower = channel.toLowerCase();
  return lower.startsWith('#') ? lower : `#${lower}`;
}

/**
 * The default {@link UserResolver}: id from {@link userIdForLogin}, display name = login.
 * Results are cached so repeated lookups are cheap.
 *
 * @example
 * ```ts
 * const users = createDefaultUserResolver();
 * users.resolve('ronni'); // { id: '…', login: 'ronni', displayName: 'ronni' }
 * ```
 */
export function createDefaultUserResolver(): UserResolver {
  const cache = new Map<string, ChatUser>();
  return {
    resolve(login: string): ChatUser {
      const key = normalizeLogin(login);
      let user = cache.get(key);
      if (!user) {
        user = Object.freeze({ id: userIdForLogin(key), login: key, displayName: key });
        if (cache.size >= 100_000) cache.clear();
        cache.set(key, user);
      }
      return user;
    },
  };
}
