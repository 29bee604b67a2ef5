import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_PLUGINS_DIR, PluginCatalog } from '../../../../core/catalog.js';
import type { AppConfig, BotConfig, CogConfig } from '../../../../core/config/types.js';
import { createLogger, type Logger } from '../../../../core/log.js';
import { Runtime } from '../../../../core/runtime.js';
import { createApiRouter, StatusApiDirectory } from '../../../../src/api/index.js';
import type { StreamStatusApi } from '../../../../plugins/eventsub/index.js';
import { TwitchApiServer, loopbackHttp } from '../../../../src/sandbox/twitch/helix/index.js';
import { TwitchWorld } from '../../../../src/sandbox/twitch/world.js';
import {
  EventSubService,
  type EventSubServiceOptions,
  type ReconcileReport,
} from '../../../../src/twitch/eventsub/index.js';
import { EventSubTestPlatform } from './platform.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));
/** What Twitch is told to call; the sandbox rewrites it to the runtime's loopback address. */
export const PUBLIC_URL = 'https://bots.example.test';

/** A Twitch sandbox (world + Helix/OAuth/EventSub API) shared by runtimes in one test file. */
export interface Sandbox {
  world: TwitchWorld;
  api: TwitchApiServer;
  /** Where deliveries to PUBLIC_URL go now (set by each runtime that starts). */
  target: { url: string };
  close(): Promise<void>;
}

/** Starts the Twitch sandbox and points twurple at it. */
export async function startSandbox(
  options: { maxTotalCost?: number; enforceAuthorization?: boolean } = {},
): Promise<Sandbox> {
  const world = new TwitchWorld();
  const target = { url: '' };
  const api = await TwitchApiServer.start({
    world,
    callbackRewrite: (u) => loopbackHttp(u.replace(PUBLIC_URL, target.url || PUBLIC_URL)),
    maxTotalCost: options.maxTotalCost,
    enforceEventSubAuthorization: options.enforceAuthorization,
    delivery: { retryBaseMs: 20, maxAttempts: 2, timeoutMs: 3000 },
  });
  process.env.TWURPLE_MOCK_API_PORT = String(api.port);
  return { world, api, target, close: () => api.close() };
}

/** A bot with sandbox app credentials. */
export function bot(name: string, cogs: CogConfig[], app = 'app-a'): BotConfig {
  return {
    name,
    envPrefix: name.toUpperCase(),
    prefix: '!',
    channels: [name],
    scopes: 'all_scopes',
    cogs,
    secrets: { clientId: app, clientSecret: `${app}-secret` },
  };
}

/** A cog entry. */
export function cog(name: string, settings: Record<string, unknown> = {}): CogConfig {
  return { name, settings, dependsOn: [] };
}

/** One running runtime with the EventSub service and the /api router. */
export interface Harness {
  runtime: Runtime;
  eventsub: EventSubService;
  logs: string[];
  log: Logger;
  dataDir: string;
  /** The stream status services the eventsub cogs published. */
  apis: StatusApiDirectory;
  /** The status service of `bot` (default: the first). */
  statusApi(bot?: string): StreamStatusApi;
  /** What the first reconciliation did. */
  report: ReconcileReport;
  stop(): Promise<void>;
}

/** Options of {@link startRuntime}. */
export interface RuntimeOptions {
  bots: BotConfig[];
  dataDir?: string;
  storageUrl?: string;
  env?: Record<string, string | undefined>;
  /** Ingress limits passed to the service. */
  ingress?: EventSubServiceOptions['ingress'];
}

/** Starts a runtime wired like src/app.ts: ingress, /api, facets, then the first reconciliation. */
export async function startRuntime(sandbox: Sandbox, options: RuntimeOptions): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'streamcogs-es-')));
  const logs: string[] = [];
  const log = createLogger({
    level: 'debug',
    pretty: false,
    destination: { write: (line: string) => void logs.push(line) },
  });
  for (const b of options.bots)
    sandbox.world.createApp({ clientId: b.secrets.clientId, clientSecret: b.secrets.clientSecret });
  const catalog = await new PluginCatalog({ dirs: [BUILTIN_PLUGINS_DIR, FIXTURES] }).scan();
  // Settings as the config loader would hand them over: parsed, defaults applied.
  const bots: BotConfig[] = [];
  for (const b of options.bots) {
    const cogs: CogConfig[] = [];
    for (const c of b.cogs) {
      const def = await catalog.load(c.name);
      cogs.push({
        ...c,
        settings: (def.settings?.parse(c.settings) ?? {}) as CogConfig['settings'],
      });
    }
    bots.push({ ...b, cogs });
  }
  const config: AppConfig = { file: path.join(dataDir, 'bots.yaml'), bots };
  const env = options.env ?? {};
  let eventsub: EventSubService | undefined;
  let apis: StatusApiDirectory | undefined;
  const runtime = await Runtime.start({
    config,
    catalog,
    log,
    port: 0,
    dataDir,
    storageUrl: options.storageUrl,
    publicUrl: PUBLIC_URL,
    platforms: (b) => new EventSubTestPlatform(b, (eventsub as EventSubService).facetFor(b)),
    routes: async (http, rt) => {
      eventsub = await EventSubService.create({
        storage: rt.storage,
        registry: rt.metrics.registry,
        log,
        env,
        syncDelayMs: 10,
        ingress: options.ingress,
      });
      apis = new StatusApiDirectory(rt.bus, () => rt.config.bots.map((b) => b.name));
      http.app.use(eventsub.routes());
      http.app.use(createApiRouter({ runtime: rt, env, log }).routes());
    },
    onListening: async (rt) => {
      sandbox.target.url = rt.url;
      await (eventsub as EventSubService).listen(rt.publicUrl);
    },
  });
  const service = eventsub as EventSubService;
  const report = await service.start();
  await sandbox.api.eventSub.idle();
  return {
    runtime,
    eventsub: service,
    logs,
    log,
    dataDir,
    report,
    apis: apis as StatusApiDirectory,
    statusApi: (name) => {
      const choice = (apis as StatusApiDirectory).pick(name);
      if (!choice.ok) throw new Error(choice.message);
      return choice.api;
    },
    stop: async () => {
      apis?.close();
      await service.stop();
      await runtime.stop();
    },
  };
}

/** Log lines as objects. */
export function parsedLogs(h: Harness): Record<string, unknown>[] {
  return h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Waits until `check` returns true (polling), or fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
