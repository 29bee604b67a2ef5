/**
 * Builders for the IRCv3 tags Twitch puts on PRIVMSG, USERSTATE, GLOBALUSERSTATE and ROOMSTATE.
 * Keys come out in alphabetical order, as Twitch sends them.
 *
 * @example
 * ```ts
 * const sender = senderProfile({ id: '1', login: 'ronni', displayName: 'Ronni' }, { moderator: true });
 * sender.badges; // 'moderator/1'
 * ```
 */
import type { ChatUser, ViewerBadges } from './types.js';

/**
 * Everything about a sender that its tags need, computed once per message.
 *
 * @example
 * ```ts
 * const p: SenderProfile = senderProfile({ id: '1', login: 'a', displayName: 'A' }, {});
 * ```
 */
export interface SenderProfile {
  user: ChatUser;
  color: string;
  badges: string;
  badgeInfo: string;
  mod: boolean;
  subscriber: boolean;
  vip: boolean;
}

/**
 * Computes badge strings and flags. Badge order is broadcaster, moderator, vip, subscriber;
 * the subscriber badge version is the month count given, badge-info carries the exact months.
 *
 * @example
 * ```ts
 * senderProfile(user, { subscriber: 6 }).badgeInfo; // 'subscriber/6'
 * ```
 */
export function senderProfile(
  user: ChatUser,
  badges: ViewerBadges,
  extra: { color?: string; badgeInfo?: Record<string, string | number> } = {},
): SenderProfile {
  const list: string[] = [];
  if (badges.broadcaster) list.push('broadcaster/1');
  if (badges.moderator) list.push('moderator/1');
  if (badges.vip) list.push('vip/1');
  const subscriber = badges.subscriber !== undefined && badges.subscriber >= 0;
  if (subscriber) list.push(`subscriber/${badges.subscriber}`);
  const info = extra.badgeInfo
    ? Object.entries(extra.badgeInfo).map(([k, v]) => `${k}/${v}`)
    : subscriber
      ? [`subscriber/${badges.subscriber}`]
      : [];
  return {
    user,
    color: extra.color ?? '',
    badges: list.join(','),
    badgeInfo: info.join(','),
    mod: badges.moderator === true,
    subscriber,
    vip: badges.vip === true,
  };
}

/**
 * The reply-parent-* / reply-thread-parent-* tags of a reply.
 *
 * @example
 * ```ts
 * const r: ReplyTags = { 'reply-parent-msg-id': 'abc' };
 * ```
 */
export type ReplyTags = Record<string, string>;

/**
 * Per-message facts for {@link privmsgTags}.
 *
 * @example
 * ```ts
 * const m: PrivmsgFacts = { id: 'uuid', roomId: '1', sentAt: 0, firstMsg: false, returningChatter: false };
 * ```
 */
export interface PrivmsgFacts {
  id: string;
  roomId: string;
  sentAt: number;
  firstMsg: boolean;
  returningChatter: boolean;
  clientNonce?: string;
  reply?: ReplyTags;
}

const flag = (b: boolean): string => (b ? '1' : '0');

/**
 * Tags of a channel PRIVMSG, as Twitch sends them to the other chatters.
 *
 * @example
 * ```ts
 * privmsgTags(senderProfile(user, {}), { id, roomId, sentAt: Date.now(), firstMsg: false, returningChatter: false });
 * ```
 */
export function privmsgTags(p: SenderProfile, m: PrivmsgFacts): Record<string, string> {
  const tags: Record<string, string> = { 'badge-info': p.badgeInfo, badges: p.badges };
  if (m.clientNonce !== undefined) tags['client-nonce'] = m.clientNonce;
  tags.color = p.color;
  tags['display-name'] = p.user.displayName;
  tags.emotes = '';
  tags['first-msg'] = flag(m.firstMsg);
  tags.flags = '';
  tags.id = m.id;
  tags.mod = flag(p.mod);
  if (m.reply) Object.assign(tags, m.reply);
  tags['returning-chatter'] = flag(m.returningChatter);
  tags['room-id'] = m.roomId;
  tags.subscriber = flag(p.subscriber);
  tags['tmi-sent-ts'] = String(m.sentAt);
  tags.turbo = '0';
  tags['user-id'] = p.user.id;
  tags['user-type'] = p.mod ? 'mod' : '';
  if (p.vip) tags.vip = '1';
  return tags;
}

/**
 * USERSTATE tags for the connected account in a channel (after JOIN and after each PRIVMSG;
 * pass the message id for the latter).
 *
 * @example
 * ```ts
 * userStateTags(senderProfile(bot, { broadcaster: true })); // badges: 'broadcaster/1', mod: '0'
 * ```
 */
export function userStateTags(p: SenderProfile, messageId?: string): Record<string, string> {
  const tags: Record<string, string> = {
    'badge-info': p.badgeInfo,
    badges: p.badges,
    color: p.color,
    'display-name': p.user.displayName,
    'emote-sets': '0',
  };
  if (messageId !== undefined) tags.id = messageId;
  tags.mod = flag(p.mod);
  tags.subscriber = flag(p.subscriber);
  tags['user-type'] = p.mod ? 'mod' : '';
  return tags;
}

/**
 * GLOBALUSERSTATE tags sent after login.
 *
 * @example
 * ```ts
 * globalUserStateTags(bot)['user-id']; // bot.id
 * ```
 */
export function globalUserStateTags(user: ChatUser): Record<string, string> {
  return {
    'badge-info': '',
    badges: '',
    color: '',
    'display-name': user.displayName,
    'emote-sets': '0',
    'user-id': user.id,
    'user-type': '',
  };
}

/**
 * ROOMSTATE tags of a room with every mode off (sent after JOIN).
 *
 * @example
 * ```ts
 * roomStateTags('12345')['followers-only']; // '-1'
 * ```
 */
export function roomStateTags(roomId: string): Record<string, string> {
  return {
    'emote-only': '0',
    'followers-only': '-1',
    r9k: '0',
    'room-id': roomId,
    slow: '0',
    'subs-only': '0',
  };
}
