import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { describeError } from '../errors.js';
import type { Store } from '../storage.js';
import { DEFAULT_RETRY } from './backoff.js';
import { claimIdempotencyKey, recordIdempotencyKey } from './idempotency.js';
import { JobLog, type LogEntry } from './job-log.js';
import { ReadyList } from './ready-list.js';
import { isFinal, runJob } from './run-job.js';
import type {
  EnqueueResult,
  JobSpec,
  JobState,
  PayloadMap,
  QueueOptions,
  QueueStats,
  RetryPolicy,
  TypedJobSpec,
} from './types.js';

interface Tracked {
  spec: JobSpec;
  positions: Set<number>;
  phase: 'waiting' | 'ready' | 'running' | 'final';
  timer?: NodeJS.Timeout;
}

const HOLE_GRACE_MS = 30_000;

/**
 * A durable job queue in a key-value {@link Store}: jobs survive restarts (even `kill -9`),
 * run at most once per idempotency key, are retried with backoff, run with bounded
 * concurrency, and are shared by every process using the same store: a run holds a lease
 * (`claim` with a TTL), and when its process dies another one takes the job over once the
 * lease has lapsed. Platform-neutral: a handler is any async function.
 *
 * Guarantees: an enqueue that resolved is durable. A job whose handler resolved is never
 * run again. A run interrupted by a crash (or exceeding its lease) is run again, so a
 * handler with outside effects may repeat the one request that was in flight.
 *
 * @example
 * ```ts
 * const queue = new DurableQueue<{ post: { target: string } }>({
 *   store: ctx.storage.namespace('queue'),
 *   name: 'go-live',
 *   handlers: { post: async (job) => ({ messageId: await send(job.payload.target, job.signal) }) },
 *   concurrency: 16,
 * });
 * await queue.start();
 * await queue.enqueue({ key: 'post:41:t7', type: 'post', payload: { target: 't7' } });
 * await queue.enqueueMany(targets.map(toSpec), { key: 'fanout:41' });
 * ctx.onDispose(() => queue.stop());
 * ```
 */
export class DurableQueue<M extends PayloadMap = PayloadMap> {
  /** This instance, for logs. */
  readonly instance = randomUUID().slice(0, 8);
  readonly #o: QueueOptions<M>;
  readonly #store: Store;
  readonly #log: JobLog;
  readonly #retry: RetryPolicy;
  readonly #jobs = new Map<string, Tracked>();
  readonly #entries = new Map<number, number>();
  readonly #holes = new Map<number, number>();
  /** Positions at or above the cursor that this instance finished (not to be read again). */
  readonly #finished = new Set<number>();
  readonly #ready = new ReadyList<Tracked>();
  readonly #stopping = new AbortController();
  readonly #idle = new Set<() => void>();
  readonly #inflight = new Set<Promise<void>>();
  #stats: QueueStats = {
    waiting: 0,
    running: 0,
    enqueued: 0,
    done: 0,
    failed: 0,
    retried: 0,
    deferred: 0,
    leaseBusy: 0,
    skipped: 0,
  };
  #cursor = 0;
  #headWritten = -1;
  #started = false;
  #poll: NodeJS.Timeout | undefined;
  #ticking = false;

  constructor(options: QueueOptions<M>) {
    this.#o = options;
    this.#store = options.store;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#log = new JobLog(this.#store, this.#retention);
    // Every running job listens to it; the concurrency bounds how many.
    setMaxListeners(0, this.#stopping.signal);
  }

  get #retention(): number {
    return this.#o.retentionMs ?? 7 * 86_400_000;
  }
  get #leaseMs(): number {
    return this.#o.leaseMs ?? 30_000;
  }

  /** Loads unfinished jobs from storage and starts running them and polling for more. */
  async start(): Promise<void> {
    if (this.#started) return;
    const head = await this.#log.head();
    await this.#scan(head);
    this.#started = true;
    const pollMs = this.#o.pollMs ?? 1000;
    this.#poll = setInterval(() => void this.#tick(), pollMs);
    this.#poll.unref();
    this.#o.log?.debug(
      { queue: this.#o.name, instance: this.instance, head, jobs: this.#jobs.size },
      'queue started',
    );
    this.#pump();
  }

  /** Adds one job unless its key was seen before; durable when this resolves. */
  enqueue(spec: TypedJobSpec<M>): Promise<EnqueueResult> {
    return this.enqueueMany([spec], { key: spec.key });
  }

  /**
   * Adds jobs in one write, unless the batch `key` was seen before (a retried fan-out adds
   * nothing). Jobs whose own key is already known run once anyway.
   */
  async enqueueMany(specs: TypedJobSpec<M>[], options: { key: string }): Promise<EnqueueResult> {
    if (this.#stopping.signal.aborted)
      throw new Error(`queue "${this.#o.name}" is stopped; enqueue before stop()`);
    const verdict = await claimIdempotencyKey(this.#store, options.key, this.#retention);
    if (verdict.kind === 'duplicate') return { created: false };
    if (verdict.kind === 'orphan')
      this.#o.log?.warn(
        { queue: this.#o.name, key: options.key },
        'queue: an enqueue was interrupted before it was written; writing it now',
      );
    if (specs.length === 0) {
      await recordIdempotencyKey(this.#store, options.key, -1, this.#retention);
      return { created: true };
    }
    const jobs = specs as JobSpec[];
    const position = await this.#log.append(jobs);
    await recordIdempotencyKey(this.#store, options.key, position, this.#retention);
    this.#stats.enqueued += jobs.length;
    this.#intake(position, { jobs, at: Date.now() });
    return { created: true, position };
  }

  /** Cancels a job that has not started; returns false when it was already final. */
  async cancel(key: string): Promise<boolean> {
    const state = await this.state(key);
    if (isFinal(state)) return false;
    const next: JobState = {
      status: 'cancelled',
      run: state?.run ?? 0,
      attempts: state?.attempts ?? 0,
      at: Date.now(),
    };
    await this.#store.set(`state:${key}`, next, this.#retention);
    const tracked = this.#jobs.get(key);
    if (tracked && tracked.phase !== 'running') this.#settle(tracked, next);
    return true;
  }

  /** The durable state of a job; undefined while it has never run (or was forgotten). */
  state(key: string): Promise<JobState | undefined> {
    return this.#store.get<JobState>(`state:${key}`);
  }

  stats(): QueueStats {
    return { ...this.#stats, waiting: this.#jobs.size, running: this.#inflight.size };
  }

  /** Resolves once no job is ready or running here (delayed jobs do not count). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** Checks storage for jobs other instances added, now rather than at the next poll. */
  poll(): Promise<void> {
    return this.#tick();
  }

  /**
   * Stops taking jobs; waits up to `drainMs` for running ones, then aborts their signals
   * (they are retried, by this or another instance, without counting a failed attempt).
   */
  async stop(drainMs = 10_000): Promise<void> {
    if (this.#stopping.signal.aborted) return;
    clearInterval(this.#poll);
    this.#ready.clear();
    for (const t of this.#jobs.values()) clearTimeout(t.timer);
    const all = (): Promise<unknown> => Promise.allSettled([...this.#inflight]);
    const timeout = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
    await Promise.race([all(), timeout(drainMs)]);
    this.#stopping.abort();
    await Promise.race([all(), timeout(2000)]);
    await this.#writeHead().catch(() => {});
    this.#jobs.clear();
    for (const resolve of this.#idle) resolve();
  }

  #intake(position: number, entry: LogEntry): void {
    if (this.#entries.has(position)) return;
    let open = 0;
    const seen = new Set<string>();
    for (const spec of entry.jobs) {
      if (seen.has(spec.key)) continue;
      seen.add(spec.key);
      const known = this.#jobs.get(spec.key);
      if (known) {
        known.positions.add(position);
        open++;
        continue;
      }
      const tracked: Tracked = { spec, positions: new Set([position]), phase: 'waiting' };
      this.#jobs.set(spec.key, tracked);
      open++;
      this.#schedule(tracked, spec.runAt ?? 0);
    }
    if (open === 0) this.#finishEntry(position);
    else this.#entries.set(position, open);
  }

  #schedule(t: Tracked, at: number): void {
    clearTimeout(t.timer);
    if (t.phase === 'final') return;
    t.phase = 'waiting';
    const delay = at - Date.now();
    if (delay > 0) {
      t.timer = setTimeout(() => this.#makeReady(t), delay);
      t.timer.unref();
      return;
    }
    this.#makeReady(t);
  }

  #makeReady(t: Tracked): void {
    if (t.phase === 'final' || t.phase === 'running' || t.phase === 'ready') return;
    if (this.#stopping.signal.aborted) return;
    t.phase = 'ready';
    this.#ready.push(t);
    this.#pump();
  }

  #pump(): void {
    if (!this.#started || this.#stopping.signal.aborted) return;
    const max = this.#o.concurrency ?? 8;
    while (this.#inflight.size < max) {
      const t = this.#ready.shift();
      if (!t) break;
      if (t.phase !== 'ready') continue;
      t.phase = 'running';
      const p = this.#execute(t)
        .catch((err: unknown) => {
          this.#o.log?.error(
            { err, queue: this.#o.name, key: t.spec.key },
            `queue: job bookkeeping failed: ${describeError(err)}; retrying in a lease`,
          );
          if (t.phase === 'running') this.#schedule(t, Date.now() + this.#leaseMs);
        })
        .finally(() => {
          this.#inflight.delete(p);
          this.#pump();
          this.#checkIdle();
        });
      this.#inflight.add(p);
    }
    this.#checkIdle();
  }

  async #execute(t: Tracked): Promise<void> {
    const key = t.spec.key;
    const previous = await this.state(key);
    if (isFinal(previous)) {
      this.#stats.skipped++;
      return this.#settle(t, previous as JobState);
    }
    if (previous?.nextAt !== undefined && previous.nextAt > Date.now())
      return this.#schedule(t, previous.nextAt);
    const run = previous?.run ?? 0;
    if (!(await this.#store.claim(`lease:${key}:${run}`, this.#leaseMs))) {
      this.#stats.leaseBusy++;
      return this.#schedule(t, Date.now() + Math.min(5000, Math.ceil(this.#leaseMs / 4)));
    }
    const next = await runJob(t.spec, previous, {
      handler: this.#o.handlers[t.spec.type] as QueueOptions['handlers'][string] | undefined,
      retry: this.#retry,
      leaseMs: this.#leaseMs,
      now: Date.now,
      stopping: this.#stopping.signal,
    });
    await this.#store.set(`state:${key}`, next, this.#retention);
    if (next.status === 'retry') {
      if (next.attempts > (previous?.attempts ?? 0)) this.#stats.retried++;
      else this.#stats.deferred++;
      if (next.attempts > (previous?.attempts ?? 0))
        this.#o.log?.warn(
          { queue: this.#o.name, key, attempt: next.attempts, retryInMs: next.nextAt! - next.at },
          `queue: job failed (${next.error}); retrying`,
        );
      return this.#schedule(t, next.nextAt ?? 0);
    }
    if (next.status === 'done') this.#stats.done++;
    if (next.status === 'failed') this.#stats.failed++;
    if (next.status === 'failed')
      this.#o.log?.error(
        { queue: this.#o.name, key, attempts: next.attempts },
        `queue: job gave up: ${next.error}`,
      );
    this.#settle(t, next);
  }

  #settle(t: Tracked, state: JobState): void {
    if (t.phase === 'final') return;
    t.phase = 'final';
    clearTimeout(t.timer);
    if (this.#jobs.get(t.spec.key) === t) this.#jobs.delete(t.spec.key);
    for (const position of t.positions) {
      const open = (this.#entries.get(position) ?? 1) - 1;
      if (open > 0) this.#entries.set(position, open);
      else this.#finishEntry(position);
    }
    try {
      this.#o.onSettled?.(t.spec, state);
    } catch (err) {
      this.#o.log?.warn({ err, queue: this.#o.name }, 'queue: onSettled threw');
    }
  }

  #finishEntry(position: number): void {
    this.#entries.delete(position);
    if (position >= this.#cursor) this.#finished.add(position);
    void this.#log.finish(position).catch(() => {});
  }

  async #scan(from: number): Promise<void> {
    const known = (n: number): boolean =>
      this.#entries.has(n) || this.#holes.has(n) || this.#finished.has(n);
    const found = await this.#log.scan(from, known);
    for (const [n, entry] of found.entries) if (!known(n)) this.#intake(n, entry);
    const now = Date.now();
    for (const n of found.holes) if (!this.#holes.has(n)) this.#holes.set(n, now);
    this.#cursor = Math.max(this.#cursor, found.tail);
    for (const n of this.#finished) if (n < this.#cursor) this.#finished.delete(n);
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#stopping.signal.aborted) return;
    this.#ticking = true;
    try {
      await this.#scan(this.#cursor);
      const now = Date.now();
      for (const [n, since] of this.#holes) {
        const entry = await this.#log.read(n);
        if (entry) {
          this.#holes.delete(n);
          if (!entry.done) this.#intake(n, entry);
        } else if (now - since > HOLE_GRACE_MS) this.#holes.delete(n);
      }
      await this.#writeHead();
    } catch (err) {
      this.#o.log?.warn({ err, queue: this.#o.name }, 'queue: polling storage failed');
    } finally {
      this.#ticking = false;
    }
  }

  async #writeHead(): Promise<void> {
    let head = this.#cursor;
    for (const n of this.#entries.keys()) head = Math.min(head, n);
    for (const n of this.#holes.keys()) head = Math.min(head, n);
    if (head <= this.#headWritten) return;
    await this.#log.raiseHead(head);
    this.#headWritten = head;
  }

  #isIdle(): boolean {
    return this.#ready.length === 0 && this.#inflight.size === 0;
  }

  #checkIdle(): void {
    if (!this.#isIdle() || this.#idle.size === 0) return;
    const waiters = [...this.#idle];
    this.#idle.clear();
    for (const resolve of waiters) resolve();
  }
}
