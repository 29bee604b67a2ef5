/** EventSub payload builders for subscriptions, cheers and channel points redemptions. */
import { broadcaster, note, viewer } from './payload-parts.js';
import type { RewardRef, UserRef, WorldNotification } from './payload-parts.js';

/**
 * `channel.subscribe` v1 (or `channel.subscription.end` v1 with `ended: true`).
 *
 * @example
 * ```ts
 * const n = channelSubscribe(streamer, fan, '1000', false);
 * ```
 */
export function channelSubscribe(
  channel: UserRef,
  user: UserRef,
  tier: string,
  isGift: boolean,
  ended = false,
): WorldNotification {
  return note(
    ended ? 'channel.subscription.end' : 'channel.subscribe',
    '1',
    { broadcaster_user_id: channel.id },
    { ...viewer(user), ...broadcaster(channel), tier, is_gift: isGift },
  );
}

/**
 * `channel.subscription.gift` v1; `gifter` null means anonymous.
 *
 * @example
 * ```ts
 * const n = channelSubscriptionGift(streamer, gifter, '1000', 5, 12);
 * ```
 */
export function channelSubscriptionGift(
  channel: UserRef,
  gifter: UserRef | null,
  tier: string,
  total: number,
  cumulativeTotal: number | null,
): WorldNotification {
  return note(
    'channel.subscription.gift',
    '1',
    { broadcaster_user_id: channel.id },
    {
      ...viewer(gifter),
      ...broadcaster(channel),
      total,
      tier,
      cumulative_total: gifter ? cumulativeTotal : null,
      is_anonymous: gifter === null,
    },
  );
}

/**
 * `channel.subscription.message` v1 (a resubscription shared in chat).
 *
 * @example
 * ```ts
 * const n = channelSubscriptionMessage(streamer, fan, '1000', 'hi', 7, 3);
 * ```
 */
export function channelSubscriptionMessage(
  channel: UserRef,
  user: UserRef,
  tier: string,
  text: string,
  cumulativeMonths: number,
  streakMonths: number | null,
): WorldNotification {
  return note(
    'channel.subscription.message',
    '1',
    { broadcaster_user_id: channel.id },
    {
      ...viewer(user),
      ...broadcaster(channel),
      tier,
      message: { text, emotes: [] },
      cumulative_months: cumulativeMonths,
      streak_months: streakMonths,
      duration_months: 1,
    },
  );
}

/**
 * `channel.cheer` v1; `user` null means an anonymous cheer.
 *
 * @example
 * ```ts
 * const n = channelCheer(streamer, fan, 100, 'Cheer100 nice');
 * ```
 */
export function channelCheer(
  channel: UserRef,
  user: UserRef | null,
  bits: number,
  message: string,
): WorldNotification {
  return note(
    'channel.cheer',
    '1',
    { broadcaster_user_id: channel.id },
    { is_anonymous: user === null, ...viewer(user), ...broadcaster(channel), message, bits },
  );
}

/**
 * `channel.channel_points_custom_reward_redemption.add` v1.
 *
 * @example
 * ```ts
 * const n = redemptionAdd(streamer, fan, 'uuid', reward, '', new Date().toISOString());
 * ```
 */
export function redemptionAdd(
  channel: UserRef,
  user: UserRef,
  redemptionId: string,
  reward: RewardRef,
  userInput: string,
  redeemedAt: string,
): WorldNotification {
  return note(
    'channel.channel_points_custom_reward_redemption.add',
    '1',
    { broadcaster_user_id: channel.id, reward_id: reward.id },
    {
      id: redemptionId,
      ...broadcaster(channel),
      ...viewer(user),
      user_input: userInput,
      status: 'unfulfilled',
      reward: { id: reward.id, title: reward.title, cost: reward.cost, prompt: reward.prompt },
      redeemed_at: redeemedAt,
    },
  );
}
