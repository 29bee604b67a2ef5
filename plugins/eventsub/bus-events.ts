import type { StreamStatusApi, TwitchBusEvent } from './types.js';

/** `stream.online` v1 event. */
export interface StreamOnlineEvent {
  id: string;
  broadcaster_user_id: string;
  broadcaster_user_login: string;
  broadcaster_user_name: string;
  type: 'live' | 'playlist' | 'watch_party' | 'premiere' | 'rerun';
  started_at: string;
}

/** `stream.offline` v1 event. */
export interface StreamOfflineEvent {
  broadcaster_user_id: string;
  broadcaster_user_login: string;
  broadcaster_user_name: string;
}

/** `channel.update` v2 event. */
export interface ChannelUpdateEvent extends StreamOfflineEvent {
  title: string;
  language: string;
  category_id: string;
  category_name: string;
  content_classification_labels: string[];
}

/** Fields of events caused by a viewer (null when anonymous). */
export interface ViewerFields extends StreamOfflineEvent {
  user_id: string | null;
  user_login: string | null;
  user_name: string | null;
}

/** `channel.raid` v1 event. */
export interface ChannelRaidEvent {
  from_broadcaster_user_id: string;
  from_broadcaster_user_login: string;
  from_broadcaster_user_name: string;
  to_broadcaster_user_id: string;
  to_broadcaster_user_login: string;
  to_broadcaster_user_name: string;
  viewers: number;
}

/** `channel.cheer` v1 event. */
export interface ChannelCheerEvent extends ViewerFields {
  is_anonymous: boolean;
  message: string;
  bits: number;
}

/** `channel.subscribe` v1 event. */
export interface ChannelSubscribeEvent extends ViewerFields {
  tier: string;
  is_gift: boolean;
}

/** `channel.channel_points_custom_reward_redemption.add` v1 event. */
export interface RedemptionAddEvent extends ViewerFields {
  id: string;
  user_input: string;
  status: string;
  reward: { id: string; title: string; cost: number; prompt: string };
  redeemed_at: string;
}

type Raw = Record<string, unknown>;

declare module '../../core/events.js' {
  interface EventMap {
    /** The eventsub cog of `bot` serves the /api stream status service. */
    'eventsub:api.ready': { bot: string; api: StreamStatusApi };
    /** The eventsub cog of `bot` stopped. */
    'eventsub:api.stopped': { bot: string };
    'twitch:stream.online': TwitchBusEvent<StreamOnlineEvent>;
    'twitch:stream.offline': TwitchBusEvent<StreamOfflineEvent>;
    'twitch:channel.update': TwitchBusEvent<ChannelUpdateEvent>;
    'twitch:channel.follow': TwitchBusEvent<ViewerFields & { followed_at: string }>;
    'twitch:channel.subscribe': TwitchBusEvent<ChannelSubscribeEvent>;
    'twitch:channel.subscription.end': TwitchBusEvent<ChannelSubscribeEvent>;
    'twitch:channel.subscription.gift': TwitchBusEvent<
      ViewerFields & { total: number; tier: string }
    >;
    'twitch:channel.subscription.message': TwitchBusEvent<ViewerFields & { tier: string }>;
    'twitch:channel.cheer': TwitchBusEvent<ChannelCheerEvent>;
    'twitch:channel.raid': TwitchBusEvent<ChannelRaidEvent>;
    'twitch:channel.ban': TwitchBusEvent<Raw>;
    'twitch:channel.unban': TwitchBusEvent<Raw>;
    'twitch:channel.moderator.add': TwitchBusEvent<Raw>;
    'twitch:channel.moderator.remove': TwitchBusEvent<Raw>;
    'twitch:channel.channel_points_custom_reward.add': TwitchBusEvent<Raw>;
    'twitch:channel.channel_points_custom_reward.update': TwitchBusEvent<Raw>;
    'twitch:channel.channel_points_custom_reward.remove': TwitchBusEvent<Raw>;
    'twitch:channel.channel_points_custom_reward_redemption.add': TwitchBusEvent<RedemptionAddEvent>;
    'twitch:channel.channel_points_custom_reward_redemption.update': TwitchBusEvent<RedemptionAddEvent>;
    'twitch:channel.hype_train.begin': TwitchBusEvent<Raw>;
    'twitch:channel.hype_train.progress': TwitchBusEvent<Raw>;
    'twitch:channel.hype_train.end': TwitchBusEvent<Raw>;
    'twitch:channel.poll.begin': TwitchBusEvent<Raw>;
    'twitch:channel.poll.progress': TwitchBusEvent<Raw>;
    'twitch:channel.poll.end': TwitchBusEvent<Raw>;
    'twitch:channel.prediction.begin': TwitchBusEvent<Raw>;
    'twitch:channel.prediction.progress': TwitchBusEvent<Raw>;
    'twitch:channel.prediction.lock': TwitchBusEvent<Raw>;
    'twitch:channel.prediction.end': TwitchBusEvent<Raw>;
    'twitch:channel.goal.begin': TwitchBusEvent<Raw>;
    'twitch:channel.goal.progress': TwitchBusEvent<Raw>;
    'twitch:channel.goal.end': TwitchBusEvent<Raw>;
    'twitch:channel.ad_break.begin': TwitchBusEvent<Raw>;
    'twitch:channel.shoutout.create': TwitchBusEvent<Raw>;
    'twitch:channel.shoutout.receive': TwitchBusEvent<Raw>;
  }
}

/**
 * The bus name an EventSub type is republished under.
 *
 * @example
 * ```ts
 * busName('stream.online'); // 'twitch:stream.online'
 * ```
 */
export function busName(type: string): 'twitch:stream.online' {
  // Every type the cog subscribes to has a key above; the cast keeps one emit call site.
  return `twitch:${type}` as 'twitch:stream.online';
}
