import type { Store } from '../../core/index.js';
import type { StreamData, StreamerStatus, TrackedStreamer } from './types.js';

/** A Twitch user as we cache it (ids never change; logins rarely). */
export interface CachedUser {
  id: string;
  login: string;
  display_name: string;
}

/**
 * How long the status of a streamer nobody tracks stays cached.
 *
 * @example
 * ```ts
 * await store.setStatus(status, UNTRACKED_TTL_MS);
 * ```
 */
export const UNTRACKED_TTL_MS = 5 * 60 * 1000;

/**
 * The cog's storage (`<bot>:eventsub`): live status per streamer (`status:<login>`), the
 * streamers added through the API (`streamers`), and a user cache (`user:<login>`).
 *
 * @example
 * ```ts
 * const store = new StatusStore(ctx.storage);
 * await store.setStatus(offlineStatus(user));
 * (await store.status('alice'))?.is_live; // false
 * ```
 */
export class StatusStore {
  constructor(private readonly store: Store) {}

  async status(login: string): Promise<StreamerStatus | undefined> {
    return this.store.get<StreamerStatus>(`status:${login.toLowerCase()}`);
  }

  /** Stores a status; `ttlMs` for streamers nobody tracks. */
  async setStatus(status: StreamerStatus, ttlMs?: number): Promise<void> {
    await this.store.set(`status:${status.username.toLowerCase()}`, status, ttlMs);
  }

  async deleteStatus(login: string): Promise<void> {
    await this.store.delete(`status:${login.toLowerCase()}`);
  }

  /** Streamers added through the API (config ones are not stored). */
  async added(): Promise<TrackedStreamer[]> {
    return (await this.store.get<TrackedStreamer[]>('streamers')) ?? [];
  }

  async setAdded(list: readonly TrackedStreamer[]): Promise<void> {
    await this.store.set('streamers', list);
  }

  async user(login: string): Promise<CachedUser | undefined> {
    return this.store.get<CachedUser>(`user:${login.toLowerCase()}`);
  }

  async setUser(user: CachedUser): Promise<void> {
    await this.store.set(`user:${user.login.toLowerCase()}`, user);
  }

  /** True for the first caller only: announces one transition (online/offline) once. */
  claimTransition(kind: 'online' | 'offline', streamKey: string): Promise<boolean> {
    return this.store.claim(`${kind}:${streamKey}`, 24 * 60 * 60 * 1000);
  }
}

/**
 * A streamer's status when not live (keeping the last stream's data).
 *
 * @example
 * ```ts
 * offlineStatus({ id: '1', login: 'alice', display_name: 'Alice' }, previous, 'stream.offline');
 * ```
 */
export function offlineStatus(
  user: CachedUser,
  previous?: StreamerStatus,
  lastEventType: string | null = previous?.last_event_type ?? null,
): StreamerStatus {
  return {
    user_id: user.id,
    username: user.login,
    display_name: user.display_name,
    is_live: false,
    stream_data: previous?.stream_data ?? null,
    last_updated: new Date().toISOString(),
    last_event_type: lastEventType,
    source: 'storage',
  };
}

/**
 * A streamer's status while live.
 *
 * @example
 * ```ts
 * liveStatus(user, { stream_id: '9', viewer_count: 3, game_id: '', game_name: 'Art', title: 'hi', started_at, type: 'live' }, 'stream.online');
 * ```
 */
export function liveStatus(
  user: CachedUser,
  stream: StreamData,
  lastEventType: string | null,
): StreamerStatus {
  return {
    user_id: user.id,
    username: user.login,
    display_name: user.display_name,
    is_live: true,
    stream_data: stream,
    last_updated: new Date().toISOString(),
    last_event_type: lastEventType,
    source: 'storage',
  };
}
