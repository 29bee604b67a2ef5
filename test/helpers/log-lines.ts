import { createLogger, type Logger } from '../../core/log.js';

/**
 * A debug-level JSON logger that appends every line it writes, parsed, to `lines`, for tests
 * that look at what was logged.
 *
 * @example
 * ```ts
 * const lines: Record<string, unknown>[] = [];
 * loggerInto(lines).info({ bot: 'alice' }, 'started');
 * lines[0]?.msg; // 'started'
 * ```
 */
export function loggerInto(lines: Record<string, unknown>[]): Logger {
  return createLogger({
    level: 'debug',
    pretty: false,
    destination: {
      write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>),
    },
  });
}
