/**
 * Thrown by a job handler when retrying cannot help (a deleted resource, invalid input):
 * the job becomes `failed` at once.
 *
 * @example
 * ```ts
 * if (res.status === 400) throw new PermanentJobError(`Discord refused the message: ${text}`);
 * ```
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/**
 * Thrown by a job handler to run the job again after `delayMs` without counting a failed
 * attempt (a rate limit, or something not ready yet).
 *
 * @example
 * ```ts
 * if (limiter.waitMs(channel) > 0) throw new RetryJobLater(limiter.waitMs(channel), 'channel limit');
 * ```
 */
export class RetryJobLater extends Error {
  readonly delayMs: number;

  constructor(delayMs: number, reason: string) {
    super(`retry in ${Math.round(delayMs)} ms: ${reason}`);
    this.name = 'RetryJobLater';
    this.delayMs = Math.max(0, delayMs);
  }
}
