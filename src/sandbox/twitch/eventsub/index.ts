/**
 * Signed EventSub webhook delivery for the sandbox.
 *
 * @example
 * ```ts
 * import { EventSubSender } from './eventsub/index.js';
 * const sender = new EventSubSender({ world });
 * ```
 */
export { EventSubSender } from './sender.js';
export type { EventSubSenderEvents, EventSubSenderOptions, RawSendOptions } from './sender.js';
export type { DeliveryRecord } from './delivery.js';
export { EventSubStore, subscriptionJson, twitchTimestamp } from './subscription-store.js';
export type { EventSubStatus, EventSubSubscriptionRecord } from './subscription-store.js';
export { findEventSubType } from './subscription-types.js';
export type { EventSubTypeSpec } from './subscription-types.js';
export { eventSubHeaders, signEventSub } from './signing.js';
export type { EventSubMessageType } from './signing.js';
export type { RewardRef, UserRef, WorldNotification } from './event-payloads.js';
export { registerEventSubRoutes } from './eventsub-routes.js';
export type { EventSubRouteOptions } from './eventsub-routes.js';
export { WebhookReceiver } from './webhook-receiver.js';
export type { ReceivedWebhook } from './webhook-receiver.js';
export { PendingWork } from './pending-work.js';
