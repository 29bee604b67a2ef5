/**
 * What the server pushes into a room on the console's or a test's request: simulated
 * viewers' profiles, USERNOTICE, CLEARCHAT, CLEARMSG, NOTICE and USERSTATE refreshes.
 *
 * @example
 * ```ts
 * const room = core.rooms.get('#streamer');
 * sendUserNotice(core, room, 'raid', { user: 'raider', viewerCount: 10 });
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { ChatCore } from './chat-core.js';
import type { ChatRoom } from './chat-rooms.js';
import type { SenderProfile } from './chat-tags.js';
import { senderProfile, userStateTags } from './chat-tags.js';
import { formatTags, oneLine } from './irc-line.js';
import type { ViewerIdentity } from './types.js';
import { normalizeLogin } from './user-directory.js';
import type { UserNoticeFieldsByKind, UserNoticeKind } from './user-notice-tags.js';
import { userNoticeTags } from './user-notice-tags.js';

/**
 * A simulated viewer's profile: ids from the user registry, badges from the room
 * (broadcaster, moderators, VIPs) unless the identity says otherwise.
 *
 * @example
 * ```ts
 * viewerProfile(core, room, { login: 'ronni', badges: { subscriber: 3 } }).badges; // 'subscriber/3'
 * ```
 */
export function viewerProfile(
  core: ChatCore,
  room: ChatRoom,
  who: ViewerIdentity | string,
  defaultSubMonths?: number,
): SenderProfile {
  const v = typeof who === 'string' ? { login: who } : who;
  const base = core.users.resolve(normalizeLogin(v.login));
  const user = {
    id: v.userId ?? base.id,
    login: base.login,
    displayName: v.displayName ?? base.displayName,
  };
  const badges = {
    broadcaster: room.login === user.login,
    moderator: room.moderators.has(user.login),
    vip: room.vips.has(user.login),
    ...v.badges,
  };
  if (badges.subscriber === undefined && defaultSubMonths !== undefined) {
    badges.subscriber = defaultSubMonths;
  }
  return senderProfile(user, badges, { color: v.color, badgeInfo: v.badgeInfo });
}

/**
 * Sends a USERNOTICE to the room (clients with twitch.tv/commands) and returns its id.
 *
 * @example
 * ```ts
 * sendUserNotice(core, room, 'sub', { user: 'ronni', plan: 'Prime' });
 * ```
 */
export function sendUserNotice<K extends UserNoticeKind>(
  core: ChatCore,
  room: ChatRoom,
  kind: K,
  fields: UserNoticeFieldsByKind[K],
): string {
  const id = randomUUID();
  const { tags, message } = userNoticeTags(kind, fields, {
    channelLogin: room.login,
    roomId: core.roomIdOf(room),
    id,
    sentAt: core.now(),
    profile: (who, months) => viewerProfile(core, room, who, months),
  });
  const body = `:tmi.twitch.tv USERNOTICE ${room.name}` + (message ? ` :${oneLine(message)}` : '');
  core.broadcast(room, formatTags(tags), body, true);
  return id;
}

/**
 * Sends CLEARCHAT: the whole chat, a ban of `login`, or a timeout when a duration is given.
 *
 * @example
 * ```ts
 * sendClearChat(core, room, 'spammer', 600); // a 10-minute timeout
 * ```
 */
export function sendClearChat(
  core: ChatCore,
  room: ChatRoom,
  login?: string,
  durationSeconds?: number,
): void {
  const tags: Record<string, string> = {};
  if (login && durationSeconds !== undefined) tags['ban-duration'] = String(durationSeconds);
  tags['room-id'] = core.roomIdOf(room);
  if (login) tags['target-user-id'] = core.users.resolve(normalizeLogin(login)).id;
  tags['tmi-sent-ts'] = String(core.now());
  const target = login ? ` :${normalizeLogin(login)}` : '';
  core.broadcast(room, formatTags(tags), `:tmi.twitch.tv CLEARCHAT ${room.name}${target}`, true);
}

/**
 * Sends CLEARMSG for a recent message; returns false (sending nothing) for an unknown id.
 *
 * @example
 * ```ts
 * sendClearMsg(core, room, messageId);
 * ```
 */
export function sendClearMsg(core: ChatCore, room: ChatRoom, messageId: string): boolean {
  const message = room.recent(messageId);
  if (!message) return false;
  const tags = {
    login: message.login,
    'room-id': core.roomIdOf(room),
    'target-msg-id': message.id,
    'tmi-sent-ts': String(core.now()),
  };
  core.broadcast(
    room,
    formatTags(tags),
    `:tmi.twitch.tv CLEARMSG ${room.name} :${message.text}`,
    true,
  );
  return true;
}

/**
 * Sends a NOTICE with a msg-id to the room's connections (only `login`'s when given);
 * returns how many connections got it.
 *
 * @example
 * ```ts
 * sendNotice(core, room, 'msg_followersonly', 'This room is in followers-only mode.');
 * ```
 */
export function sendNotice(
  core: ChatCore,
  room: ChatRoom,
  msgId: string,
  text: string,
  login?: string,
): number {
  const only = login === undefined ? undefined : normalizeLogin(login);
  const tagPart = formatTags({ 'msg-id': msgId });
  const body = `:tmi.twitch.tv NOTICE ${room.name} :${oneLine(text)}`;
  let sent = 0;
  for (const s of room.members) {
    if (only !== undefined && s.login !== only) continue;
    s.sendTagged(tagPart, body);
    sent++;
  }
  return sent;
}

/**
 * Sends a fresh USERSTATE to `login`'s connections in the room (after a mod/VIP change).
 *
 * @example
 * ```ts
 * room.moderators.add('mybot');
 * refreshUserState(core, room, 'mybot');
 * ```
 */
export function refreshUserState(core: ChatCore, room: ChatRoom, login: string): void {
  for (const s of room.members) {
    if (s.login !== login || !s.user || !s.has('twitch.tv/commands')) continue;
    const tags = userStateTags(core.profileIn(room, s.user));
    s.sendTagged(formatTags(tags), `:tmi.twitch.tv USERSTATE ${room.name}`);
  }
}
