/**
 * The sub-roles bot process of the e2e tests and the benchmark, wired like src/app.ts plus
 * the EventSub ingress (not in app.ts yet): Connections (tokens, OAuth callback, Discord),
 * Runtime, EventSubService. It imports no sandbox code: the sandbox may run in another
 * process (the benchmark measures this one's memory).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { AppConfig, BotConfig } from '../../../../core/config/types.js';
import { createLogger, type Logger } from '../../../../core/log.js';
import { Runtime } from '../../../../core/runtime.js';
import { readEndpoints } from '../../../../src/endpoints.js';
import { loadEverything } from '../../../../src/load.js';
import { createBotPlatform } from '../../../../src/platform/bot-platform.js';
import { Connections } from '../../../../src/platform/connections.js';
import type { Sandbox } from '../../../../src/sandbox/index.js';
import {
  installClock,
  type FakeTimeOption,
  type InstalledClock,
} from '../../../../src/testing/clock.js';
import { EventSubService } from '../../../../src/twitch/eventsub/index.js';

export const BOT = 'subbot';
export const BROADCASTER = 'streamer';

/**
 * The config the sandbox starts with: the bot, with a Discord application and no guild yet
 * (the tests and the benchmark make their own guild).
 */
export function sandboxConfig(dir: string): AppConfig {
  const bot: BotConfig = {
    name: BOT,
    envPrefix: BOT.toUpperCase(),
    prefix: '!',
    channels: [BROADCASTER],
    scopes: 'all_scopes',
    cogs: [],
    discord: { guilds: [] },
    secrets: {},
  };
  return { file: path.join(dir, 'bots.yaml'), bots: [bot] };
}

/** What a bot needs of the sandbox: where it is, its accounts, the guild (maybe in another process). */
export interface BotWorld {
  dir: string;
  guildId: string;
  /** Endpoint variables pointing at the sandbox. */
  env: Record<string, string>;
  accounts: Sandbox['accounts'];
  /** The config with the bot's sandbox credentials. */
  applyToConfig: Sandbox['applyToConfig'];
}

/** One running streamcogs process with the sub-roles cog. */
export interface Bot {
  runtime: Runtime;
  connections: Connections;
  eventsub: EventSubService;
  dataDir: string;
  logs: string[];
  clock: InstalledClock;
  stop(): Promise<void>;
}

/** Options of {@link startBot}. */
export interface BotOptions {
  settings?: Record<string, unknown>;
  /** Reuse the data of an earlier bot (restart). */
  dataDir?: string;
  fakeTime?: FakeTimeOption;
  /** Log level of the lines kept in {@link Bot.logs}; default `debug`. */
  logLevel?: string;
}

/** Writes bots.yaml, validates it like `streamcogs start`, and starts the process. */
export async function startBot(world: BotWorld, options: BotOptions = {}): Promise<Bot> {
  const file = path.join(world.dir, 'bots.yaml');
  const bots = {
    [BOT]: {
      channels: [BROADCASTER],
      discord: { guilds: [world.guildId] },
      cogs: [{ 'sub-roles': options.settings ?? {} }],
    },
  };
  await writeFile(file, stringify(bots));
  const loaded = await loadEverything({ cwd: world.dir, file, env: { SANDBOX: '1' } });
  if (!loaded.config)
    throw new Error(loaded.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const config = world.applyToConfig(loaded.config);
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(world.dir, 'data-')));
  const logs: string[] = [];
  const log: Logger = createLogger({
    level: options.logLevel ?? 'debug',
    pretty: false,
    destination: { write: (line: string) => void logs.push(line) },
  });
  const endpoints = readEndpoints(world.env);
  const clock = await installClock(options.fakeTime);
  const connections = await Connections.create({
    config,
    load: (name) => loaded.catalog.load(name),
    endpoints,
    log,
    env: {},
    sandbox: true,
    dataDir,
    sandboxAccounts: world.accounts,
  });
  connections.hold();
  let eventsub: EventSubService | undefined;
  const runtime = await Runtime.start({
    config,
    catalog: loaded.catalog,
    log,
    port: 0,
    dataDir,
    strict: true,
    platforms: (b) =>
      createBotPlatform(b, {
        endpoints,
        log,
        ...connections.depsFor(b),
        eventsub: (eventsub as EventSubService).facetFor(b),
      }),
    routes: async (http, rt) => {
      eventsub = await EventSubService.create({
        storage: rt.storage,
        registry: rt.metrics.registry,
        log,
        env: {},
        syncDelayMs: 10,
      });
      http.app.use(eventsub.routes());
      connections.attach(rt, http.app);
    },
    onListening: (rt) => (eventsub as EventSubService).listen(rt.publicUrl),
  }).catch((err: unknown) => {
    clock.restore();
    throw err;
  });
  const service = eventsub as EventSubService;
  await connections.release();
  await service.start();
  return {
    runtime,
    connections,
    eventsub: service,
    dataDir,
    logs,
    clock,
    async stop() {
      await service.stop();
      await runtime.stop();
      clock.restore();
    },
  };
}
