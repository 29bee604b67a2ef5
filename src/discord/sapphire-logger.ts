import { LogLevel, type ILogger } from '@sapphire/framework';
import type { Logger } from '../../core/index.js';

const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  [LogLevel.Trace]: 'trace',
  [LogLevel.Debug]: 'debug',
  [LogLevel.Info]: 'info',
  [LogLevel.Warn]: 'warn',
  [LogLevel.Error]: 'error',
  [LogLevel.Fatal]: 'fatal',
};

/**
 * Sapphire's logger interface writing to our pino logger (bot and component bound), so
 * Sapphire's own messages land in the same JSON log. Its info chatter goes to debug.
 *
 * @example
 * ```ts
 * new SapphireClient({ ..., logger: { instance: sapphireLogger(log) } });
 * ```
 */
export function sapphireLogger(log: Logger): ILogger {
  const write = (level: LogLevel, values: readonly unknown[]): void => {
    const name = LEVELS[level];
    if (!name) return;
    const target = name === 'info' ? 'debug' : name;
    const err = values.find((v) => v instanceof Error);
    const text = values
      .filter((v) => !(v instanceof Error))
      .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
      .join(' ');
    if (err) log[target]({ err }, `sapphire: ${text || (err as Error).message}`);
    else log[target](`sapphire: ${text}`);
  };
  return {
    has: (level) => level >= LogLevel.Debug && log.isLevelEnabled(LEVELS[level] ?? 'debug'),
    trace: (...v) => write(LogLevel.Trace, v),
    debug: (...v) => write(LogLevel.Debug, v),
    info: (...v) => write(LogLevel.Info, v),
    warn: (...v) => write(LogLevel.Warn, v),
    error: (...v) => write(LogLevel.Error, v),
    fatal: (...v) => write(LogLevel.Fatal, v),
    write: (level, ...v) => write(level, v),
  };
}
