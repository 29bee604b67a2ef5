/** EventSub payload builders for stream and channel events (online, offline, update, follow, raid). */
import { broadcaster, note, viewer } from './payload-parts.js';
import type { UserRef, WorldNotification } from './payload-parts.js';

/**
 * `stream.online` v1.
 *
 * @example
 * ```ts
 * const n = streamOnline(user, '40001', new Date().toISOString(), 'live');
 * ```
 */
export function streamOnline(
  user: UserRef,
  streamId: string,
  startedAt: string,
  type: 'live' | 'rerun',
): WorldNotification {
  return note(
    'stream.online',
    '1',
    { broadcaster_user_id: user.id },
    { id: streamId, ...broadcaster(user), type, started_at: startedAt },
  );
}

/**
 * `stream.offline` v1.
 *
 * @example
 * ```ts
 * const n = streamOffline(user);
 * ```
 */
export function streamOffline(user: UserRef): WorldNotification {
  return note('stream.offline', '1', { broadcaster_user_id: user.id }, broadcaster(user));
}

/**
 * `channel.update` v2.
 *
 * @example
 * ```ts
 * const n = channelUpdate(user, { title: 't', language: 'en', categoryId: '509658', categoryName: 'Just Chatting', labels: [] });
 * ```
 */
export function channelUpdate(
  user: UserRef,
  info: {
    title: string;
    language: string;
    categoryId: string;
    categoryName: string;
    labels: string[];
  },
): WorldNotification {
  return note(
    'channel.update',
    '2',
    { broadcaster_user_id: user.id },
    {
      ...broadcaster(user),
      title: info.title,
      language: info.language,
      category_id: info.categoryId,
      category_name: info.categoryName,
      content_classification_labels: info.labels,
    },
  );
}

/**
 * `channel.follow` v2.
 *
 * @example
 * ```ts
 * const n = channelFollow(streamer, fan, new Date().toISOString());
 * ```
 */
export function channelFollow(
  channel: UserRef,
  user: UserRef,
  followedAt: string,
): WorldNotification {
  return note(
    'channel.follow',
    '2',
    { broadcaster_user_id: channel.id },
    { ...viewer(user), ...broadcaster(channel), followed_at: followedAt },
  );
}

/**
 * `channel.raid` v1 (matches subscriptions on either the raiding or the raided channel).
 *
 * @example
 * ```ts
 * const n = channelRaid(from, to, 42);
 * ```
 */
export function channelRaid(from: UserRef, to: UserRef, viewers: number): WorldNotification {
  return note(
    'channel.raid',
    '1',
    { from_broadcaster_user_id: from.id, to_broadcaster_user_id: to.id },
    {
      ...broadcaster(from, 'from_broadcaster_user'),
      ...broadcaster(to, 'to_broadcaster_user'),
      viewers,
    },
  );
}
