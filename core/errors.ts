/**
 * Error codes of the kernel, stable for users to search and for tests to assert.
 * Each message says what happened and what to do.
 *
 * @example
 * ```ts
 * if (err instanceof StreamcogsError && err.code === 'SC_COG_NOT_FOUND') return undefined;
 * ```
 */
export type StreamcogsErrorCode =
  | 'SC_CONFIG_INVALID'
  | 'SC_COG_NOT_FOUND'
  | 'SC_COG_INVALID'
  | 'SC_COG_API_VERSION'
  | 'SC_COG_SETUP_FAILED'
  | 'SC_COG_SETUP_TIMEOUT'
  | 'SC_BOT_NOT_FOUND'
  | 'SC_DUPLICATE_REGISTRATION'
  | 'SC_CREDENTIALS_PARTIAL'
  | 'SC_NOT_AVAILABLE';

/**
 * An error the kernel raises on purpose, with a stable code.
 *
 * @example
 * ```ts
 * throw new StreamcogsError('SC_COG_NOT_FOUND', 'cog "go-lvie" is not installed', {
 *   fix: 'did you mean "go-live"?',
 * });
 * ```
 */
export class StreamcogsError extends Error {
  readonly code: StreamcogsErrorCode;
  readonly fix: string | undefined;

  constructor(
    code: StreamcogsErrorCode,
    message: string,
    options: { fix?: string; cause?: unknown } = {},
  ) {
    super(options.fix ? `${message} (fix: ${options.fix})` : message, { cause: options.cause });
    this.name = 'StreamcogsError';
    this.code = code;
    this.fix = options.fix;
  }
}

/**
 * Turns anything thrown into a short, loggable description.
 *
 * @example
 * ```ts
 * describeError(new Error('boom')); // 'boom'
 * ```
 */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
