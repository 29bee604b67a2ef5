import type { IncomingMessage } from 'node:http';
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
  _subscriptions?: Map<string, unknown>;
  _isHostDenied?: (req: IncomingMessage) => Promise<boolean>;
}

/** What the ingress asks twurple before handling a notification itself. */
export interface TwurpleRouting {
  /** Whether a subscription is routed at this callback id (else Twitch gets 410). */
  knows(id: string): boolean;
  /** Twurple's host check: a non-loopback request must carry `PUBLIC_URL`'s host. */
  hostDenied(req: IncomingMessage): Promise<boolean>;
}

const changed = (what: string): Error =>
  new Error(
    `@twurple/eventsub-http changed: ${what} is missing; pin @twurple/* to 8.1.4 or update src/twitch/eventsub/twurple-hooks.ts`,
  );

/**
 * Twurple's routing table and host check, so notifications can be answered without running
 * twurple's request handler (which verifies and parses every body a second time). Throws at
 * startup if twurple's internals changed shape.
 *
 * @example
 * ```ts
 * const routing = twurpleRouting(middleware);
 * if (!routing.knows(ctx.params.id)) ctx.status = 410;
 * ```
 */
export function twurpleRouting(middleware: EventSubMiddleware): TwurpleRouting {
  const internals = middleware as unknown as TwurpleInternals;
  const subscriptions = internals._subscriptions;
  if (!(subscriptions instanceof Map)) throw changed('_subscriptions');
  if (typeof internals._isHostDenied !== 'function') throw changed('_isHostDenied');
  return {
    knows: (id) => subscriptions.has(id),
    hostDenied: (req) =>
      (internals._isHostDenied as (r: IncomingMessage) => Promise<boolean>).call(middleware, req),
  };
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
    throw changed('_handleSingleEventPayload');
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
