import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * The webhook sender's Prometheus metrics.
 *
 * @example
 * ```ts
 * webhookMetrics(registry).requests.inc({ bot: 'a', cog: 'go-live', op: 'execute', outcome: 'ok' });
 * ```
 */
export interface WebhookMetrics {
  requests: Counter<'bot' | 'cog' | 'op' | 'outcome'>;
  latency: Histogram<'bot' | 'cog'>;
  rateLimits: Counter<'kind' | 'scope'>;
}

/**
 * Creates (or reuses, when the registry already has them) the webhook metrics:
 * `streamcogs_webhook_requests_total{bot,cog,op,outcome}`,
 * `streamcogs_webhook_delivery_latency_seconds{bot,cog}` (event time to Discord's
 * acceptance) and `streamcogs_webhook_rate_limits_total{kind,scope}` (`kind` = `waited`
 * before sending, or `429` received).
 *
 * @example
 * ```ts
 * const metrics = webhookMetrics(runtime.metrics.registry);
 * metrics.latency.observe({ bot: 'alice', cog: 'go-live' }, 1.2);
 * ```
 */
export function webhookMetrics(registry: Registry): WebhookMetrics {
  const existing = registry.getSingleMetric('streamcogs_webhook_requests_total');
  if (existing)
    return {
      requests: existing as WebhookMetrics['requests'],
      latency: registry.getSingleMetric(
        'streamcogs_webhook_delivery_latency_seconds',
      ) as WebhookMetrics['latency'],
      rateLimits: registry.getSingleMetric(
        'streamcogs_webhook_rate_limits_total',
      ) as WebhookMetrics['rateLimits'],
    };
  return {
    requests: new Counter({
      name: 'streamcogs_webhook_requests_total',
      help: 'Discord webhook calls by operation (execute, edit, delete, get) and outcome',
      labelNames: ['bot', 'cog', 'op', 'outcome'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'streamcogs_webhook_delivery_latency_seconds',
      help: 'From the announced event (e.g. Twitch stream.online) to Discord accepting the post',
      labelNames: ['bot', 'cog'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    rateLimits: new Counter({
      name: 'streamcogs_webhook_rate_limits_total',
      help: 'Rate limits met by the webhook sender: waited before sending, or a 429 received',
      labelNames: ['kind', 'scope'],
      registers: [registry],
    }),
  };
}
