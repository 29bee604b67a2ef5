/**
 * USERNOTICE tags for subs, resubs, gifted subs and raids: msg-id, msg-param-* and system-msg
 * as Twitch sends them (dev.twitch.tv/docs/irc/tags#usernotice-tags).
 *
 * @example
 * ```ts
 * const { tags } = userNoticeTags('raid', { user: 'raider', viewerCount: 42 }, context);
 * tags['msg-param-viewerCount']; // '42'
 * ```
 */
import type { SenderProfile } from './chat-tags.js';
import type { ViewerIdentity } from './types.js';

/**
 * A subscription plan: Prime or a tier in Twitch's notation.
 *
 * @example
 * ```ts
 * const tier2: SubPlan = '2000';
 * ```
 */
export type SubPlan = 'Prime' | '1000' | '2000' | '3000';

/**
 * Fields of a first subscription (`msg-id=sub`).
 *
 * @example
 * ```ts
 * const f: SubNoticeFields = { user: 'ronni', plan: 'Prime', message: 'hi!' };
 * ```
 */
export interface SubNoticeFields {
  /** The subscriber. */
  user: ViewerIdentity | string;
  /** Default `'1000'` (Tier 1). */
  plan?: SubPlan;
  /** Default `Channel Subscription (<channel>)`. */
  planName?: string;
  /** The subscriber's own message, if any. */
  message?: string;
}

/**
 * Fields of a resubscription (`msg-id=resub`); `streakMonths` is shared only when given.
 *
 * @example
 * ```ts
 * const f: ResubNoticeFields = { user: 'ronni', cumulativeMonths: 6, streakMonths: 2 };
 * ```
 */
export interface ResubNoticeFields extends SubNoticeFields {
  cumulativeMonths: number;
  streakMonths?: number;
}

/**
 * Fields of a gifted subscription (`msg-id=subgift`); `user` is the gifter.
 *
 * @example
 * ```ts
 * const f: SubGiftNoticeFields = { user: 'tww2', recipient: 'mr_woodchuck', senderCount: 5 };
 * ```
 */
export interface SubGiftNoticeFields {
  user: ViewerIdentity | string;
  recipient: ViewerIdentity | string;
  plan?: Exclude<SubPlan, 'Prime'>;
  planName?: string;
  /** The recipient's total months; default 1. */
  months?: number;
  /** Months gifted at once; default 1. */
  giftMonths?: number;
  /** Gifts the gifter has given in the channel; omitted from system-msg when absent. */
  senderCount?: number;
}

/**
 * Fields of a raid (`msg-id=raid`); `user` is the raiding broadcaster.
 *
 * @example
 * ```ts
 * const f: RaidNoticeFields = { user: 'testchannel', viewerCount: 15 };
 * ```
 */
export interface RaidNoticeFields {
  user: ViewerIdentity | string;
  viewerCount: number;
}

/**
 * Fields per USERNOTICE kind, for {@link TwitchChatServer.userNotice}.
 *
 * @example
 * ```ts
 * const f: UserNoticeFieldsByKind['raid'] = { user: 'x', viewerCount: 3 };
 * ```
 */
export interface UserNoticeFieldsByKind {
  sub: SubNoticeFields;
  resub: ResubNoticeFields;
  subgift: SubGiftNoticeFields;
  raid: RaidNoticeFields;
}

/**
 * The USERNOTICE kinds the simulator can send.
 *
 * @example
 * ```ts
 * const kind: UserNoticeKind = 'subgift';
 * ```
 */
export type UserNoticeKind = keyof UserNoticeFieldsByKind;

/**
 * What {@link userNoticeTags} needs from the server.
 *
 * @example
 * ```ts
 * const ctx: UserNoticeContext = { channelLogin: 'dallas', roomId: '1', id: 'uuid', sentAt: 0, profile };
 * ```
 */
export interface UserNoticeContext {
  channelLogin: string;
  roomId: string;
  id: string;
  sentAt: number;
  /** Resolves an identity, with default badges for the notice, into a sender profile. */
  profile: (who: ViewerIdentity | string, defaultSubMonths?: number) => SenderProfile;
}

const planText = (plan: SubPlan): string =>
  plan === 'Prime' ? 'with Prime' : `at Tier ${plan.charAt(0)}`;

/**
 * Builds the tags and the optional trailing message of a USERNOTICE.
 *
 * @example
 * ```ts
 * userNoticeTags('sub', { user: 'ronni', plan: 'Prime' }, ctx).tags['system-msg']; // 'ronni subscribed with Prime.'
 * ```
 */
export function userNoticeTags<K extends UserNoticeKind>(
  kind: K,
  fields: UserNoticeFieldsByKind[K],
  ctx: UserNoticeContext,
): { tags: Record<string, string>; message?: string } {
  const f = fields as UserNoticeFieldsByKind[UserNoticeKind];
  const params: Record<string, string> = {};
  let sender: SenderProfile;
  let systemMsg: string;
  let message: string | undefined;
  if (kind === 'sub' || kind === 'resub') {
    const s = f as ResubNoticeFields;
    const months = kind === 'sub' ? 1 : s.cumulativeMonths;
    sender = ctx.profile(s.user, kind === 'sub' ? 0 : months);
    const plan = s.plan ?? '1000';
    const streak = kind === 'resub' ? s.streakMonths : undefined;
    params['msg-param-cumulative-months'] = String(months);
    params['msg-param-months'] = '0';
    params['msg-param-multimonth-duration'] = '0';
    params['msg-param-multimonth-tenure'] = '0';
    params['msg-param-should-share-streak'] = streak === undefined ? '0' : '1';
    if (streak !== undefined) params['msg-param-streak-months'] = String(streak);
    params['msg-param-sub-plan'] = plan;
    params['msg-param-sub-plan-name'] = s.planName ?? `Channel Subscription (${ctx.channelLogin})`;
    params['msg-param-was-gifted'] = 'false';
    const name = sender.user.displayName;
    systemMsg =
      kind === 'sub'
        ? `${name} subscribed ${planText(plan)}.`
        : `${name} subscribed ${planText(plan)}. They've subscribed for ${months} months` +
          (streak === undefined ? '!' : `, currently on a ${streak} month streak!`);
    message = s.message;
  } else if (kind === 'subgift') {
    const g = f as SubGiftNoticeFields;
    sender = ctx.profile(g.user);
    const recipient = ctx.profile(g.recipient).user;
    const plan = g.plan ?? '1000';
    params['msg-param-gift-months'] = String(g.giftMonths ?? 1);
    params['msg-param-months'] = String(g.months ?? 1);
    params['msg-param-origin-id'] = ctx.id;
    params['msg-param-recipient-display-name'] = recipient.displayName;
    params['msg-param-recipient-id'] = recipient.id;
    params['msg-param-recipient-user-name'] = recipient.login;
    params['msg-param-sender-count'] = String(g.senderCount ?? 0);
    params['msg-param-sub-plan'] = plan;
    params['msg-param-sub-plan-name'] = g.planName ?? `Channel Subscription (${ctx.channelLogin})`;
    systemMsg =
      `${sender.user.displayName} gifted a Tier ${plan.charAt(0)} sub to ${recipient.displayName}!` +
      (g.senderCount ? ` They have given ${g.senderCount} Gift Subs in the channel!` : '');
  } else {
    const r = f as RaidNoticeFields;
    sender = ctx.profile(r.user);
    params['msg-param-displayName'] = sender.user.displayName;
    params['msg-param-login'] = sender.user.login;
    params['msg-param-profileImageURL'] =
      `https://static-cdn.jtvnw.net/jtv_user_pictures/${sender.user.login}-profile_image-70x70.png`;
    params['msg-param-viewerCount'] = String(r.viewerCount);
    systemMsg = `${r.viewerCount} raiders from ${sender.user.displayName} have joined!`;
  }
  const tags: Record<string, string> = {
    'badge-info': sender.badgeInfo,
    badges: sender.badges,
    color: sender.color,
    'display-name': sender.user.displayName,
    emotes: '',
    flags: '',
    id: ctx.id,
    login: sender.user.login,
    mod: sender.mod ? '1' : '0',
    'msg-id': kind,
    ...params,
    'room-id': ctx.roomId,
    subscriber: sender.subscriber ? '1' : '0',
    'system-msg': systemMsg,
    'tmi-sent-ts': String(ctx.sentAt),
    'user-id': sender.user.id,
    'user-type': sender.mod ? 'mod' : '',
  };
  if (sender.vip) tags.vip = '1';
  return message === undefined ? { tags } : { tags, message };
}
