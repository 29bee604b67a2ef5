import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, spawnDaemon, stopDaemon, waitFor } from './processes.js';

/**
 * Debian's redis-server: `REDIS_SERVER_BIN`, else `/usr/bin/redis-server`, else on the PATH;
 * undefined when there is none (`.ci/run` installs it).
 *
 * @example
 * ```ts
 * const bin = findRedisServer(); // '/usr/bin/redis-server'
 * ```
 */
export function findRedisServer(): string | undefined {
  const candidates = [process.env.REDIS_SERVER_BIN, '/usr/bin/redis-server'].filter(
    Boolean,
  ) as string[];
  for (const c of candidates) if (existsSync(c)) return c;
  try {
    const found = execFileSync('sh', ['-c', 'command -v redis-server'], {
      encoding: 'utf8',
    }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

/** A redis-server started by a test. */
export interface RedisProcess {
  port: number;
  /** `redis://127.0.0.1:<port>`, the `STORAGE_URL` of every instance. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway redis-server on a free loopback port: no persistence (`--save ''`,
 * `--appendonly no`), its working folder in a temp dir, resolved once it accepts
 * connections (10 s at most).
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * runCli(['start'], { cwd, env: { STORAGE_URL: redis.url } });
 * await redis.stop();
 * ```
 */
export async function startRedis(): Promise<RedisProcess> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server not found: apt-get install -y redis-server');
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-redis-'));
  const port = await freePort();
  const child = spawnDaemon(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--logfile',
      '',
    ],
    { cwd: dir },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
  const stop = async (): Promise<void> => {
    await stopDaemon(child, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error('exited');
        return output.includes('Ready to accept connections');
      },
      10_000,
      'redis-server did not start',
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}: ${output}`);
  }
  return { port, url: `redis://127.0.0.1:${port}`, stop };
}
