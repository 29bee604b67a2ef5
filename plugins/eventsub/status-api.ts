import { refreshStatuses } from './refresh.js';
import { liveStatus, offlineStatus, UNTRACKED_TTL_MS } from './status-store.js';
import type { StreamTracker } from './tracker.js';
import type { StreamerStatus, StreamStatusApi, TrackResult } from './types.js';

/**
 * Twitch logins: 1-25 letters, digits or underscores.
 *
 * @example
 * ```ts
 * LOGIN.test('shroud'); // true
 * ```
 */
export const LOGIN = /^[a-zA-Z0-9_]{1,25}$/;

/**
 * The stream status service of one bot over its {@link StreamTracker}: what `/api` calls.
 *
 * @example
 * ```ts
 * const api = createStatusApi('alice', tracker);
 * ctx.events.emit('eventsub:api.ready', { bot: 'alice', api });
 * ```
 */
export function createStatusApi(bot: string, tracker: StreamTracker): StreamStatusApi {
  const store = tracker.store;
  return {
    bot,
    async streamers() {
      return [...tracker.tracked.values()].sort((a, b) => a.login.localeCompare(b.login));
    },
    async track(raw): Promise<TrackResult> {
      const login = raw.toLowerCase();
      const known = tracker.tracked.get(login);
      if (known) return { outcome: 'tracking', streamer: known, created: false };
      const [user] = await tracker.resolve([login]);
      if (!user) return { outcome: 'unknown_user' };
      const streamer = tracker.add(user, 'api', false);
      await store.setAdded([...(await store.added()).filter((s) => s.login !== login), streamer]);
      const stream = (await tracker.streams([user.id])).get(user.id);
      const prev = await store.status(login);
      await store.setStatus(stream ? liveStatus(user, stream, null) : offlineStatus(user, prev));
      return { outcome: 'tracking', streamer, created: true };
    },
    async untrack(raw) {
      const login = raw.toLowerCase();
      const known = tracker.tracked.get(login);
      if (!known) return 'not_tracked';
      if (known.source === 'config') return 'configured';
      await tracker.remove(login);
      await store.setAdded((await store.added()).filter((s) => s.login !== login));
      await store.deleteStatus(login);
      return 'removed';
    },
    async status(raw): Promise<StreamerStatus | undefined> {
      const login = raw.toLowerCase();
      const stored = await store.status(login);
      if (stored) return { ...stored, source: 'storage' };
      const [user] = await tracker.resolve([login]);
      if (!user) return undefined;
      const stream = (await tracker.streams([user.id])).get(user.id);
      const status = stream ? liveStatus(user, stream, null) : offlineStatus(user);
      const ttl = tracker.tracked.has(login) ? undefined : UNTRACKED_TTL_MS;
      await store.setStatus(status, ttl);
      return { ...status, source: 'twitch_api' };
    },
    async live() {
      const statuses: StreamerStatus[] = [];
      for (const s of tracker.tracked.values()) {
        const status = await store.status(s.login);
        if (status?.is_live) statuses.push({ ...status, source: 'storage' });
      }
      return statuses;
    },
    async events(limit) {
      return tracker.events.latest(limit);
    },
    refresh: () => refreshStatuses(tracker),
  };
}
