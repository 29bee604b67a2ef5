import type { PluginCatalog } from '../core/catalog.js';
import type { ConfigIssue } from '../core/config/types.js';
import { createLogger, secretValuesFromEnv, type Logger } from '../core/log.js';
import { Runtime } from '../core/runtime.js';
import { watchConfig } from './config-watch.js';
import { readEndpoints } from './endpoints.js';
import { loadEverything } from './load.js';
import { decideMode, type RunMode } from './mode.js';
import { WebhookSender } from './discord/webhooks/index.js';
import { createTrackingRouter } from './discord/webhooks/tracking-router.js';
import { createBotPlatform } from './platform/bot-platform.js';
import { Connections } from './platform/connections.js';
import type { Sandbox } from './sandbox/index.js';
import { createApiRouter } from './api/index.js';
import { EventSubService } from './twitch/eventsub/index.js';

/** Options of {@link startApp}. */
export interface AppOptions {
  cwd?: string;
  /** bots.yaml path; default `CONFIG_FILENAME` or `bots.yaml`. */
  file?: string;
  env?: Record<string, string | undefined>;
  strict?: boolean;
  /** Watch bots.yaml and apply changes (default true; `WATCH_CONFIG=0` disables). */
  watch?: boolean;
  log?: Logger;
  /** The cog catalog to use (`streamcogs dev` passes one it reloads); default a fresh one. */
  catalog?: PluginCatalog;
  /** Set in a shard process (`DISCORD_SHARDS`): every log line carries `shard`. */
  shard?: { id: number; count: number };
}

/** A running application. */
export interface App {
  runtime: Runtime;
  mode: RunMode;
  sandbox: Sandbox | undefined;
  /** Tokens, the OAuth callback and the Discord connections of every bot. */
  connections: Connections;
  log: Logger;
  stop(): Promise<void>;
}

/**
 * Thrown when the configuration or environment is invalid: nothing was started.
 *
 * @example
 * ```ts
 * try {
 *   await startApp({ cwd: process.cwd() });
 * } catch (err) {
 *   if (err instanceof ConfigInvalidError) process.stderr.write(renderIssues(err.issues));
 * }
 * ```
 */
export class ConfigInvalidError extends Error {
  constructor(
    readonly issues: ConfigIssue[],
    readonly warnings: ConfigIssue[],
  ) {
    super(`configuration invalid: ${issues.length} error(s)`);
    this.name = 'ConfigInvalidError';
  }
}

/**
 * Loads and validates everything, then starts: storage, the shared server, the sandbox
 * when there are no credentials, every bot and its cogs. Nothing connects when the
 * config is invalid: a {@link ConfigInvalidError} carries every issue.
 *
 * @example
 * ```ts
 * const app = await startApp({ file: 'bots.yaml' });
 * process.on('SIGTERM', () => void app.stop());
 * ```
 */
export async function startApp(options: AppOptions = {}): Promise<App> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadEverything({
    cwd,
    file: options.file,
    env: options.env,
    catalog: options.catalog,
  });
  if (!loaded.config) throw new ConfigInvalidError(loaded.errors, loaded.warnings);
  const config = loaded.config;
  const mode = decideMode(config, loaded.env);
  if (mode.kind === 'partial') throw new ConfigInvalidError(mode.issues, loaded.warnings);

  const root = options.log ?? createLogger({ secrets: secretValuesFromEnv(loaded.env) });
  const log = options.shard ? root.child({ shard: options.shard.id }) : root;
  for (const w of loaded.warnings)
    log.warn(
      { path: w.path, line: w.line },
      `${w.file}:${w.line ?? 0}: ${w.message}${w.fix ? ` (fix: ${w.fix})` : ''}`,
    );

  let env = loaded.env;
  let sandbox: Sandbox | undefined;
  if (mode.kind === 'sandbox') {
    // Imported only in sandbox mode: a production process never loads the local Twitch and
    // Discord (~100 modules, their servers and fixtures).
    const { startSandbox } = await import('./sandbox/index.js');
    sandbox = await startSandbox({ config, log: log.child({ component: 'sandbox' }) });
    env = { ...env, ...sandbox.env };
    Object.assign(process.env, sandbox.env); // twurple reads TWURPLE_MOCK_API_PORT per request
  }
  const endpoints = readEndpoints(env);
  const sandboxConfig = sandbox ? sandbox.applyToConfig(config) : config;
  const dataDir = env.DATA_DIR ?? `${cwd}/data`;
  // One Discord webhook sender for the process (`ctx.webhooks`): Discord's global limit is
  // per caller, so every bot and cog shares its pacing.
  const webhooks = new WebhookSender({
    apiUrl: endpoints.discordApi,
    log,
    globalPerSecond: env.DISCORD_WEBHOOK_GLOBAL_LIMIT
      ? Number(env.DISCORD_WEBHOOK_GLOBAL_LIMIT)
      : undefined,
  });
  let closeTracking = (): void => {};

  let runtime: Runtime;
  let connections: Connections;
  let eventsub: EventSubService | undefined;
  try {
    connections = await Connections.create({
      config: sandboxConfig,
      load: (name) => loaded.catalog.load(name),
      endpoints,
      log,
      env,
      sandbox: mode.kind === 'sandbox',
      dataDir,
      sandboxAccounts: sandbox?.accounts,
    });
    connections.hold(); // Discord commands: one bulk overwrite per guild once every cog is set up
    runtime = await Runtime.start({
      config: sandboxConfig,
      catalog: loaded.catalog,
      log,
      strict: options.strict,
      host: env.HOST ?? '127.0.0.1',
      port: env.PORT !== undefined ? Number(env.PORT) : 8000,
      publicUrl: env.PUBLIC_URL,
      storageUrl: env.STORAGE_URL,
      dataDir,
      platforms: (bot) =>
        createBotPlatform(bot, {
          endpoints,
          log,
          ...connections.depsFor(bot),
          eventsub: eventsub?.facetFor(bot),
        }),
      webhooks,
      routes: async (http, rt) => {
        webhooks.useRegistry(rt.metrics.registry);
        eventsub = await EventSubService.create({
          storage: rt.storage,
          registry: rt.metrics.registry,
          log,
          env,
        });
        // EventSub first: it needs the raw body, no parser may run before it.
        http.app.use(eventsub.routes());
        const tracking = createTrackingRouter({ runtime: rt, env, log });
        closeTracking = () => tracking.close();
        http.app.use(tracking.routes());
        http.app.use(createApiRouter({ runtime: rt, env, log }).routes());
        connections.attach(rt, http.app);
        sandbox?.mount(http.app);
      },
      onListening: (rt) => eventsub?.listen(rt.publicUrl),
    });
    await connections.release();
    await eventsub?.start(); // first reconciliation, once every cog has registered
  } catch (err) {
    await eventsub?.stop();
    await sandbox?.close();
    throw err;
  }
  if (sandbox) sandbox.announce(runtime.url);

  const unwatch =
    (options.watch ?? env.WATCH_CONFIG !== '0')
      ? watchConfig(runtime, {
          file: loaded.file,
          cwd,
          log,
          env: loaded.env,
          prepare: sandbox ? (c) => sandbox.applyToConfig(c) : undefined,
        })
      : async () => {};
  let stopping: Promise<void> | undefined;
  return {
    runtime,
    mode,
    sandbox,
    connections,
    log,
    stop() {
      stopping ??= (async () => {
        await unwatch();
        await eventsub?.stop(); // before the runtime: cog teardown must not delete subscriptions
        await runtime.stop();
        closeTracking();
        webhooks.close();
        await sandbox?.close();
      })();
      return stopping;
    },
  };
}
