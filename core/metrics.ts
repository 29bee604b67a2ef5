import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (one registry per runtime, served at `/metrics`).
 *
 * @example
 * ```ts
 * const metrics = new Metrics();
 * metrics.handlerCalls.inc({ bot: 'alice', cog: 'go-live', label: 'stream.online', outcome: 'ok' });
 * const text = await metrics.registry.metrics();
 * ```
 */
export class Metrics {
  readonly registry = new Registry();
  readonly handlerCalls: Counter<'bot' | 'cog' | 'label' | 'outcome'>;
  readonly handlerSeconds: Histogram<'bot' | 'cog'>;
  readonly httpSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly cogState: Counter<'bot' | 'cog' | 'event'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'streamcogs_' });
    this.handlerCalls = new Counter({
      name: 'streamcogs_handler_calls_total',
      help: 'Handler calls made for cogs, by outcome (ok or error)',
      labelNames: ['bot', 'cog', 'label', 'outcome'],
      registers: [this.registry],
    });
    this.handlerSeconds = new Histogram({
      name: 'streamcogs_handler_duration_seconds',
      help: 'Time spent in cog handlers',
      labelNames: ['bot', 'cog'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [this.registry],
    });
    this.httpSeconds = new Histogram({
      name: 'streamcogs_http_request_duration_seconds',
      help: 'HTTP requests served by the shared server',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers: [this.registry],
    });
    this.cogState = new Counter({
      name: 'streamcogs_cog_lifecycle_total',
      help: 'Cog lifecycle events (started, stopped, failed)',
      labelNames: ['bot', 'cog', 'event'],
      registers: [this.registry],
    });
  }
}
