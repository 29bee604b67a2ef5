/**
 * Sending through Discord webhooks for the whole process (`ctx.webhooks` of every cog):
 * rate limits honoured before sending, deleted webhooks never called again.
 *
 * @example
 * ```ts
 * import { WebhookSender } from './discord/webhooks/index.js';
 * const sender = new WebhookSender({ apiUrl: endpoints.discordApi, log });
 * await Runtime.start({ ..., webhooks: sender });
 * ```
 * @module
 */
export { WebhookSender } from './sender.js';
export type { WebhookSenderOptions, WebhookSenderStats } from './sender.js';
export { ChannelLimiter } from './channel-limiter.js';
export type { ChannelLimiterOptions } from './channel-limiter.js';
export { toWebhookError, DISCORD_CODES } from './errors.js';
export { webhookMetrics } from './metrics.js';
export type { WebhookMetrics } from './metrics.js';
