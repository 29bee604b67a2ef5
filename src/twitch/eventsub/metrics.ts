import { Counter, Gauge, type Registry } from 'prom-client';

/** What happened to one request at the EventSub ingress. */
export type IngressOutcome =
  | 'notification'
  | 'challenge'
  | 'revocation'
  | 'duplicate'
  | 'duplicate_stream'
  | 'stale'
  | 'future'
  | 'bad_signature'
  | 'too_large'
  | 'overloaded'
  | 'not_ready'
  | 'rejected'
  | 'bad_body';

/** The EventSub figures on `/metrics`. */
export interface EventSubMetrics {
  /** `streamcogs_eventsub_requests_total{outcome}` */
  requests: Counter<'outcome'>;
  /** `streamcogs_eventsub_subscription_ops_total{op,outcome}` */
  subscriptionOps: Counter<'op' | 'outcome'>;
  /** `streamcogs_eventsub_processing` notifications acknowledged but not yet handled. */
  pending: Gauge;
}

function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Registers (or finds) the EventSub metrics on a registry.
 *
 * @example
 * ```ts
 * const metrics = eventSubMetrics(runtime.metrics.registry);
 * metrics.requests.inc({ outcome: 'bad_signature' });
 * ```
 */
export function eventSubMetrics(registry: Registry): EventSubMetrics {
  return {
    requests: once(
      registry,
      'streamcogs_eventsub_requests_total',
      () =>
        new Counter({
          name: 'streamcogs_eventsub_requests_total',
          help: 'EventSub webhook requests by outcome (notification, duplicate, bad_signature, ...)',
          labelNames: ['outcome'],
          registers: [registry],
        }),
    ),
    subscriptionOps: once(
      registry,
      'streamcogs_eventsub_subscription_ops_total',
      () =>
        new Counter({
          name: 'streamcogs_eventsub_subscription_ops_total',
          help: 'Twitch EventSub subscription operations (create, delete, recreate) by outcome',
          labelNames: ['op', 'outcome'],
          registers: [registry],
        }),
    ),
    pending: once(
      registry,
      'streamcogs_eventsub_processing',
      () =>
        new Gauge({
          name: 'streamcogs_eventsub_processing',
          help: 'EventSub notifications acknowledged and not yet handled',
          registers: [registry],
        }),
    ),
  };
}
