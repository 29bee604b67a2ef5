import type { ChatUser, PermissionLevel } from '../platform.js';

const RANK: Record<PermissionLevel, number> = {
  everyone: 0,
  subscriber: 1,
  vip: 2,
  moderator: 3,
  broadcaster: 4,
};

/**
 * The highest level a user holds, from their badges.
 *
 * @example
 * ```ts
 * levelOf({ ...user, isVip: true, isSubscriber: true }); // 'vip'
 * ```
 */
export function levelOf(user: ChatUser): PermissionLevel {
  if (user.isBroadcaster) return 'broadcaster';
  if (user.isModerator) return 'moderator';
  if (user.isVip) return 'vip';
  if (user.isSubscriber) return 'subscriber';
  return 'everyone';
}

/**
 * Whether `user` may run a command needing `required`, with allow and deny lists of logins.
 * VIPs rank above subscribers, as Nightbot and Fossabot do.
 *
 * @example
 * ```ts
 * mayRun(user, 'subscriber', { deny: ['troll'] });
 * ```
 */
export function mayRun(
  user: ChatUser,
  required: PermissionLevel,
  lists: { allow?: readonly string[]; deny?: readonly string[] } = {},
): boolean {
  if (lists.deny?.includes(user.login)) return false;
  if (lists.allow?.includes(user.login)) return true;
  if (required === 'subscriber' && user.isSubscriber) return true;
  return RANK[levelOf(user)] >= RANK[required];
}
