import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { followJsonLog, type JsonLogProcess } from '../../../helpers/json-log-process.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/bot-process.ts', import.meta.url));

/** A go-live bot in a child process (see fixtures/bot-process.ts), with its JSON log lines. */
export type ChildBot = JsonLogProcess;

/**
 * Starts the bot process with the sandboxes' addresses.
 *
 * @example
 * ```ts
 * const bot = startChildBot({ discordApi, twurplePort, dataDir, port, settings });
 * await bot.waitForLog((l) => l.ready === true);
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
  return followJsonLog(child);
}
