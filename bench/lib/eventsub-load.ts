import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import type autocannon from 'autocannon';
import type { BenchFigure } from '../harness.js';

/** One signed delivery: headers and body, as autocannon sends it. */
export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

/** Options of {@link signedPool}. */
export interface PoolOptions {
  secret: string;
  /** EventSub type and version, e.g. `channel.cheer`, `1`. */
  type: string;
  version?: string;
  /** The event object; a function gets the delivery's index. */
  event: Record<string, unknown> | ((i: number) => Record<string, unknown>);
}

/**
 * `count` notifications signed as Twitch signs them (HMAC-SHA256 over id + timestamp + body),
 * each with its own message id, made ahead of time so signing never limits the load.
 *
 * @example
 * ```ts
 * const pool = signedPool(1000, { secret, type: 'channel.cheer', event: { bits: 100 } });
 * ```
 */
export function signedPool(count: number, o: PoolOptions): SignedDelivery[] {
  const version = o.version ?? '1';
  const fixed = typeof o.event === 'function' ? undefined : JSON.stringify(bodyOf(o, o.event));
  return Array.from({ length: count }, (_, i) => {
    const body =
      fixed ?? JSON.stringify(bodyOf(o, (o.event as (i: number) => Record<string, unknown>)(i)));
    const [id, ts] = [randomUUID(), new Date().toISOString()];
    const sig = createHmac('sha256', o.secret)
      .update(id + ts + body)
      .digest('hex');
    const h = (name: string, value: string) => [`twitch-eventsub-${name}`, value];
    const headers = Object.fromEntries([
      ['content-type', 'application/json'],
      h('message-id', id),
      h('message-timestamp', ts),
      h('message-signature', `sha256=${sig}`),
      h('message-type', 'notification'),
      h('subscription-type', o.type),
      h('subscription-version', version),
    ]) as Record<string, string>;
    return { body, headers };
  });
}

function bodyOf(o: PoolOptions, event: Record<string, unknown>): Record<string, unknown> {
  return { subscription: { type: o.type, version: o.version ?? '1' }, event };
}

/**
 * POSTs the pool's deliveries (in turn) to `url + route` with autocannon.
 *
 * @example
 * ```ts
 * const res = await fire(url, '/eventsub/event/channel.cheer.42', pool, { duration: 5, overallRate: 1000 });
 * res.latency.p99;
 * ```
 */
export async function fire(
  url: string,
  route: string,
  pool: readonly SignedDelivery[],
  options: Partial<autocannon.Options>,
): Promise<autocannon.Result> {
  // Imported here, not at the top: bench files import this module in their server children
  // too, whose memory some benches measure (eventsub-memory), and autocannon (~15 MB of RSS)
  // is the load generator's, not the server's.
  const { default: run } = await import('autocannon');
  let next = 0;
  return new Promise<autocannon.Result>((resolve, reject) => {
    run(
      {
        url: url + route,
        timeout: 5,
        requests: [
          {
            method: 'POST',
            path: route,
            setupRequest: (req) => ({ ...req, ...pool[next++ % pool.length] }),
          },
        ],
        ...options,
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
  });
}

/**
 * Runs a bench file again as a server child (`env` tells it which role) and resolves with
 * the URL it prints as its first stdout line.
 *
 * @example
 * ```ts
 * const { child, url } = await startServerChild(SELF, { EVENTSUB_BENCH_ROLE: 'bare' });
 * child.kill('SIGKILL');
 * ```
 */
export async function startServerChild(
  file: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(line.trim()));
  });
  return { child, url };
}

/** `GET <url>/stats` of a server child, as JSON. */
export async function fetchStats<T>(url: string): Promise<T> {
  return (await (await fetch(`${url}/stats`)).json()) as T;
}

/**
 * The machine's 1-minute load average, as a figure: other processes share the 2 cores, and
 * the p99s move with them.
 *
 * @example
 * ```ts
 * figures.push(loadAverage('eventsub'));
 * ```
 */
export function loadAverage(bench: string): BenchFigure {
  return {
    name: `${bench}.load-average-1m`,
    value: loadavg()[0] ?? 0,
    unit: `(${cpus().length} cores)`,
  };
}
