import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { followJsonLog, type JsonLogProcess } from './json-log-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A `streamcogs` process started by a test, with its JSON log lines. */
export type CliProcess = JsonLogProcess;

/**
 * Runs `bin/streamcogs.js <args>` in `cwd` with `env` (no inherited credentials).
 *
 * @example
 * ```ts
 * const p = runCli(['start'], { cwd: dir, env: { PORT: '0' } });
 * const listening = await p.waitForLog((l) => l.msg === 'listening');
 * ```
 */
export function runCli(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): CliProcess {
  const child = spawn(process.execPath, [`${ROOT}bin/streamcogs.js`, ...args], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return followJsonLog(child);
}
