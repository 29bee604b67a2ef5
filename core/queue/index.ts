/**
 * A durable job queue in storage, for outbound work that must not be lost (Discord posts,
 * role changes): idempotency keys, leases shared by every process on the same storage,
 * retries with backoff, bounded concurrency. See {@link DurableQueue}.
 *
 * @example
 * ```ts
 * import { DurableQueue, RetryJobLater } from 'streamcogs';
 *
 * const queue = new DurableQueue<{ grant: { user: string; role: string } }>({
 *   store: ctx.storage.namespace('queue'),
 *   name: 'sub-roles',
 *   log: ctx.log,
 *   handlers: {
 *     grant: async ({ payload, signal }) => {
 *       const wait = limiter.waitMs();
 *       if (wait > 0) throw new RetryJobLater(wait, 'role limit');
 *       await addRole(payload.user, payload.role, { signal });
 *     },
 *   },
 * });
 * await queue.start();
 * ctx.onDispose(() => queue.stop());
 * await queue.enqueue({ key: `grant:${user}:${role}`, type: 'grant', payload: { user, role } });
 * ```
 * @module
 */
export { DurableQueue } from './queue.js';
export { PermanentJobError, RetryJobLater } from './errors.js';
export { DEFAULT_RETRY, backoffMs } from './backoff.js';
export { isFinal, leaseGuardMs } from './run-job.js';
export type {
  EnqueueResult,
  Job,
  JobHandler,
  JobSpec,
  JobState,
  JobStatus,
  PayloadMap,
  QueueOptions,
  QueueStats,
  RetryPolicy,
  TypedJobSpec,
} from './types.js';
