/**
 * Builders for EventSub `event` objects, shaped exactly like Twitch's webhook payloads.
 *
 * Each builder returns a {@link WorldNotification}: the subscription type/version, the condition
 * values a subscription is matched against, and the `event` body.
 *
 * @example
 * ```ts
 * import * as payload from './event-payloads.js';
 * const n = payload.streamOffline({ id: '1', login: 'alice', displayName: 'Alice' });
 * ```
 */
export type { RewardRef, UserRef, WorldNotification } from './payload-parts.js';
export {
  channelFollow,
  channelRaid,
  channelUpdate,
  streamOffline,
  streamOnline,
} from './stream-payloads.js';
export {
  channelCheer,
  channelSubscribe,
  channelSubscriptionGift,
  channelSubscriptionMessage,
  redemptionAdd,
} from './support-payloads.js';
