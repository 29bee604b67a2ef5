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

type Method = (mw: EventSubMiddleware, id: string) => TwurpleRoute;
function broadcaster(version: string, scopes: readonly string[], on: Method): EventSubTypeInfo {
  return { version, shapes: [B], scopes, route: (mw, c) => on(mw, b(c)) };
}

function moderated(
  version: string,
  scopes: readonly string[],
  on: (mw: EventSubMiddleware, broadcasterId: string, moderatorId: string) => TwurpleRoute,
): EventSubTypeInfo {
  return { version, shapes: [BM], scopes, route: (mw, c) => on(mw, b(c), m(c)) };
}

function perReward(
  scopes: readonly string[],
  all: Method,
  one: (mw: EventSubMiddleware, id: string, reward: string) => TwurpleRoute,
): EventSubTypeInfo {
  return {
    version: '1',
    shapes: [B, BR],
    scopes,
    route: (mw, c) => (c.reward_id ? one(mw, b(c), c.reward_id) : all(mw, b(c))),
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
  'stream.online': broadcaster('1', [], (mw, id) => mw.onStreamOnline(id, ignore)),
  'stream.offline': broadcaster('1', [], (mw, id) => mw.onStreamOffline(id, ignore)),
  'channel.update': broadcaster('2', [], (mw, id) => mw.onChannelUpdate(id, ignore)),
  'channel.follow': moderated('2', ['moderator:read:followers'], (mw, id, mod) =>
    mw.onChannelFollow(id, mod, ignore),
  ),
  'channel.subscribe': broadcaster('1', SUBS, (mw, id) => mw.onChannelSubscription(id, ignore)),
  'channel.subscription.end': broadcaster('1', SUBS, (mw, id) =>
    mw.onChannelSubscriptionEnd(id, ignore),
  ),
  'channel.subscription.gift': broadcaster('1', SUBS, (mw, id) =>
    mw.onChannelSubscriptionGift(id, ignore),
  ),
  'channel.subscription.message': broadcaster('1', SUBS, (mw, id) =>
    mw.onChannelSubscriptionMessage(id, ignore),
  ),
  'channel.cheer': broadcaster('1', ['bits:read'], (mw, id) => mw.onChannelCheer(id, ignore)),
  'channel.raid': {
    version: '1',
    shapes: [['to_broadcaster_user_id'], ['from_broadcaster_user_id']],
    scopes: [],
    route: (mw, c) =>
      c.to_broadcaster_user_id
        ? mw.onChannelRaidTo(c.to_broadcaster_user_id, ignore)
        : mw.onChannelRaidFrom(field(c, 'from_broadcaster_user_id'), ignore),
  },
  'channel.ban': broadcaster('1', ['channel:moderate'], (mw, id) => mw.onChannelBan(id, ignore)),
  'channel.unban': broadcaster('1', ['channel:moderate'], (mw, id) =>
    mw.onChannelUnban(id, ignore),
  ),
  'channel.moderator.add': broadcaster('1', MODERATION, (mw, id) =>
    mw.onChannelModeratorAdd(id, ignore),
  ),
  'channel.moderator.remove': broadcaster('1', MODERATION, (mw, id) =>
    mw.onChannelModeratorRemove(id, ignore),
  ),
  'channel.channel_points_custom_reward.add': broadcaster('1', REDEMPTIONS, (mw, id) =>
    mw.onChannelRewardAdd(id, ignore),
  ),
  'channel.channel_points_custom_reward.update': perReward(
    REDEMPTIONS,
    (mw, id) => mw.onChannelRewardUpdate(id, ignore),
    (mw, id, reward) => mw.onChannelRewardUpdateForReward(id, reward, ignore),
  ),
  'channel.channel_points_custom_reward.remove': perReward(
    REDEMPTIONS,
    (mw, id) => mw.onChannelRewardRemove(id, ignore),
    (mw, id, reward) => mw.onChannelRewardRemoveForReward(id, reward, ignore),
  ),
  'channel.channel_points_custom_reward_redemption.add': perReward(
    REDEMPTIONS,
    (mw, id) => mw.onChannelRedemptionAdd(id, ignore),
    (mw, id, reward) => mw.onChannelRedemptionAddForReward(id, reward, ignore),
  ),
  'channel.channel_points_custom_reward_redemption.update': perReward(
    REDEMPTIONS,
    (mw, id) => mw.onChannelRedemptionUpdate(id, ignore),
    (mw, id, reward) => mw.onChannelRedemptionUpdateForReward(id, reward, ignore),
  ),
  'channel.hype_train.begin': broadcaster('2', HYPE, (mw, id) =>
    mw.onChannelHypeTrainBeginV2(id, ignore),
  ),
  'channel.hype_train.progress': broadcaster('2', HYPE, (mw, id) =>
    mw.onChannelHypeTrainProgressV2(id, ignore),
  ),
  'channel.hype_train.end': broadcaster('2', HYPE, (mw, id) =>
    mw.onChannelHypeTrainEndV2(id, ignore),
  ),
  'channel.poll.begin': broadcaster('1', POLLS, (mw, id) => mw.onChannelPollBegin(id, ignore)),
  'channel.poll.progress': broadcaster('1', POLLS, (mw, id) =>
    mw.onChannelPollProgress(id, ignore),
  ),
  'channel.poll.end': broadcaster('1', POLLS, (mw, id) => mw.onChannelPollEnd(id, ignore)),
  'channel.prediction.begin': broadcaster('1', PREDICTIONS, (mw, id) =>
    mw.onChannelPredictionBegin(id, ignore),
  ),
  'channel.prediction.progress': broadcaster('1', PREDICTIONS, (mw, id) =>
    mw.onChannelPredictionProgress(id, ignore),
  ),
  'channel.prediction.lock': broadcaster('1', PREDICTIONS, (mw, id) =>
    mw.onChannelPredictionLock(id, ignore),
  ),
  'channel.prediction.end': broadcaster('1', PREDICTIONS, (mw, id) =>
    mw.onChannelPredictionEnd(id, ignore),
  ),
  'channel.goal.begin': broadcaster('1', GOALS, (mw, id) => mw.onChannelGoalBegin(id, ignore)),
  'channel.goal.progress': broadcaster('1', GOALS, (mw, id) =>
    mw.onChannelGoalProgress(id, ignore),
  ),
  'channel.goal.end': broadcaster('1', GOALS, (mw, id) => mw.onChannelGoalEnd(id, ignore)),
  'channel.ad_break.begin': broadcaster('1', ['channel:read:ads'], (mw, id) =>
    mw.onChannelAdBreakBegin(id, ignore),
  ),
  'channel.shoutout.create': moderated('1', ['moderator:read:shoutouts'], (mw, id, mod) =>
    mw.onChannelShoutoutCreate(id, mod, ignore),
  ),
  'channel.shoutout.receive': moderated('1', ['moderator:read:shoutouts'], (mw, id, mod) =>
    mw.onChannelShoutoutReceive(id, mod, ignore),
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
