import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/bot-process.ts', import.meta.url));

/** A go-live bot in a child process (see fixtures/bot-process.ts). */
export interface ChildBot {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Resolves once a log line matches (bounded). */
  waitFor(match: (l: Record<string, unknown>) => boolean, what: string, ms?: number): Promise<void>;
}

/** A free loopback port (the child listens there across restarts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Starts the bot process with the sandboxes' addresses.
 *
 * @example
 * ```ts
 * const bot = startChildBot({ discordApi, twurplePort, dataDir, port, settings });
 * await bot.waitFor((l) => l.ready === true, 'ready');
 * bot.child.kill('SIGKILL');
 * ```
 */
export function startChildBot(o: {
  discordApi: string;
  twurplePort: number;
  dataDir: string;
  port: number;
  settings: Record<string, unknown>;
  globalPerSecond?: number;
}): ChildBot {
  const settingsFile = path.join(o.dataDir, 'go-live-settings.json');
  writeFileSync(settingsFile, JSON.stringify(o.settings));
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_API_URL: o.discordApi,
      TWURPLE_MOCK_API_PORT: String(o.twurplePort),
      DATA_DIR: o.dataDir,
      PORT: String(o.port),
      GO_LIVE_SETTINGS_FILE: settingsFile,
      ...(o.globalPerSecond ? { GLOBAL_PER_SECOND: String(o.globalPerSecond) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  let buffer = '';
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
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    lines,
    stderr,
    exited,
    async waitFor(match, what, ms = 20_000) {
      const end = Date.now() + ms;
      while (!lines.some(match)) {
        if (child.exitCode !== null || Date.now() > end)
          throw new Error(
            `bot process: no ${what} (exit ${child.exitCode}); stderr: ${stderr.join('').slice(-2000)}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
