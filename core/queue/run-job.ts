import { describeError } from '../errors.js';
import { backoffMs } from './backoff.js';
import { PermanentJobError, RetryJobLater } from './errors.js';
import type { JobHandler, JobSpec, JobState, RetryPolicy } from './types.js';

/**
 * What one run needs from its queue.
 *
 * @example
 * ```ts
 * const next = await runJob(spec, previous, { handler, retry: DEFAULT_RETRY, leaseMs: 30_000, now: Date.now, stopping });
 * ```
 */
export interface RunDeps {
  handler: JobHandler | undefined;
  retry: RetryPolicy;
  leaseMs: number;
  now: () => number;
  /** Aborted when the queue stops. */
  stopping: AbortSignal;
}

/**
 * How long before the lease ends the handler's signal aborts: a fifth of the lease, at
 * most 5 s, so an aborted run has time to record its outcome.
 *
 * @example
 * ```ts
 * leaseGuardMs(30_000); // 5000
 * ```
 */
export function leaseGuardMs(leaseMs: number): number {
  return Math.min(5000, Math.floor(leaseMs / 5));
}

/**
 * Runs one job's handler under a lease (the caller already holds it) and returns the state
 * to record: `done` with the result, `retry` with the next time (backoff for failures, the
 * asked delay for {@link RetryJobLater}, at once when the queue is stopping), or `failed`.
 *
 * @example
 * ```ts
 * const next = await runJob(spec, previous, deps);
 * await store.set(`state:${spec.key}`, next);
 * ```
 */
export async function runJob(
  spec: JobSpec,
  previous: JobState | undefined,
  deps: RunDeps,
): Promise<JobState> {
  const run = (previous?.run ?? 0) + 1;
  const failures = previous?.attempts ?? 0;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error('the job lease is about to end')),
    Math.max(1, deps.leaseMs - leaseGuardMs(deps.leaseMs)),
  );
  timer.unref();
  const onStop = (): void => controller.abort(new Error('the queue is stopping'));
  deps.stopping.addEventListener('abort', onStop, { once: true });
  try {
    if (!deps.handler)
      throw new PermanentJobError(
        `no handler for job type "${spec.type}"; register it in the queue's handlers`,
      );
    const result = await deps.handler({
      key: spec.key,
      type: spec.type,
      payload: spec.payload,
      attempt: failures + 1,
      signal: controller.signal,
    });
    return { status: 'done', run, attempts: failures, result: result ?? null, at: deps.now() };
  } catch (err) {
    const now = deps.now();
    const error = describeError(err);
    if (err instanceof RetryJobLater)
      return {
        status: 'retry',
        run,
        attempts: failures,
        nextAt: now + err.delayMs,
        error,
        at: now,
      };
    if (deps.stopping.aborted)
      return { status: 'retry', run, attempts: failures, nextAt: now, error, at: now };
    const attempts = failures + 1;
    const max = spec.maxAttempts ?? deps.retry.attempts;
    if (err instanceof PermanentJobError || attempts >= max)
      return { status: 'failed', run, attempts, error, at: now };
    const nextAt = now + backoffMs(deps.retry, attempts);
    return { status: 'retry', run, attempts, nextAt, error, at: now };
  } finally {
    clearTimeout(timer);
    deps.stopping.removeEventListener('abort', onStop);
  }
}

/**
 * Whether a state is final (`done`, `failed`, `cancelled`).
 *
 * @example
 * ```ts
 * if (isFinal(await queue.state(key))) return;
 * ```
 */
export function isFinal(state: JobState | undefined): boolean {
  return state?.status === 'done' || state?.status === 'failed' || state?.status === 'cancelled';
}
