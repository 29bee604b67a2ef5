import type { TrackingApi } from './tracking-api.js';

/**
 * A go-live post Discord accepted.
 *
 * @example
 * ```ts
 * ctx.events.on('go-live:post.sent', (e) => ctx.log.info(`${e.streamer}: ${e.latencyMs} ms`));
 * ```
 */
export interface PostSentEvent {
  bot: string;
  streamer: string;
  session: string;
  webhookId: string;
  messageId: string;
  channelId: string;
  /** From Twitch's event time to Discord's acceptance. */
  latencyMs: number;
}

/**
 * A target stopped because its webhook is gone.
 *
 * @example
 * ```ts
 * ctx.events.on('go-live:target.disabled', (e) => alertOps(`${e.reason}; ${e.fix}`));
 * ```
 */
export interface TargetDisabledEvent {
  bot: string;
  webhookId: string;
  channelId?: string;
  streamer: string;
  source: 'config' | 'api' | 'discord';
  reason: string;
  /** How the owner can repair it. */
  fix: string;
}

declare module '../../core/events.js' {
  interface EventMap {
    'go-live:post.sent': PostSentEvent;
    'go-live:target.disabled': TargetDisabledEvent;
    /** The go-live cog of `bot` serves the tracking API (`/api/tracking`). */
    'go-live:tracking.ready': { bot: string; api: TrackingApi };
    'go-live:tracking.stopped': { bot: string };
  }
}
