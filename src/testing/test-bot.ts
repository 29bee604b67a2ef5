import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { createLogger, type Logger } from '../../core/log.js';
import { startApp, type App } from '../app.js';
import type { Sandbox } from '../sandbox/index.js';
import type { ViewerBadges } from '../sandbox/twitch/chat/types.js';
import { waitUntil } from './wait.js';

/** A cog entry as in bots.yaml: a name, or `{ name: settings }`. */
export type CogEntry = string | Record<string, Record<string, unknown> | null>;

/** Options of {@link startTestBot}. */
export interface TestBotOptions {
  /** Bot name (its key in bots.yaml); default `test_bot`. */
  name?: string;
  cogs: CogEntry[];
  /** Default: one channel, `streamer`. */
  channels?: string[];
  prefix?: string;
  /** A `discord:` block; default none. */
  discord?: { guilds: string[]; application?: string };
  /** More bots in the same bots.yaml, as raw YAML objects by name. */
  extraBots?: Record<string, unknown>;
  /** Folders with more cogs (your own). */
  pluginDirs?: string[];
  /** Extra environment (no credentials needed: it runs in the sandbox). */
  env?: Record<string, string>;
  /** Keep data between two `startTestBot` calls (restart tests). */
  dataDir?: string;
  strict?: boolean;
  /** Collect logs here instead of discarding them. */
  logLines?: string[];
}

/** A viewer in Twitch chat. */
export interface TestViewer {
  /** Sends a chat line as this viewer; returns its message id. */
  says(text: string, channel?: string): string;
}

/** A running bot in the sandbox, with helpers. */
export interface TestBot {
  app: App;
  sandbox: Sandbox;
  /** The bot's Twitch login in the sandbox. */
  login: string;
  channel: string;
  dataDir: string;
  /** The shared server's base URL. */
  url: string;
  log: Logger;
  viewer(login: string, badges?: ViewerBadges): TestViewer;
  /** Lines the bot sent that reached chat (dropped ones excluded), oldest first. */
  botMessages(channel?: string): string[];
  /** Waits for the bot's next chat line after now. */
  nextBotMessage(channel?: string, timeoutMs?: number): Promise<string>;
  /** The stream goes live (Helix and EventSub see it). */
  goLive(info?: { title?: string; game?: string; viewers?: number }, login?: string): void;
  goOffline(login?: string): void;
  stop(): Promise<void>;
}

/**
 * Writes a bots.yaml with one bot and the chosen cogs, and starts it against a fresh
 * sandbox on free loopback ports.
 *
 * @example
 * ```ts
 * const t = await startTestBot({ cogs: [{ 'chat-commands': { commands: { hi: 'Hello {user}' } } }] });
 * t.viewer('bob').says('!hi');
 * expect(await t.nextBotMessage()).toBe('Hello bob');
 * await t.stop();
 * ```
 */
export async function startTestBot(options: TestBotOptions): Promise<TestBot> {
  const name = options.name ?? 'test_bot';
  const channels = options.channels ?? ['streamer'];
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-testbot-'));
  const dataDir = options.dataDir ?? path.join(dir, 'data');
  const bots: Record<string, unknown> = {
    [name]: {
      prefix: options.prefix ?? '!',
      channels,
      cogs: options.cogs,
      ...(options.discord ? { discord: options.discord } : {}),
    },
    ...options.extraBots,
  };
  const file = path.join(dir, 'bots.yaml');
  await writeFile(file, stringify(bots));
  const lines = options.logLines;
  const log = createLogger({
    level: lines ? 'debug' : 'warn',
    pretty: false,
    destination: { write: (l: string) => void lines?.push(l) },
  });
  const app = await startApp({
    cwd: dir,
    file,
    strict: options.strict ?? true,
    watch: false,
    log,
    env: {
      PATH: process.env.PATH,
      SANDBOX: '1',
      PORT: '0',
      DATA_DIR: dataDir,
      PLUGIN_DIRS: (options.pluginDirs ?? []).join(path.delimiter),
      ...options.env,
    },
  });
  const sandbox = app.sandbox as Sandbox;
  const login = sandbox.accounts.get(name)?.login ?? name;
  const channel = channels[0] ?? 'streamer';
  const delivered = (ch: string): string[] =>
    sandbox.chat
      .messagesFrom(login, ch)
      .filter((r) => r.command === 'PRIVMSG' && !r.dropped)
      .map((r) => r.text ?? '');
  return {
    app,
    sandbox,
    login,
    channel,
    dataDir,
    url: app.runtime.url,
    log,
    viewer: (viewerLogin, badges) => ({
      says: (text, ch = channel) =>
        sandbox.chat.viewerSays(ch, { login: viewerLogin, badges }, text),
    }),
    botMessages: (ch = channel) => delivered(ch),
    async nextBotMessage(ch = channel, timeoutMs = 5000) {
      const before = delivered(ch).length;
      return waitUntil(
        () => delivered(ch)[before],
        `a chat message from ${login} in #${ch}`,
        timeoutMs,
      );
    },
    goLive: (info = {}, streamer = channel) =>
      void sandbox.world.goLive(streamer, {
        title: info.title ?? 'Test stream',
        game: info.game ?? 'Just Chatting',
        viewers: info.viewers ?? 10,
      }),
    goOffline: (streamer = channel) => void sandbox.world.goOffline(streamer),
    async stop() {
      await app.stop();
      if (!options.dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
