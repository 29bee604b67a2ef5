import type { EventBus } from './events.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { describeError } from './errors.js';

/** What a guard needs to report a failure. */
export interface GuardDeps {
  bot: string;
  cog: string;
  log: Logger;
  bus: EventBus;
  metrics: Metrics;
}

/**
 * Wraps a cog's handler: its errors are logged with bot, cog and label, counted in
 * `/metrics`, reported on the bus as `core:handler.error`, and never thrown.
 *
 * @example
 * ```ts
 * const safe = guardHandler(deps, 'chat.message', async (m: string) => { throw new Error(m); });
 * await safe('boom'); // resolves; the error is logged and counted
 * ```
 */
export function guardHandler<A extends unknown[]>(
  deps: GuardDeps,
  label: string,
  fn: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  const { bot, cog } = deps;
  return async (...args: A) => {
    const stop = deps.metrics.handlerSeconds.startTimer({ bot, cog });
    try {
      await fn(...args);
      deps.metrics.handlerCalls.inc({ bot, cog, label, outcome: 'ok' });
    } catch (err) {
      deps.metrics.handlerCalls.inc({ bot, cog, label, outcome: 'error' });
      deps.log.error({ err, label }, `handler "${label}" failed: ${describeError(err)}`);
      void deps.bus.emit('core:handler.error', { bot, cog, label, error: describeError(err) });
    } finally {
      stop();
    }
  };
}
