import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const started = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts a helper daemon (nginx, redis-server) in its own process group, so that stopping it
 * also stops its workers, and so that a crashed test run never leaves it behind: every group
 * still alive is killed when the test process exits.
 *
 * @example
 * ```ts
 * const child = spawnDaemon('/usr/bin/redis-server', ['--port', '6390']);
 * await stopDaemon(child);
 * ```
 */
export function spawnDaemon(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of started) killGroup(c, 'SIGKILL');
    });
  }
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Asks a daemon started by {@link spawnDaemon} to stop with `signal`, then kills its whole
 * process group if it has not exited within `graceMs`.
 *
 * @example
 * ```ts
 * await stopDaemon(nginx, 'SIGQUIT'); // nginx's graceful shutdown
 * ```
 */
export async function stopDaemon(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
  // Workers left behind by a master killed hard.
  killGroup(child, 'SIGKILL');
}

/**
 * A free TCP port on 127.0.0.1 (the OS picks it; the caller binds it right after).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Polls `check` every 25 ms until it returns true; throws `message` after `timeoutMs`, or at
 * once what `check` throws.
 *
 * @example
 * ```ts
 * await waitFor(async () => (await fetch(url)).ok, 5000, 'server did not start');
 * ```
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  message: string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await Promise.resolve().then(check))) {
    if (Date.now() > end) throw new Error(`${message} (after ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
