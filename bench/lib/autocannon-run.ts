import autocannon from 'autocannon';

/** Result of one load run. */
export interface LoadResult {
  rps: number;
  /** Responses received in the run. */
  total: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/**
 * Runs autocannon against `url` for `seconds` with `connections` keep-alive connections.
 *
 * @example
 * ```ts
 * const r = await load('http://127.0.0.1:8000/healthz', 10);
 * ```
 */
export async function load(
  url: string,
  seconds: number,
  options: { connections?: number; pipelining?: number } = {},
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    duration: seconds,
    connections: options.connections ?? 50,
    pipelining: options.pipelining ?? 1,
    // Load is generated in a worker thread, not on the event loop of the server under test.
    workers: 1,
  });
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}
