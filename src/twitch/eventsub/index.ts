/**
 * EventSub webhooks for every bot: one verified, deduplicated ingress on the shared server,
 * shared subscriptions reconciled with Twitch, and the `ctx.twitch.eventsub` facet.
 *
 * @example
 * ```ts
 * import { EventSubService } from './twitch/eventsub/index.js';
 * const eventsub = await EventSubService.create({ storage, registry, log, env: process.env });
 * ```
 * @module
 */
export { EventSubService } from './service.js';
export type { EventSubServiceOptions } from './service.js';
export { SubscriptionRecords } from './records.js';
export type { StoredSubscription } from './records.js';
export { EventSubIngress, EVENTSUB_PATH } from './ingress.js';
export type { EventSubIngressOptions, IngressNotification } from './ingress.js';
export { Reconciler } from './reconciler.js';
export type { ReconcileReport, SubscriptionState } from './reconciler.js';
export { SubscriptionRegistry } from './registry.js';
export { HelixSubscriptions, HelixCallError } from './helix-subscriptions.js';
export type { AppCredentials, TwitchSubscription } from './helix-subscriptions.js';
export { subscriptionKey, normalizeCondition } from './keys.js';
export type { Condition, SubscriptionSpec } from './keys.js';
export { EVENTSUB_TYPES, eventSubType } from './twurple-routes.js';
export { EventSubError } from './errors.js';
export type { EventSubErrorCode } from './errors.js';
export { resolveEventSubSecret } from './secret.js';
export { verifySignature, timestampVerdict } from './verify.js';
export { eventSubMetrics } from './metrics.js';
