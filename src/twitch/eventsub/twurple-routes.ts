import type { EventSubMiddleware } from '@twurple/eventsub-http';
import type { Condition } from './keys.js';
import { EventSubError } from './errors.js';

/** What twurple keeps for one routed subscription: its URL id, and how to drop it. */
export interface TwurpleRoute {
  /** The id in the callback URL, e.g. `stream.online.42`. */
  readonly id: string;
  stop(): void;
}

/** How one EventSub type is subscribed, routed and authorized. */
export interface EventSubTypeInfo {
  /** The version we subscribe to. */
  version: string;
  /** Allowed condition shapes: every field of one shape must be present, no other field. */
  shapes: readonly (readonly string[])[];
  /** Scopes the authorizing user must have granted to the app (any of them); empty: none. */
  scopes: readonly string[];
  /** Registers the routing entry with twurple (its handler is never called, see twurple-hooks). */
  route(mw: EventSubMiddleware, c: Condition): TwurpleRoute;
}

const ignore = (): void => {};
const B = ['broadcaster_user_id'] as const;
const BM = ['broadcaster_user_id', 'moderator_user_id'] as const;
const BR = ['broadcaster_user_id', 'reward_id'] as const;
const field = (c: Condition, name: string): string => c[name] as string;
const b = (c: Condition): string => field(c, 'broadcaster_user_id');
const m = (c: Condition): string => field(c, 'moderator_user_id');

/** The names of twurple's `onX(broadcaster, handler)` methods. */
type ByBroadcaster = {
  [K in keyof EventSubMiddleware]: EventSubMiddleware[K] extends (
    id: string,
    handler: typeof ignore,
  ) => TwurpleRoute
    ? K
    : never;
}[keyof EventSubMiddleware];

/** The names of twurple's `onX(broadcaster, moderator or reward, handler)` methods. */
type ByBroadcasterAnd = {
  [K in keyof EventSubMiddleware]: EventSubMiddleware[K] extends (
    id: string,
    other: string,
    handler: typeof ignore,
  ) => TwurpleRoute
    ? K
    : never;
}[keyof EventSubMiddleware];

function broadcaster(
  version: string,
  scopes: readonly string[],
  on: ByBroadcaster,
): EventSubTypeInfo {
  return { version, shapes: [B], scopes, route: (mw, c) => mw[on](b(c), ignore) };
}

function moderated(
  version: string,
  scopes: readonly string[],
  on: ByBroadcasterAnd,
): EventSubTypeInfo {
  return { version, shapes: [BM], scopes, route: (mw, c) => mw[on](b(c), m(c), ignore) };
}

function perReward(
  scopes: readonly string[],
  all: ByBroadcaster,
  one: ByBroadcasterAnd,
): EventSubTypeInfo {
  return {
    version: '1',
    shapes: [B, BR],
    scopes,
    route: (mw, c) => (c.reward_id ? mw[one](b(c), c.reward_id, ignore) : mw[all](b(c), ignore)),
  };
}

const SUBS = ['channel:read:subscriptions'];
const REDEMPTIONS = ['channel:read:redemptions', 'channel:manage:redemptions'];
const MODERATION = ['moderation:read', 'channel:manage:moderators'];
const HYPE = ['channel:read:hype_train'];
const POLLS = ['channel:read:polls', 'channel:manage:polls'];
const PREDICTIONS = ['channel:read:predictions', 'channel:manage:predictions'];
const GOALS = ['channel:read:goals'];

/**
 * The EventSub types cogs may subscribe to, by Twitch name. Twurple routes deliveries by the
 * id in the callback URL; each entry registers that id through twurple's public `onX` method.
 *
 * @example
 * ```ts
 * Object.keys(EVENTSUB_TYPES).includes('channel.cheer'); // true
 * ```
 */
export const EVENTSUB_TYPES: Readonly<Record<string, EventSubTypeInfo>> = {
  'stream.online': broadcaster('1', [], 'onStreamOnline'),
  'stream.offline': broadcaster('1', [], 'onStreamOffline'),
  'channel.update': broadcaster('2', [], 'onChannelUpdate'),
  'channel.follow': moderated('2', ['moderator:read:followers'], 'onChannelFollow'),
  'channel.subscribe': broadcaster('1', SUBS, 'onChannelSubscription'),
  'channel.subscription.end': broadcaster('1', SUBS, 'onChannelSubscriptionEnd'),
  'channel.subscription.gift': broadcaster('1', SUBS, 'onChannelSubscriptionGift'),
  'channel.subscription.message': broadcaster('1', SUBS, 'onChannelSubscriptionMessage'),
  'channel.cheer': broadcaster('1', ['bits:read'], 'onChannelCheer'),
  'channel.raid': {
    version: '1',
    shapes: [['to_broadcaster_user_id'], ['from_broadcaster_user_id']],
    scopes: [],
    route: (mw, c) =>
      c.to_broadcaster_user_id
        ? mw.onChannelRaidTo(c.to_broadcaster_user_id, ignore)
        : mw.onChannelRaidFrom(field(c, 'from_broadcaster_user_id'), ignore),
  },
  'channel.ban': broadcaster('1', ['channel:moderate'], 'onChannelBan'),
  'channel.unban': broadcaster('1', ['channel:moderate'], 'onChannelUnban'),
  'channel.moderator.add': broadcaster('1', MODERATION, 'onChannelModeratorAdd'),
  'channel.moderator.remove': broadcaster('1', MODERATION, 'onChannelModeratorRemove'),
  'channel.channel_points_custom_reward.add': broadcaster('1', REDEMPTIONS, 'onChannelRewardAdd'),
  'channel.channel_points_custom_reward.update': perReward(
    REDEMPTIONS,
    'onChannelRewardUpdate',
    'onChannelRewardUpdateForReward',
  ),
  'channel.channel_points_custom_reward.remove': perReward(
    REDEMPTIONS,
    'onChannelRewardRemove',
    'onChannelRewardRemoveForReward',
  ),
  'channel.channel_points_custom_reward_redemption.add': perReward(
    REDEMPTIONS,
    'onChannelRedemptionAdd',
    'onChannelRedemptionAddForReward',
  ),
  'channel.channel_points_custom_reward_redemption.update': perReward(
    REDEMPTIONS,
    'onChannelRedemptionUpdate',
    'onChannelRedemptionUpdateForReward',
  ),
  'channel.hype_train.begin': broadcaster('2', HYPE, 'onChannelHypeTrainBeginV2'),
  'channel.hype_train.progress': broadcaster('2', HYPE, 'onChannelHypeTrainProgressV2'),
  'channel.hype_train.end': broadcaster('2', HYPE, 'onChannelHypeTrainEndV2'),
  'channel.poll.begin': broadcaster('1', POLLS, 'onChannelPollBegin'),
  'channel.poll.progress': broadcaster('1', POLLS, 'onChannelPollProgress'),
  'channel.poll.end': broadcaster('1', POLLS, 'onChannelPollEnd'),
  'channel.prediction.begin': broadcaster('1', PREDICTIONS, 'onChannelPredictionBegin'),
  'channel.prediction.progress': broadcaster('1', PREDICTIONS, 'onChannelPredictionProgress'),
  'channel.prediction.lock': broadcaster('1', PREDICTIONS, 'onChannelPredictionLock'),
  'channel.prediction.end': broadcaster('1', PREDICTIONS, 'onChannelPredictionEnd'),
  'channel.goal.begin': broadcaster('1', GOALS, 'onChannelGoalBegin'),
  'channel.goal.progress': broadcaster('1', GOALS, 'onChannelGoalProgress'),
  'channel.goal.end': broadcaster('1', GOALS, 'onChannelGoalEnd'),
  'channel.ad_break.begin': broadcaster('1', ['channel:read:ads'], 'onChannelAdBreakBegin'),
  'channel.shoutout.create': moderated(
    '1',
    ['moderator:read:shoutouts'],
    'onChannelShoutoutCreate',
  ),
  'channel.shoutout.receive': moderated(
    '1',
    ['moderator:read:shoutouts'],
    'onChannelShoutoutReceive',
  ),
  'user.update': {
    version: '1',
    shapes: [['user_id']],
    scopes: [],
    route: (mw, c) => mw.onUserUpdate(field(c, 'user_id'), ignore),
  },
};

/**
 * Looks a type up and checks the condition against its allowed shapes; throws an
 * {@link EventSubError} naming what is wrong.
 *
 * @example
 * ```ts
 * const info = eventSubType('stream.online', { broadcaster_user_id: '42' });
 * info.version; // '1'
 * ```
 */
export function eventSubType(type: string, condition: Condition): EventSubTypeInfo {
  const info = EVENTSUB_TYPES[type];
  if (!info)
    throw new EventSubError(
      'EVENTSUB_UNKNOWN_TYPE',
      `EventSub type "${type}" is not supported`,
      `use one of: ${Object.keys(EVENTSUB_TYPES).join(', ')}`,
    );
  const given = Object.keys(condition)
    .filter((k) => condition[k])
    .sort();
  const fits = info.shapes.some(
    (shape) => shape.length === given.length && [...shape].sort().every((f, i) => f === given[i]),
  );
  if (!fits)
    throw new EventSubError(
      'EVENTSUB_BAD_CONDITION',
      `condition {${given.join(', ')}} does not fit "${type}"`,
      `give exactly ${info.shapes.map((s) => `{${s.join(', ')}}`).join(' or ')}`,
    );
  return info;
}
