import type { EventSubMiddleware } from '@twurple/eventsub-http';
import type { Logger } from '../../../core/index.js';

/** Called for every verified, fresh notification twurple accepted, after it answered 2xx. */
export type NotificationSink = (
  twurpleId: string,
  event: Record<string, unknown>,
  messageId: string,
) => void;

interface TwurpleInternals {
  _handleSingleEventPayload?: (
    subscription: { id: string },
    payload: Record<string, unknown>,
    messageId: string,
  ) => void;
}

/**
 * Replaces twurple's in-memory duplicate check with `sink`. Twurple 8.1.4 keeps every
 * message id in a Set for 10 minutes with one timer each (not unref'd): unbounded memory at
 * high rates, and a process that cannot exit for 10 minutes. Our dedupe is durable (storage),
 * so twurple's is dropped. Throws at startup if twurple's internals changed shape.
 *
 * @example
 * ```ts
 * routeNotifications(middleware, (id, event, messageId) => queue.push({ id, event, messageId }));
 * ```
 */
export function routeNotifications(middleware: EventSubMiddleware, sink: NotificationSink): void {
  const internals = middleware as unknown as TwurpleInternals;
  if (typeof internals._handleSingleEventPayload !== 'function')
    throw new Error(
      '@twurple/eventsub-http changed: _handleSingleEventPayload is missing; pin @twurple/* to 8.1.4 or update src/twitch/eventsub/twurple-hooks.ts',
    );
  internals._handleSingleEventPayload = (subscription, payload, messageId) =>
    sink(subscription.id, payload, messageId);
}

/**
 * Twurple's logger options, writing into our pino logger (its debug chatter at debug).
 *
 * @example
 * ```ts
 * new EventSubMiddleware({ ..., logger: twurpleLogger(log) });
 * ```
 */
export function twurpleLogger(log: Logger): {
  minLevel: string;
  custom: (level: number, message: string) => void;
} {
  return {
    minLevel: 'debug',
    custom: (level, message) => {
      // @d-fischer/logger levels: 0 critical, 1 error, 2 warning, 3 info, 4 debug, 7 trace
      if (level <= 1) log.error({ source: 'twurple' }, message);
      else if (level === 2) log.warn({ source: 'twurple' }, message);
      else log.debug({ source: 'twurple' }, message);
    },
  };
}
