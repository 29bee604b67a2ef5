import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A child process spoken to in JSON lines: one request on stdin, one answer on stdout.
 *
 * @example
 * ```ts
 * const stats = await child.ask({ cmd: 'stats' });
 * ```
 */
export interface JsonChild {
  child: ChildProcess;
  /** Sends a command and resolves with the next line the child prints. */
  ask<T = Record<string, unknown>>(
    command: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<T>;
  /** Resolves with the next line (e.g. the ready line). */
  next<T = Record<string, unknown>>(timeoutMs?: number): Promise<T>;
  kill(): void;
}

/**
 * Starts `file` with tsx in its own process (so its memory and event loop are its own).
 *
 * @example
 * ```ts
 * const c = startJsonChild('bench/lib/sub-roles-sandbox.ts', { SUBROLES_DIR: dir });
 * const ready = await c.next();
 * const stats = await c.ask({ cmd: 'stats' });
 * ```
 */
export function startJsonChild(file: string, env: Record<string, string>): JsonChild {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.SUBROLES_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      file,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  const waiting: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  let exited: string | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const w = waiting.shift();
    if (w) w.resolve(line);
    else lines.push(line);
  });
  child.once('exit', (code) => {
    exited = `${file} exited with ${code}`;
    for (const w of waiting.splice(0)) w.reject(new Error(exited));
  });
  const next = <T>(timeoutMs = 600_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(JSON.parse(queued) as T);
      if (exited) return reject(new Error(exited));
      const timer = setTimeout(
        () => reject(new Error(`${file}: no answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
      waiting.push({
        resolve: (line) => {
          clearTimeout(timer);
          resolve(JSON.parse(line) as T);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
    });
  return {
    child,
    next,
    ask(command, timeoutMs) {
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      return next(timeoutMs);
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

/**
 * Reads JSON-line commands on stdin and answers each with what `handle` returns.
 *
 * @example
 * ```ts
 * serveJsonLines(async (cmd) => (cmd.cmd === 'stats' ? stats() : { error: 'unknown' }));
 * ```
 */
export function serveJsonLines(
  handle: (command: Record<string, unknown>) => Promise<unknown>,
): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    void handle(JSON.parse(line) as Record<string, unknown>)
      .catch((err: unknown) => ({ error: String(err) }))
      .then((answer) => process.stdout.write(`${JSON.stringify(answer)}\n`));
  });
}
