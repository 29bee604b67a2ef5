import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { createLogger, type Logger } from '../../core/log.js';
import { ConfigInvalidError, startApp, type App } from '../app.js';
import { createCatalog, renderIssues } from '../load.js';
import { SANDBOX_BOT_SCOPES } from '../sandbox/accounts.js';
import type { Sandbox } from '../sandbox/index.js';
import type { ViewerBadges } from '../sandbox/twitch/chat/types.js';
import { installClock, type FakeTimeOption, type TestClock } from './clock.js';
import { testDiscord, type TestDiscord } from './discord.js';
import { testEventSub, type TestEventSub } from './eventsub.js';
import { applyCogs, type CogEntry, type TestConfigFile } from './reconfigure.js';
import { chatProbe } from './seen.js';
import { waitUntil } from './wait.js';

export type { CogEntry } from './reconfigure.js';

/**
 * Options of {@link startTestBot}.
 *
 * @example
 * ```ts
 * await startTestBot({ cogs: ['shoutout'], channels: ['alice'], fakeTime: true });
 * ```
 *
 * @example
 * ```ts
 * const t = await startTestBot({ cogs: ['shoutout'] });
 * t.viewer('mia', { moderator: true }).says('!so artist');
 * expect(await t.nextBotMessage()).toContain('artist');
 * await t.stop();
 * ```
 */
export interface TestBotOptions {
  /** Bot name (its key in bots.yaml); default `test_bot`. */
  name?: string;
  /**
   * The cogs, as bots.yaml lists them. A function gets the sandbox first (for settings only
   * known once it runs, like a Discord webhook URL): the bot starts without cogs, then takes
   * them as a bots.yaml edit would.
   */
  cogs: CogEntry[] | ((sandbox: { discord: TestDiscord; eventsub: TestEventSub }) => CogEntry[]);
  /** Default: one channel, `streamer`. */
  channels?: string[];
  prefix?: string;
  /** A `discord:` block; default none. */
  discord?: { guilds: string[]; application?: string };
  /** More bots in the same bots.yaml, as raw YAML objects by name. */
  extraBots?: Record<string, unknown>;
  /** Folders with more cogs (your own). */
  pluginDirs?: string[];
  /** Where npm cog packages (`streamcogs-*`, `@scope/*`) are found; default the working directory. */
  packagesFrom?: string;
  /** Extra environment (no credentials needed: it runs in the sandbox). */
  env?: Record<string, string>;
  /** Keep data between two `startTestBot` calls (restart tests). */
  dataDir?: string;
  strict?: boolean;
  /** Collect logs here instead of discarding them. */
  logLines?: string[];
  /**
   * Fake `Date` and `setInterval` (vitest fake timers, installed before the bot starts) so
   * `t.clock.advance(ms)` expires cooldowns and runs timers. See {@link TestClock}.
   */
  fakeTime?: FakeTimeOption;
  /**
   * The channels' streamers authorize the bot's app (default true), which EventSub needs for
   * channel points, subs and the like. False tests the refusal path.
   */
  authorizeChannels?: boolean;
}

/**
 * A viewer in Twitch chat.
 *
 * @example
 * ```ts
 * const id = t.viewer('ada', { subscriber: 6 }).says('!so artist');
 * await t.botSaw(id);
 * ```
 */
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
  /**
   * Resolves once the bot handed chat message `id` (what `says` returns) to every cog: use
   * it before asserting that something did *not* happen, or before moving the clock.
   */
  botSaw(id: string, timeoutMs?: number): Promise<void>;
  /** Waits for the bot's next chat line after now. */
  nextBotMessage(channel?: string, timeoutMs?: number): Promise<string>;
  /** The stream goes live (Helix and EventSub see it). */
  goLive(info?: { title?: string; game?: string; viewers?: number }, login?: string): void;
  goOffline(login?: string): void;
  /** Twitch events (redemptions, follows, subs, cheers, raids) delivered over EventSub. */
  eventsub: TestEventSub;
  /** The sandbox Discord: webhooks, posts, slash commands. */
  discord: TestDiscord;
  /** Fake time, when started with `fakeTime: true`. */
  clock: TestClock;
  /**
   * Replaces the bot's cog list (with settings) as a bots.yaml edit would: validated, then
   * only the difference applied. Throws with the config errors, or when a cog fails to set up.
   */
  setCogs(cogs: CogEntry[]): Promise<void>;
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
      cogs: typeof options.cogs === 'function' ? [] : options.cogs,
      ...(options.discord ? { discord: options.discord } : {}),
    },
    ...options.extraBots,
  };
  const file = path.join(dir, 'bots.yaml');
  await writeFile(file, stringify(bots));
  const env = {
    PATH: process.env.PATH,
    SANDBOX: '1',
    PORT: '0',
    DATA_DIR: dataDir,
    PLUGIN_DIRS: (options.pluginDirs ?? []).join(path.delimiter),
    ...options.env,
  };
  const catalog = await createCatalog(env, options.packagesFrom ?? process.cwd());
  const configFile: TestConfigFile = { cwd: dir, file, env, bots, catalog };
  const lines = options.logLines;
  const log = createLogger({
    level: lines ? 'debug' : 'warn',
    pretty: false,
    destination: { write: (l: string) => void lines?.push(l) },
  });
  const clock = await installClock(options.fakeTime);
  let app: App;
  try {
    app = await startApp({
      cwd: dir,
      file,
      strict: options.strict ?? true,
      watch: false,
      log,
      env,
      catalog,
    });
  } catch (err) {
    clock.restore();
    await rm(dir, { recursive: true, force: true });
    if (err instanceof ConfigInvalidError)
      throw new Error(
        `the test bots.yaml is invalid:\n${renderIssues([...err.issues, ...err.warnings])}`,
        {
          cause: err,
        },
      );
    throw err;
  }
  const sandbox = app.sandbox as Sandbox;
  // The streamers authorize the bot's app, as they would on its OAuth page: EventSub
  // subscriptions to their channels (redemptions, subs...) need it.
  const clientId = sandbox.accounts.get(name)?.clientId;
  if (clientId && options.authorizeChannels !== false)
    for (const ch of channels) sandbox.world.grantUser(ch, clientId, [...SANDBOX_BOT_SCOPES]);
  const discord = await testDiscord(sandbox, name).catch(async (err: unknown) => {
    await app.stop();
    clock.restore();
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  const login = sandbox.accounts.get(name)?.login ?? name;
  const channel = channels[0] ?? 'streamer';
  const delivered = (ch: string): string[] =>
    sandbox.chat
      .messagesFrom(login, ch)
      .filter((r) => r.command === 'PRIVMSG' && !r.dropped)
      .map((r) => r.text ?? '');
  const eventsub = testEventSub(sandbox, channel);
  const probe = chatProbe(app, name);
  const bot: TestBot = {
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
    botSaw: (id, timeoutMs) => probe.saw(id, timeoutMs),
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
    eventsub,
    discord,
    clock,
    async setCogs(cogs) {
      await applyCogs(app, configFile, name, cogs);
      probe.rearm();
    },
    async stop() {
      await app.stop();
      clock.restore();
      await rm(dir, { recursive: true, force: true }); // bots.yaml, and data unless options.dataDir
    },
  };
  if (typeof options.cogs === 'function')
    await bot.setCogs(options.cogs({ discord, eventsub })).catch(async (err: unknown) => {
      await bot.stop();
      throw err;
    });
  return bot;
}
