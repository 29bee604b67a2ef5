import type { PluginContext } from '../../core/index.js';
import type { CachedUser } from './status-store.js';
import type { StreamData } from './types.js';

type Api = PluginContext['twitch']['api'];
type HelixStream = Awaited<ReturnType<Api['streams']['getStreamsByUserIds']>>[number];

/**
 * Helix takes at most 100 ids or logins per call.
 *
 * @example
 * ```ts
 * for (let i = 0; i < ids.length; i += HELIX_BATCH) await fetch100(ids.slice(i, i + HELIX_BATCH));
 * ```
 */
export const HELIX_BATCH = 100;

function chunks<T>(items: readonly T[], size = HELIX_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Looks users up by login, 100 per call. Unknown logins are simply absent.
 *
 * @example
 * ```ts
 * const [alice] = await lookupUsers(ctx.twitch.api, ['alice']);
 * ```
 */
export async function lookupUsers(api: Api, logins: readonly string[]): Promise<CachedUser[]> {
  const users: CachedUser[] = [];
  for (const batch of chunks([...new Set(logins.map((l) => l.toLowerCase()))])) {
    for (const u of await api.users.getUsersByNames(batch))
      users.push({ id: u.id, login: u.name, display_name: u.displayName });
  }
  return users;
}

/**
 * The live streams of the given users, by user id, 100 users per call.
 *
 * @example
 * ```ts
 * const live = await fetchStreams(ctx.twitch.api, ['42', '43']);
 * live.get('42')?.viewer_count;
 * ```
 */
export async function fetchStreams(
  api: Api,
  userIds: readonly string[],
): Promise<Map<string, StreamData>> {
  const live = new Map<string, StreamData>();
  for (const batch of chunks([...new Set(userIds)])) {
    for (const s of await api.streams.getStreamsByUserIds(batch)) live.set(s.userId, streamData(s));
  }
  return live;
}

function streamData(s: HelixStream): StreamData {
  return {
    stream_id: s.id,
    viewer_count: s.viewers,
    game_id: s.gameId,
    game_name: s.gameName,
    title: s.title,
    started_at: s.startDate.toISOString(),
    type: s.type,
  };
}
