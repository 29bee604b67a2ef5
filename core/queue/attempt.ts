import type { Logger } from '../log.js';
import type { Store } from '../storage.js';
import { isFinal, runJob } from './run-job.js';
import type { JobHandler, JobSpec, JobState, QueueStats, RetryPolicy } from './types.js';

/**
 * What one attempt needs.
 *
 * @example
 * ```ts
 * await attempt(spec, { store, name: 'q', handler, retry: DEFAULT_RETRY, leaseMs: 30_000, retentionMs, stopping, count });
 * ```
 */
export interface AttemptDeps {
  store: Store;
  name: string;
  handler: JobHandler | undefined;
  retry: RetryPolicy;
  leaseMs: number;
  retentionMs: number;
  stopping: AbortSignal;
  log?: Logger;
  /** Counts an outcome in the queue's stats. */
  count(stat: keyof QueueStats): void;
}

/**
 * How an attempt ended: the job is final (run here, or found final), or it must be tried
 * again at `at` (a retry, a deferral, or a lease another instance holds).
 *
 * @example
 * ```ts
 * const outcome = await attempt(spec, deps);
 * if (outcome.kind === 'later') schedule(outcome.at);
 * ```
 */
export type AttemptOutcome = { kind: 'final'; state: JobState } | { kind: 'later'; at: number };

/**
 * One attempt at a job: read its state (final: nothing to do; a retry not due: later),
 * take the lease of its next run (held elsewhere: later), run the handler, record the
 * outcome.
 *
 * @example
 * ```ts
 * const outcome = await attempt({ key: 'a', type: 'post', payload: {} }, deps);
 * ```
 */
export async function attempt(spec: JobSpec, deps: AttemptDeps): Promise<AttemptOutcome> {
  const key = spec.key;
  const previous = await deps.store.get<JobState>(`state:${key}`);
  if (isFinal(previous)) {
    deps.count('skipped');
    return { kind: 'final', state: previous as JobState };
  }
  if (previous?.nextAt !== undefined && previous.nextAt > Date.now())
    return { kind: 'later', at: previous.nextAt };
  const run = previous?.run ?? 0;
  if (!(await deps.store.claim(`lease:${key}:${run}`, deps.leaseMs))) {
    deps.count('leaseBusy');
    return { kind: 'later', at: Date.now() + Math.min(5000, Math.ceil(deps.leaseMs / 4)) };
  }
  const next = await runJob(spec, previous, { ...deps, now: Date.now });
  await deps.store.set(`state:${key}`, next, deps.retentionMs);
  if (next.status === 'retry') {
    const failed = next.attempts > (previous?.attempts ?? 0);
    deps.count(failed ? 'retried' : 'deferred');
    if (failed)
      deps.log?.warn(
        { queue: deps.name, key, attempt: next.attempts, retryInMs: (next.nextAt ?? 0) - next.at },
        `queue: job failed (${next.error}); retrying`,
      );
    return { kind: 'later', at: next.nextAt ?? 0 };
  }
  deps.count(next.status === 'done' ? 'done' : 'failed');
  if (next.status === 'failed')
    deps.log?.error(
      { queue: deps.name, key, attempts: next.attempts },
      `queue: job gave up: ${next.error}`,
    );
  return { kind: 'final', state: next };
}
