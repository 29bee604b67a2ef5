import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider } from '@twurple/auth';
import { BUILTIN_PLUGINS_DIR, PluginCatalog } from '../../../../core/catalog.js';
import type { AppConfig, BotConfig } from '../../../../core/config/types.js';
import type { CogScope, Logger, TwitchEventSub, TwitchFacet } from '../../../../core/index.js';
import { createLogger } from '../../../../core/log.js';
import { Runtime } from '../../../../core/runtime.js';
import { createApiRouter } from '../../../../src/api/index.js';
import { WebhookSender } from '../../../../src/discord/webhooks/index.js';
import { createTrackingRouter } from '../../../../src/discord/webhooks/tracking-router.js';
import { EventSubService } from '../../../../src/twitch/eventsub/index.js';
import { MemoryPlatform } from '../../../helpers/memory-platform.js';

/** What Twitch is told to call; the sandbox rewrites it to the runtime's address. */
export const PUBLIC_URL = 'https://bots.example.test';
/** The Twitch app the bots use (created in the sandbox world). */
export const APP = { clientId: 'golive-app', clientSecret: 'golive-app-secret' };

/** Chat in memory; Helix and EventSub real (twurple against the sandbox). */
class GoLivePlatform extends MemoryPlatform {
  readonly api = new ApiClient({
    authProvider: new AppTokenAuthProvider(APP.clientId, APP.clientSecret),
  });
  constructor(
    bot: BotConfig,
    private readonly eventsub: (scope: CogScope) => TwitchEventSub,
  ) {
    super(bot);
  }
  override forCog(scope: CogScope): { twitch: TwitchFacet; discord: undefined } {
    const { twitch } = super.forCog(scope);
    return {
      twitch: { ...twitch, api: this.api, eventsub: this.eventsub(scope) },
      discord: undefined,
    };
  }
}

/** A running bot with the go-live cog. */
export interface GoLiveBot {
  runtime: Runtime;
  sender: WebhookSender;
  eventsub: EventSubService;
  logs: string[];
  dataDir: string;
  /** Lines logged, as objects. */
  logged(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Options of {@link bootGoLiveBot}. */
export interface BootOptions {
  /** The Discord REST base (`DiscordServer.apiUrl`). TWURPLE_MOCK_API_PORT must be set. */
  discordApi: string;
  /** go-live settings as in bots.yaml. */
  settings: Record<string, unknown>;
  dataDir?: string;
  env?: Record<string, string>;
  name?: string;
  /** Where logs go besides `logs` (a child process writes them to stdout). */
  echo?: (line: string) => void;
  /** Called with the runtime's URL once it listens (before Twitch verifies callbacks). */
  onListening?: (url: string) => void;
  /** Listen port; default a free one. */
  port?: number;
  /** Sender options (benchmarks). */
  globalPerSecond?: number;
}

/**
 * Starts one bot running the go-live cog, wired like src/app.ts: the EventSub ingress and
 * service, the process's webhook sender as `ctx.webhooks`, `/api` and `/api/tracking`.
 *
 * @example
 * ```ts
 * const bot = await bootGoLiveBot({ discordApi: discord.apiUrl, settings: { streamers: { ada: { webhook } } } });
 * await bot.stop();
 * ```
 */
export async function bootGoLiveBot(o: BootOptions): Promise<GoLiveBot> {
  const dataDir = o.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'streamcogs-golive-')));
  const logs: string[] = [];
  const logger: Logger = createLogger({
    level: 'debug',
    pretty: false,
    destination: {
      write: (l: string) => {
        logs.push(l);
        o.echo?.(l);
      },
    },
  });
  const catalog = await new PluginCatalog({ dirs: [BUILTIN_PLUGINS_DIR] }).scan();
  const def = await catalog.load('go-live');
  const name = o.name ?? 'alice';
  const bot: BotConfig = {
    name,
    envPrefix: name.toUpperCase(),
    prefix: '!',
    channels: [name],
    scopes: 'all_scopes',
    cogs: [{ name: 'go-live', settings: def.settings?.parse(o.settings) as never, dependsOn: [] }],
    secrets: { ...APP },
  };
  const config: AppConfig = { file: path.join(dataDir, 'bots.yaml'), bots: [bot] };
  const sender = new WebhookSender({
    apiUrl: o.discordApi,
    log: logger,
    globalPerSecond: o.globalPerSecond,
  });
  let eventsub: EventSubService | undefined;
  let close = () => {};
  const runtime = await Runtime.start({
    config,
    catalog,
    log: logger,
    port: o.port ?? 0,
    dataDir,
    publicUrl: PUBLIC_URL,
    webhooks: sender,
    platforms: (b) => new GoLivePlatform(b, (eventsub as EventSubService).facetFor(b)),
    routes: async (http, rt) => {
      sender.useRegistry(rt.metrics.registry);
      eventsub = await EventSubService.create({
        storage: rt.storage,
        registry: rt.metrics.registry,
        log: logger,
        env: {},
        syncDelayMs: 10,
      });
      http.app.use(eventsub.routes());
      const tracking = createTrackingRouter({ runtime: rt, env: o.env ?? {}, log: logger });
      close = () => tracking.close();
      http.app.use(tracking.routes());
      http.app.use(createApiRouter({ runtime: rt, env: o.env ?? {}, log: logger }).routes());
    },
    onListening: async (rt) => {
      o.onListening?.(rt.url);
      await (eventsub as EventSubService).listen(rt.publicUrl);
    },
  });
  const service = eventsub as EventSubService;
  await service.start();
  return {
    runtime,
    sender,
    eventsub: service,
    logs,
    dataDir,
    logged: () => logs.map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      close();
      await service.stop();
      await runtime.stop();
      sender.close();
    },
  };
}
