import { runCli, type CliProcess } from '../../helpers/cli-process.js';

/** A `streamcogs start` process that is listening and ready. */
export interface StartedApp {
  cli: CliProcess;
  /** `http://127.0.0.1:<port>`, where nginx's upstream points. */
  url: string;
  /** `127.0.0.1:<port>`, for an upstream `server` line. */
  hostPort: string;
}

/**
 * Runs `streamcogs start` in `cwd` and resolves once it logged `ready`; fails at once, with
 * its stderr, if the process exits first (60 s at most).
 *
 * @example
 * ```ts
 * const app = await startCliApp(dir, { PORT: '0', ALICE_CLIENT_ID: 'id', ... });
 * await stopCliApp(app.cli);
 * ```
 */
export async function startCliApp(cwd: string, env: Record<string, string>): Promise<StartedApp> {
  const cli = runCli(['start'], { cwd, env });
  const exited = cli.exited.then((code) => {
    throw new Error(`streamcogs exited with ${code} before it was ready: ${cli.stderr.join('')}`);
  });
  try {
    const listening = await Promise.race([
      cli.waitForLog((l) => l.msg === 'listening', 60_000),
      exited,
    ]);
    await Promise.race([cli.waitForLog((l) => l.msg === 'ready', 60_000), exited]);
    const url = String(listening.url);
    return { cli, url, hostPort: new URL(url).host };
  } catch (err) {
    await stopCliApp(cli);
    throw err;
  } finally {
    exited.catch(() => {});
  }
}

/**
 * SIGTERM (the graceful drain), then SIGKILL after `graceMs`; resolves with the exit code.
 *
 * @example
 * ```ts
 * expect(await stopCliApp(app.cli)).toBe(0);
 * ```
 */
export async function stopCliApp(cli: CliProcess, graceMs = 10_000): Promise<number | null> {
  if (cli.child.exitCode !== null || cli.child.signalCode !== null) return cli.exited;
  cli.child.kill('SIGTERM');
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), graceMs);
  try {
    return await cli.exited;
  } finally {
    clearTimeout(timer);
  }
}
