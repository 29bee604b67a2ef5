/** Which condition an event type takes, built from the channel's user id. */
export type ConditionKind = 'broadcaster' | 'broadcaster+moderator' | 'to_broadcaster';

/** A Twitch EventSub type this cog can subscribe to for a channel. */
export interface ChannelEventType {
  type: string;
  condition: ConditionKind;
}

const t = (type: string, condition: ConditionKind = 'broadcaster'): ChannelEventType => ({
  type,
  condition,
});

/**
 * Twitch's own names, for the bot's channels.
 *
 * @example
 * ```ts
 * TWITCH_EVENT_TYPES['channel.raid']?.condition; // 'to_broadcaster'
 * ```
 */
export const TWITCH_EVENT_TYPES: Readonly<Record<string, ChannelEventType>> = Object.fromEntries(
  [
    t('stream.online'),
    t('stream.offline'),
    t('channel.update'),
    t('channel.follow', 'broadcaster+moderator'),
    t('channel.subscribe'),
    t('channel.subscription.end'),
    t('channel.subscription.gift'),
    t('channel.subscription.message'),
    t('channel.cheer'),
    t('channel.raid', 'to_broadcaster'),
    t('channel.ban'),
    t('channel.unban'),
    t('channel.moderator.add'),
    t('channel.moderator.remove'),
    t('channel.channel_points_custom_reward.add'),
    t('channel.channel_points_custom_reward.update'),
    t('channel.channel_points_custom_reward.remove'),
    t('channel.channel_points_custom_reward_redemption.add'),
    t('channel.channel_points_custom_reward_redemption.update'),
    t('channel.hype_train.begin'),
    t('channel.hype_train.progress'),
    t('channel.hype_train.end'),
    t('channel.poll.begin'),
    t('channel.poll.progress'),
    t('channel.poll.end'),
    t('channel.prediction.begin'),
    t('channel.prediction.progress'),
    t('channel.prediction.lock'),
    t('channel.prediction.end'),
    t('channel.goal.begin'),
    t('channel.goal.progress'),
    t('channel.goal.end'),
    t('channel.ad_break.begin'),
    t('channel.shoutout.create', 'broadcaster+moderator'),
    t('channel.shoutout.receive', 'broadcaster+moderator'),
  ].map((e) => [e.type, e]),
);

/**
 * twitch-creamery's event names (its `cogs/eventsub.py`), and the obvious variants.
 *
 * @example
 * ```ts
 * CREAMERY_EVENT_NAMES.channel_stream_start; // 'stream.online'
 * ```
 */
export const CREAMERY_EVENT_NAMES: Readonly<Record<string, string>> = {
  channel_raid: 'channel.raid',
  channel_ban: 'channel.ban',
  channel_unban: 'channel.unban',
  channel_subscription: 'channel.subscribe',
  channel_subscribe: 'channel.subscribe',
  channel_subscription_end: 'channel.subscription.end',
  channel_subscription_gift: 'channel.subscription.gift',
  channel_subscription_message: 'channel.subscription.message',
  channel_cheers: 'channel.cheer',
  channel_cheer: 'channel.cheer',
  channel_update: 'channel.update',
  channel_follow: 'channel.follow',
  channel_moderators_add: 'channel.moderator.add',
  channel_moderators_remove: 'channel.moderator.remove',
  channel_hypetrain_begin: 'channel.hype_train.begin',
  channel_hypetrain_progress: 'channel.hype_train.progress',
  channel_hypetrain_end: 'channel.hype_train.end',
  channel_stream_start: 'stream.online',
  channel_stream_end: 'stream.offline',
  channel_points_reward_added: 'channel.channel_points_custom_reward.add',
  channel_points_reward_updated: 'channel.channel_points_custom_reward.update',
  channel_points_reward_removed: 'channel.channel_points_custom_reward.remove',
  channel_points_redeemed: 'channel.channel_points_custom_reward_redemption.add',
  channel_points_redeem_updated: 'channel.channel_points_custom_reward_redemption.update',
  channel_poll_begin: 'channel.poll.begin',
  channel_poll_progress: 'channel.poll.progress',
  channel_poll_end: 'channel.poll.end',
  channel_prediction_begin: 'channel.prediction.begin',
  channel_prediction_progress: 'channel.prediction.progress',
  channel_prediction_lock: 'channel.prediction.lock',
  channel_prediction_end: 'channel.prediction.end',
};

/**
 * The Twitch event type for a name written in bots.yaml (twitch-creamery's or Twitch's),
 * or undefined.
 *
 * @example
 * ```ts
 * resolveEventName('channel_points_redeemed')?.type; // 'channel.channel_points_custom_reward_redemption.add'
 * resolveEventName('stream.online')?.type;           // 'stream.online'
 * ```
 */
export function resolveEventName(name: string): ChannelEventType | undefined {
  const key = name.trim();
  return TWITCH_EVENT_TYPES[CREAMERY_EVENT_NAMES[key.toLowerCase()] ?? key];
}

/**
 * Every name accepted in `events:`.
 *
 * @example
 * ```ts
 * knownEventNames().includes('channel_raid'); // true
 * ```
 */
export function knownEventNames(): string[] {
  return [...Object.keys(CREAMERY_EVENT_NAMES), ...Object.keys(TWITCH_EVENT_TYPES)];
}

/**
 * The condition of a channel event for a channel whose user id is `userId`. For types that
 * need a moderator, the broadcaster is the moderator (their authorization counts).
 *
 * @example
 * ```ts
 * conditionFor({ type: 'channel.raid', condition: 'to_broadcaster' }, '42'); // { to_broadcaster_user_id: '42' }
 * ```
 */
export function conditionFor(e: ChannelEventType, userId: string): Record<string, string> {
  if (e.condition === 'to_broadcaster') return { to_broadcaster_user_id: userId };
  if (e.condition === 'broadcaster+moderator')
    return { broadcaster_user_id: userId, moderator_user_id: userId };
  return { broadcaster_user_id: userId };
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length] as number;
}

/**
 * What to say about a name that is not an event: the closest known name, if one is close.
 *
 * @example
 * ```ts
 * explainUnknownEvent('channel_raids'); // 'unknown event "channel_raids"; did you mean "channel_raid"?'
 * ```
 */
export function explainUnknownEvent(name: string): string {
  const [best] = knownEventNames()
    .map((known) => ({ known, d: distance(name.toLowerCase(), known.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  const hint =
    best && best.d <= Math.max(2, Math.floor(name.length / 4))
      ? `did you mean "${best.known}"?`
      : 'use a twitch-creamery name (channel_raid, channel_stream_start, channel_points_redeemed, ...) or a Twitch type (stream.online, channel.cheer, ...)';
  return `unknown event "${name}"; ${hint}`;
}
