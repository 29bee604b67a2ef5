import type { ChatUserstate } from 'tmi.js';
import type { ChatUser } from '../../core/index.js';

/**
 * Builds the sender of a chat line from its IRC tags (no API call).
 *
 * @example
 * ```ts
 * const user = chatUserFromTags('alice', { username: 'bob', 'user-id': '42', badges: { vip: '1' } });
 * user.isVip; // true
 * ```
 */
export function chatUserFromTags(channel: string, tags: ChatUserstate): ChatUser {
  const badges: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags.badges ?? {})) if (v !== undefined) badges[k] = v;
  const login = (tags.username ?? '').toLowerCase();
  const isBroadcaster = 'broadcaster' in badges || login === channel;
  return {
    id: tags['user-id'] ?? '',
    login,
    displayName: tags['display-name'] ?? tags.username ?? login,
    badges,
    isBroadcaster,
    isModerator: isBroadcaster || tags.mod === true || 'moderator' in badges,
    isVip: 'vip' in badges || (tags as { vip?: boolean }).vip === true,
    isSubscriber: tags.subscriber === true || 'subscriber' in badges || 'founder' in badges,
  };
}
