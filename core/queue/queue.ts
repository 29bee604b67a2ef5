import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { describeError } from '../errors.js';
import type { Store } from '../storage.js';
import { DEFAULT_RETRY } from './backoff.js';
import { appendOnce } from './idempotency.js';
import { JobLog, type LogEntry } from './job-log.js';
import { LogFollower } from './log-follower.js';
import { ReadyList, Waiters } from './ready-list.js';
import { attempt } from './attempt.js';
import { isFinal } from './run-job.js';
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

const STAT_NAMES = [
  ...['waiting', 'running', 'enqueued', 'done', 'failed'],
  ...['retried', 'deferred', 'leaseBusy', 'skipped'],
] as const;

interface Tracked {
  spec: JobSpec;
  positions: Set<number>;
  phase: 'waiting' | 'ready' | 'running' | 'final';
  timer?: NodeJS.Timeout;
}

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
  readonly #retention: number;
  readonly #leaseMs: number;
  readonly #jobs = new Map<string, Tracked>();
  readonly #entries = new Map<number, number>();
  readonly #follower: LogFollower;
  readonly #ready = new ReadyList<Tracked>();
  readonly #stopping = new AbortController();
  readonly #idle = new Waiters();
  readonly #inflight = new Set<Promise<void>>();
  #stats = Object.fromEntries(STAT_NAMES.map((n) => [n, 0])) as unknown as QueueStats;
  #started = false;
  #poll: NodeJS.Timeout | undefined;

  constructor(options: QueueOptions<M>) {
    this.#o = options;
    this.#store = options.store;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#retention = options.retentionMs ?? 7 * 86_400_000;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#log = new JobLog(this.#store, this.#retention);
    this.#follower = new LogFollower(this.#log, {
      intake: (n, entry) => this.#intake(n, entry),
      open: (n) => this.#entries.has(n),
      openPositions: () => this.#entries.keys(),
      failed: (err) => this.#o.log?.warn({ err, queue: this.#o.name }, 'queue: polling failed'),
    });
    // Every running job listens to it; the concurrency bounds how many.
    setMaxListeners(0, this.#stopping.signal);
  }

  /** Loads unfinished jobs from storage and starts running them and polling for more. */
  async start(): Promise<void> {
    if (this.#started) return;
    const head = await this.#log.head();
    await this.#follower.scan(head);
    this.#started = true;
    this.#poll = setInterval(() => void this.#tick(), this.#o.pollMs ?? 1000).unref();
    const at = { queue: this.#o.name, instance: this.instance, head, jobs: this.#jobs.size };
    this.#o.log?.debug(at, 'queue started');
    this.#pump();
  }

  /** Adds one job unless its key was seen before; durable when this resolves. */
  enqueue(spec: TypedJobSpec<M>): Promise<EnqueueResult> {
    return this.enqueueMany([spec], { key: spec.key });
  }

  /**
   * Adds jobs in one write, unless the batch `key` was seen before (a retried fan-out adds
   * nothing). Jobs whose own key is already known run once anyway. `keyTtlMs`: how long the
   * batch key is remembered (default `retentionMs`), e.g. a dedupe window of its own.
   */
  async enqueueMany(
    specs: TypedJobSpec<M>[],
    options: { key: string; keyTtlMs?: number },
  ): Promise<EnqueueResult> {
    if (this.#stopping.signal.aborted)
      throw new Error(`queue "${this.#o.name}" is stopped; enqueue before stop()`);
    const jobs = specs as JobSpec[];
    const warn = (msg: string) => this.#o.log?.warn({ queue: this.#o.name }, msg);
    const ttl = options.keyTtlMs ?? this.#retention;
    const at = await appendOnce(this.#store, this.#log, options.key, jobs, ttl, warn);
    if (at === undefined) return { created: false };
    if (at < 0) return { created: true };
    this.#stats.enqueued += jobs.length;
    this.#intake(at, { jobs, at: Date.now() });
    return { created: true, position: at };
  }

  /** Cancels a job that has not started; returns false when it was already final. */
  async cancel(key: string): Promise<boolean> {
    const state = await this.state(key);
    if (isFinal(state)) return false;
    const next: JobState = { run: 0, attempts: 0, ...state, status: 'cancelled', at: Date.now() };
    delete next.nextAt;
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
    return this.#isIdle() ? Promise.resolve() : this.#idle.wait();
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
    const drained = (ms: number) =>
      Promise.race([
        Promise.allSettled([...this.#inflight]),
        new Promise((r) => setTimeout(r, ms).unref()),
      ]);
    await drained(drainMs);
    this.#stopping.abort();
    await drained(2000);
    await this.#follower.writeHead().catch(() => {});
    this.#jobs.clear();
    this.#idle.release();
  }

  #intake(position: number, entry: LogEntry): void {
    if (this.#entries.has(position)) return;
    let open = 0;
    const seen = new Set<string>();
    for (const spec of entry.jobs) {
      if (seen.has(spec.key)) continue;
      seen.add(spec.key);
      open++;
      const known = this.#jobs.get(spec.key);
      if (known) known.positions.add(position);
      else {
        const tracked: Tracked = { spec, positions: new Set([position]), phase: 'waiting' };
        this.#jobs.set(spec.key, tracked);
        this.#schedule(tracked, spec.runAt ?? 0);
      }
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
          const msg = `queue: storage failed around job ${t.spec.key} (${describeError(err)}); retrying it in a lease`;
          this.#o.log?.error({ err, queue: this.#o.name }, msg);
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
    const outcome = await attempt(t.spec, {
      store: this.#store,
      name: this.#o.name,
      handler: this.#o.handlers[t.spec.type] as QueueOptions['handlers'][string] | undefined,
      retry: this.#retry,
      leaseMs: this.#leaseMs,
      retentionMs: this.#retention,
      stopping: this.#stopping.signal,
      log: this.#o.log,
      count: (stat) => void this.#stats[stat]++,
    });
    if (outcome.kind === 'later') this.#schedule(t, outcome.at);
    else this.#settle(t, outcome.state);
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
    this.#follower.finished(position);
    void this.#log.finish(position).catch(() => {});
  }

  #tick(): Promise<void> {
    return this.#stopping.signal.aborted ? Promise.resolve() : this.#follower.tick();
  }

  #isIdle(): boolean {
    return this.#ready.length === 0 && this.#inflight.size === 0;
  }

  #checkIdle(): void {
    if (this.#isIdle()) this.#idle.release();
  }
}
