import { liveStatus, offlineStatus, type CachedUser } from './status-store.js';
import type { StreamTracker } from './tracker.js';
import type { RefreshReport } from './types.js';

/**
 * Polls Helix for every tracked streamer (100 per call): refreshes viewers, game and title of
 * live streams, and announces a change EventSub did not deliver (we were down, or a delivery
 * was lost): went live, went offline, or a new stream since the one we knew. Each transition
 * is announced once (claims shared with the EventSub path). A streamer seen for the first
 * time is only recorded: without a previous state there is no transition to announce.
 *
 * @example
 * ```ts
 * ctx.schedule.every(300_000, () => refreshStatuses(tracker));
 * ```
 */
export async function refreshStatuses(tracker: StreamTracker): Promise<RefreshReport> {
  const streamers = [...tracker.tracked.values()];
  const live = await tracker.streams(streamers.map((s) => s.user_id));
  const report: RefreshReport = {
    checked: streamers.length,
    live: live.size,
    wentOnline: [],
    wentOffline: [],
  };
  const now = new Date().toISOString();
  for (const s of streamers) {
    const user: CachedUser = { id: s.user_id, login: s.login, display_name: s.display_name };
    const prev = await tracker.store.status(s.login);
    const stream = live.get(s.user_id);
    const origin = (kind: string, key: string) => ({
      messageId: `refresh:${kind}:${key}`,
      at: now,
      version: '1',
      source: 'refresh' as const,
    });
    if (stream && prev?.is_live && prev.stream_data?.stream_id === stream.stream_id) {
      await tracker.store.setStatus(liveStatus(user, stream, prev.last_event_type));
      continue;
    }
    if (prev?.is_live && prev.stream_data) {
      const key = prev.stream_data.stream_id;
      if (await tracker.announceOffline(user, origin('offline', key), undefined, prev))
        report.wentOffline.push(s.login);
    }
    if (stream && prev) {
      if (await tracker.announceOnline(user, stream, origin('online', stream.stream_id)))
        report.wentOnline.push(s.login);
    } else if (stream) {
      await tracker.store.setStatus(liveStatus(user, stream, null));
    } else if (!prev) {
      await tracker.store.setStatus(offlineStatus(user, undefined, null));
    }
  }
  return report;
}
