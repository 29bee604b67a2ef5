import { afterEach, describe, expect, it } from 'vitest';
import {
  DurableQueue,
  PermanentJobError,
  RetryJobLater,
  type QueueOptions,
} from '../../../core/queue/index.js';
import type { Storage } from '../../../core/storage.js';
import { deferred, tempStorage, until } from './helpers.js';

type Jobs = { work: { n: number } };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function queueOn(
  storage: Storage,
  handler: QueueOptions<Jobs>['handlers']['work'],
  options: Partial<QueueOptions<Jobs>> = {},
): Promise<DurableQueue<Jobs>> {
  const queue = new DurableQueue<Jobs>({
    store: storage.forCog('bot', 'cog').namespace('q'),
    name: 'test',
    handlers: { work: handler },
    retry: { baseMs: 20, maxMs: 100, jitter: 0 },
    pollMs: 50,
    ...options,
  });
  await queue.start();
  cleanup.push(() => queue.stop(100));
  return queue;
}

async function storage(): Promise<Storage> {
  const { storage: s } = await tempStorage();
  cleanup.push(() => s.close());
  return s;
}

const job = (n: number, key = `job:${n}`) => ({ key, type: 'work' as const, payload: { n } });

describe('DurableQueue', () => {
  it('runs each job once, stores its result, and ignores a key it has seen', async () => {
    const runs: number[] = [];
    const q = await queueOn(await storage(), ({ payload }) => {
      runs.push(payload.n);
      return { doubled: payload.n * 2 };
    });
    expect(await q.enqueue(job(1))).toMatchObject({ created: true });
    expect(await q.enqueue(job(1))).toEqual({ created: false });
    await q.idle();
    expect(await q.enqueue(job(1))).toEqual({ created: false });
    await q.idle();
    expect(runs).toEqual([1]);
    expect(await q.state('job:1')).toMatchObject({ status: 'done', result: { doubled: 2 } });
  });

  it('enqueues a batch in one write and skips a batch key it has seen', async () => {
    const runs: number[] = [];
    const q = await queueOn(await storage(), ({ payload }) => void runs.push(payload.n));
    const batch = [1, 2, 3].map((n) => job(n));
    expect((await q.enqueueMany(batch, { key: 'fanout:a' })).created).toBe(true);
    expect((await q.enqueueMany(batch, { key: 'fanout:a' })).created).toBe(false);
    // Another batch repeating a job key: the job still runs once.
    await q.enqueueMany([job(3), job(4)], { key: 'fanout:b' });
    await until(() => runs.length >= 4, 'four runs');
    await q.idle();
    expect(runs.sort()).toEqual([1, 2, 3, 4]);
  });

  it('retries failures with backoff, then gives up after maxAttempts', async () => {
    let calls = 0;
    const q = await queueOn(await storage(), ({ payload, attempt }) => {
      calls++;
      if (payload.n === 1 && attempt < 3) throw new Error(`flaky ${attempt}`);
      if (payload.n === 2) throw new Error('always');
      return attempt;
    });
    await q.enqueue(job(1));
    await q.enqueue({ ...job(2), maxAttempts: 2 });
    await until(() => q.stats().waiting === 0, 'both jobs final');
    expect(await q.state('job:1')).toMatchObject({ status: 'done', result: 3, attempts: 2 });
    expect(await q.state('job:2')).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: 'always',
    });
    expect(calls).toBe(5);
  });

  it('fails at once on PermanentJobError; RetryJobLater does not count as an attempt', async () => {
    let deferrals = 0;
    const q = await queueOn(await storage(), ({ payload }) => {
      if (payload.n === 1) throw new PermanentJobError('webhook deleted');
      if (deferrals < 3) {
        deferrals++;
        throw new RetryJobLater(10, 'rate limit');
      }
      return 'sent';
    });
    await q.enqueue(job(1));
    await q.enqueue({ ...job(2), maxAttempts: 1 });
    await until(() => q.stats().waiting === 0, 'both jobs final');
    expect(await q.state('job:1')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await q.state('job:2')).toMatchObject({ status: 'done', attempts: 0, run: 4 });
    expect(q.stats()).toMatchObject({ deferred: 3, failed: 1, done: 1 });
  });

  it('never runs more jobs at once than its concurrency', async () => {
    let now = 0;
    let max = 0;
    const q = await queueOn(
      await storage(),
      async () => {
        max = Math.max(max, ++now);
        await new Promise((r) => setTimeout(r, 5));
        now--;
      },
      { concurrency: 3 },
    );
    await q.enqueueMany(
      Array.from({ length: 20 }, (_, i) => job(i)),
      { key: 'many' },
    );
    await until(() => q.stats().done === 20, '20 jobs done');
    expect(max).toBe(3);
  });

  it('runs a delayed job at its time, and a cancelled one never', async () => {
    const runs: number[] = [];
    const q = await queueOn(await storage(), ({ payload }) => void runs.push(payload.n));
    const start = Date.now();
    await q.enqueue({ ...job(1), runAt: start + 150 });
    await q.enqueue({ ...job(2), runAt: start + 100 });
    expect(await q.cancel('job:2')).toBe(true);
    await until(() => runs.length === 1, 'the delayed job');
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    expect(runs).toEqual([1]);
    expect(await q.state('job:2')).toMatchObject({ status: 'cancelled' });
    expect(await q.cancel('job:1')).toBe(false);
  });

  it('shares work between two instances on one store: every job runs exactly once', async () => {
    const s = await storage();
    const runs = new Map<string, number>();
    const handler = async ({ key }: { key: string }) => {
      runs.set(key, (runs.get(key) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 2));
    };
    const a = await queueOn(s, handler, { concurrency: 4 });
    const b = await queueOn(s, handler, { concurrency: 4 });
    for (let batch = 0; batch < 5; batch++)
      await a.enqueueMany(
        Array.from({ length: 10 }, (_, i) => job(batch * 10 + i)),
        { key: `batch:${batch}` },
      );
    await b.poll();
    await until(() => runs.size === 50, 'all 50 jobs');
    await Promise.all([a.idle(), b.idle()]);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(a.stats().done + b.stats().done).toBe(50);
  });

  it('another instance takes over the jobs of one that died, once their leases lapse', async () => {
    const s = await storage();
    const hang = deferred();
    const started: string[] = [];
    // Instance A runs two jobs and "dies" (its handler never returns, it never stops).
    const a = new DurableQueue<Jobs>({
      store: s.forCog('bot', 'cog').namespace('q'),
      name: 'a',
      handlers: {
        work: async ({ key }) => {
          started.push(key);
          await hang.promise;
        },
      },
      leaseMs: 400,
      concurrency: 2,
    });
    await a.start();
    await a.enqueueMany([job(1), job(2), job(3)], { key: 'b' });
    await until(() => started.length === 2, 'A to start two jobs');
    const finished: string[] = [];
    const t0 = Date.now();
    const b = await queueOn(s, ({ key }) => void finished.push(key), { leaseMs: 400 });
    await until(() => finished.length === 3, 'B to finish all three');
    expect(finished.sort()).toEqual(['job:1', 'job:2', 'job:3']);
    // The two leased jobs waited for their lease; job 3 did not.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(b.stats().leaseBusy).toBeGreaterThanOrEqual(2);
    hang.resolve();
    await a.stop(100);
  });

  it('survives a restart: jobs enqueued before are found and run by the next process', async () => {
    const { storage: first, dir } = await tempStorage();
    const q1 = new DurableQueue<Jobs>({
      store: first.forCog('bot', 'cog').namespace('q'),
      name: 'first',
      handlers: { work: () => {} },
    });
    // Never started: the jobs are only in storage.
    await q1.enqueueMany([job(1), job(2)], { key: 'x' });
    await q1.enqueue({ ...job(3), runAt: Date.now() + 100 });
    await first.close();

    const { storage: second } = await tempStorage(dir);
    cleanup.push(() => second.close());
    const runs: number[] = [];
    const q2 = await queueOn(second, ({ payload }) => void runs.push(payload.n));
    await until(() => runs.length === 3, 'three runs after restart');
    expect(runs.sort()).toEqual([1, 2, 3]);
    // The same keys are still known after the restart.
    expect((await q2.enqueueMany([job(1)], { key: 'x' })).created).toBe(false);
  });

  it('stop() aborts a running job; it is retried later without counting a failure', async () => {
    const s = await storage();
    const q1 = new DurableQueue<Jobs>({
      store: s.forCog('bot', 'cog').namespace('q'),
      name: 'first',
      handlers: {
        work: ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
    });
    await q1.start();
    await q1.enqueue(job(1));
    await until(() => q1.stats().running === 1, 'the job to run');
    await q1.stop(50);
    expect(await q1.state('job:1')).toMatchObject({ status: 'retry', attempts: 0, run: 1 });
    await expect(q1.enqueue(job(9))).rejects.toThrow(/stopped/);
    const runs: number[] = [];
    await queueOn(s, ({ payload }) => void runs.push(payload.n));
    await until(() => runs.length === 1, 'the retried job');
  });
});
