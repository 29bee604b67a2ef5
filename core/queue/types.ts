import type { Logger } from '../log.js';
import type { Store } from '../storage.js';

/**
 * One piece of work to enqueue. `key` is its idempotency key: a job with a key the queue
 * has already seen (pending, running or finished within `retentionMs`) runs at most once.
 *
 * @example
 * ```ts
 * const spec: JobSpec<{ target: string }> = {
 *   key: 'post:stream-41:target-7',
 *   type: 'post',
 *   payload: { target: 'target-7' },
 * };
 * ```
 */
export interface JobSpec<P = unknown> {
  /** Idempotency key, unique per piece of work (e.g. stream session + target). */
  key: string;
  /** The handler that runs it (a key of {@link QueueOptions.handlers}). */
  type: string;
  /** JSON-serialisable input of the handler. */
  payload: P;
  /** Not before this time (ms since the epoch); default now. */
  runAt?: number;
  /** Failed attempts before the job is given up; default the queue's `retry.attempts`. */
  maxAttempts?: number;
}

/**
 * Where a job stands. `done`, `failed` and `cancelled` are final.
 *
 * @example
 * ```ts
 * if ((await queue.state(key))?.status === 'failed') alert(key);
 * ```
 */
export type JobStatus = 'pending' | 'retry' | 'done' | 'failed' | 'cancelled';

/**
 * The durable state of one job (`state:<key>` in the queue's store).
 *
 * @example
 * ```ts
 * const state = await queue.state('post:stream-41:target-7');
 * if (state?.status === 'done') console.log(state.result);
 * ```
 */
export interface JobState {
  status: JobStatus;
  /** Runs started so far; the next run takes the lease `lease:<key>:<run>`. */
  run: number;
  /** Failed attempts so far (deferrals and crash takeovers do not count). */
  attempts: number;
  /** When a `retry` job may run again (ms since the epoch). */
  nextAt?: number;
  /** The last error, for `retry` and `failed`. */
  error?: string;
  /** What the handler returned, for `done`. */
  result?: unknown;
  /** Last change (ms since the epoch). */
  at: number;
}

/**
 * A job as its handler sees it.
 *
 * @example
 * ```ts
 * const handler: JobHandler<{ target: string }> = async (job) => {
 *   await post(job.payload.target, { signal: job.signal });
 *   return { ok: true }; // stored as the job's result
 * };
 * ```
 */
export interface Job<P = unknown> {
  key: string;
  type: string;
  payload: P;
  /** 1 for the first attempt, 2 after one failure, ... */
  attempt: number;
  /** Aborted shortly before the lease ends (or when the queue stops): stop and throw. */
  signal: AbortSignal;
}

/**
 * Runs one job; its return value (JSON) is stored as the job's result.
 *
 * @example
 * ```ts
 * const handler: JobHandler<{ n: number }> = ({ payload }) => payload.n * 2;
 * ```
 */
export type JobHandler<P = unknown> = (job: Job<P>) => unknown;

/**
 * How failed attempts are retried: exponential backoff with jitter.
 *
 * @example
 * ```ts
 * const retry: RetryPolicy = { attempts: 8, baseMs: 1000, maxMs: 300_000, factor: 2, jitter: 0.2 };
 * ```
 */
export interface RetryPolicy {
  /** Failed attempts before the job is given up (status `failed`); default 8. */
  attempts: number;
  /** Delay after the first failure; default 1 s. */
  baseMs: number;
  /** Largest delay; default 5 min. */
  maxMs: number;
  /** Growth per failure; default 2. */
  factor: number;
  /** Random spread, as a fraction of the delay (0.2 = ±20 %); default 0.2. */
  jitter: number;
}

/**
 * Options of {@link DurableQueue}.
 *
 * @example
 * ```ts
 * const options: QueueOptions<{ post: { target: string } }> = {
 *   store: ctx.storage.namespace('queue'),
 *   name: 'go-live',
 *   handlers: { post: async (job) => send(job.payload.target) },
 *   concurrency: 16,
 * };
 * ```
 */
export interface QueueOptions<M extends PayloadMap = PayloadMap> {
  /** Where jobs live; every instance sharing this store shares the queue. */
  store: Store;
  /** For logs. */
  name: string;
  /** One handler per job type. */
  handlers: { [T in keyof M]: JobHandler<M[T]> };
  log?: Logger;
  /** Jobs run at once by this instance; default 8. */
  concurrency?: number;
  /**
   * How long a run holds its job: another instance takes the job over after this when the
   * runner died. The handler's signal aborts a little earlier. Default 30 s.
   */
  leaseMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How often storage is checked for jobs other instances enqueued; default 1 s. */
  pollMs?: number;
  /** How long finished jobs are remembered (idempotency window); default 7 days. */
  retentionMs?: number;
  /** Called once a job reaches a final state in this instance (done, failed, cancelled). */
  onSettled?: (spec: JobSpec, state: JobState) => void;
}

/**
 * Job type -> payload type.
 *
 * @example
 * ```ts
 * type Jobs = { post: { target: string }; end: { session: string } } satisfies PayloadMap;
 * ```
 */
export type PayloadMap = Record<string, unknown>;

/**
 * A {@link JobSpec} whose payload matches its type.
 *
 * @example
 * ```ts
 * const spec: TypedJobSpec<{ post: { target: string } }> = { key: 'p:1', type: 'post', payload: { target: '1' } };
 * ```
 */
export type TypedJobSpec<M extends PayloadMap> = {
  [T in keyof M & string]: JobSpec<M[T]> & { type: T };
}[keyof M & string];

/**
 * What {@link DurableQueue.enqueue} did.
 *
 * @example
 * ```ts
 * const { created } = await queue.enqueue(spec);
 * if (!created) log.debug('already queued');
 * ```
 */
export interface EnqueueResult {
  /** False when the idempotency key was already known: nothing was added. */
  created: boolean;
  /** The log position the jobs were written at (when created). */
  position?: number;
}

/**
 * Counters of one queue instance since it started.
 *
 * @example
 * ```ts
 * const { running, waiting, done } = queue.stats();
 * ```
 */
export interface QueueStats {
  /** Jobs this instance knows that have not reached a final state. */
  waiting: number;
  running: number;
  enqueued: number;
  done: number;
  failed: number;
  retried: number;
  deferred: number;
  /** Runs skipped because another instance held the job's lease. */
  leaseBusy: number;
  /** Jobs found already final (run elsewhere, or before a restart). */
  skipped: number;
}
