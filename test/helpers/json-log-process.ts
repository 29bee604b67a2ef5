import type { ChildProcess } from 'node:child_process';

/** A child process started by a test that logs JSON lines on stdout. */
export interface JsonLogProcess {
  child: ChildProcess;
  /** Every stdout line so far, parsed; `{ raw }` for a line that is not JSON. */
  lines: Record<string, unknown>[];
  stderr: string[];
  /**
   * Resolves with the first log line matching `predicate`; rejects after `timeoutMs` (default
   * 20 s) or once the process has closed its output without such a line.
   */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Collects the JSON log lines and stderr of `child`, spawned with `stdio: ['ignore', 'pipe',
 * 'pipe']`.
 *
 * @example
 * ```ts
 * const p = followJsonLog(spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] }));
 * const ready = await p.waitForLog((l) => l.ready === true);
 * ```
 */
export function followJsonLog(child: ChildProcess): JsonLogProcess {
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let closed = false;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const raw = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      try {
        lines.push(JSON.parse(raw) as Record<string, unknown>);
      } catch {
        lines.push({ raw });
      }
      for (const w of waiters) w();
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.on('close', () => {
    closed = true;
    for (const w of waiters) w();
  });
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLog(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const fail = (why: string): void => {
          waiters.delete(check);
          clearTimeout(timer);
          reject(
            new Error(
              `no matching log line ${why} (exit ${child.exitCode}); stderr: ${stderr.join('').slice(-2000)}; log: ${JSON.stringify(lines.slice(-5))}`,
            ),
          );
        };
        const check = (): void => {
          const hit = lines.find(predicate);
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit);
          } else if (closed) fail('before the process closed its output');
        };
        const timer = setTimeout(() => fail(`within ${timeoutMs} ms`), timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
