import type { AddressInfo } from 'node:net';
import { Bot, type BotStatus } from './bot.js';
import type { AppConfig, BotConfig, ConfigDiff } from './config/types.js';
import { EventBus } from './events.js';
import { CogRoutes } from './http/cog-routes.js';
import { healthRoutes, type Readiness } from './http/health.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import type { Logger } from './log.js';
import { Metrics } from './metrics.js';
import type { BotPlatformFactory } from './platform.js';
import type { PluginCatalog } from './catalog.js';
import type { WebhookService } from './webhooks.js';
import { Scheduler } from './scheduler.js';
import { createStorage, type Storage } from './storage.js';

/** Options of {@link Runtime.start}. */
export interface RuntimeOptions {
  config: AppConfig;
  catalog: PluginCatalog;
  platforms: BotPlatformFactory;
  log: Logger;
  /** `HOST` / `PORT`; defaults 127.0.0.1 and 8000. Port 0 picks a free one. */
  host?: string;
  port?: number;
  /** `PUBLIC_URL`: the address Nginx serves; defaults to the listen address. */
  publicUrl?: string;
  /** `STORAGE_URL` (redis://...); default the SQLite file in `dataDir`. */
  storageUrl?: string;
  dataDir?: string;
  strict?: boolean;
  /** Adds routes (EventSub ingress, OAuth, API, sandbox console) before listening. */
  routes?: (http: HttpServer, runtime: Runtime) => void | Promise<void>;
  /** Runs after the server listens and before bots start (e.g. EventSub markAsReady). */
  onListening?: (runtime: Runtime) => void | Promise<void>;
  /** The Discord webhook sender cogs get as `ctx.webhooks` (built in `src/`). */
  webhooks?: WebhookService;
}

/** One config change applied by {@link Runtime.applyConfig}. */
export interface ConfigChangeSummary {
  botsAdded: string[];
  botsRemoved: string[];
  botsRestarted: string[];
  botsUpdated: string[];
}

/**
 * The process: one shared server, one storage, one bus and scheduler, and one
 * {@link Bot} per top-level key of bots.yaml. Startup order: storage, HTTP listen,
 * bots connect, cogs set up, ready. `stop()` reverses it.
 *
 * @example
 * ```ts
 * const runtime = await Runtime.start({ config, catalog, platforms, log });
 * console.log(runtime.url); // http://127.0.0.1:8000
 * await runtime.stop();
 * ```
 */
export class Runtime {
  readonly bots = new Map<string, Bot>();
  readonly bus: EventBus;
  readonly scheduler: Scheduler;
  readonly routes = new CogRoutes();
  #config: AppConfig;
  #ready = false;
  #stopping: Promise<void> | undefined;
  #address: AddressInfo | undefined;

  private constructor(
    private readonly options: RuntimeOptions,
    readonly storage: Storage,
    readonly http: HttpServer,
    readonly metrics: Metrics,
  ) {
    this.#config = options.config;
    this.bus = new EventBus((name, err) =>
      options.log.error({ err, event: name }, 'event handler failed'),
    );
    this.scheduler = new Scheduler((err) => options.log.error({ err }, 'scheduled task failed'));
  }

  /** Starts everything in order; rejects (after cleaning up) if the server cannot listen. */
  static async start(options: RuntimeOptions): Promise<Runtime> {
    const storage = await createStorage({ url: options.storageUrl, dataDir: options.dataDir });
    const metrics = new Metrics();
    const http = createHttpServer({ log: options.log.child({ component: 'http' }), metrics });
    const runtime = new Runtime(options, storage, http, metrics);
    try {
      http.app.use(healthRoutes(() => runtime.readiness(), runtime.metrics).routes());
      http.app.use(runtime.routes.middleware());
      await options.routes?.(http, runtime);
      runtime.#address = await http.listen(options.host ?? '127.0.0.1', options.port ?? 8000);
      options.log.info({ url: runtime.url, storage: storage.kind }, 'listening');
      await options.onListening?.(runtime);
      for (const bot of options.config.bots) await runtime.#startBot(bot);
      runtime.#ready = true;
      options.log.info({ bots: [...runtime.bots.keys()] }, 'ready');
      return runtime;
    } catch (err) {
      await runtime.stop().catch(() => {});
      throw err;
    }
  }

  /** The address the server listens on. */
  get url(): string {
    const a = this.#address;
    if (!a) return '';
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `http://${host}:${a.port}`;
  }

  /** The public base URL (PUBLIC_URL, else the listen address). */
  get publicUrl(): string {
    return this.options.publicUrl ?? this.url;
  }

  get config(): AppConfig {
    return this.#config;
  }

  async #startBot(config: BotConfig): Promise<void> {
    const platform = this.options.platforms(config);
    const bot = new Bot(config, platform, {
      log: this.options.log,
      bus: this.bus,
      scheduler: this.scheduler,
      storage: this.storage,
      routes: this.routes,
      metrics: this.metrics,
      publicUrl: this.publicUrl,
      webhooks: this.options.webhooks,
      strict: this.options.strict,
      resolvePlugin: (name) => this.options.catalog.load(name),
    });
    this.bots.set(config.name, bot);
    await bot.start();
  }

  async #stopBot(name: string): Promise<void> {
    const bot = this.bots.get(name);
    this.bots.delete(name);
    await bot?.stop();
  }

  /**
   * Applies a new, already validated config: only the difference is touched.
   * Bots whose identity changed (prefix, scopes, discord, secrets) restart.
   */
  async applyConfig(next: AppConfig, diff: ConfigDiff): Promise<ConfigChangeSummary> {
    const summary: ConfigChangeSummary = {
      botsAdded: [],
      botsRemoved: [],
      botsRestarted: [],
      botsUpdated: [],
    };
    for (const name of diff.removed) {
      await this.#stopBot(name);
      summary.botsRemoved.push(name);
    }
    const nextByName = new Map(next.bots.map((b) => [b.name, b]));
    for (const change of diff.changed) {
      const cfg = nextByName.get(change.name);
      if (!cfg) continue;
      if (change.restart) {
        await this.#stopBot(change.name);
        await this.#startBot(cfg);
        summary.botsRestarted.push(change.name);
      } else {
        await this.bots.get(change.name)?.apply(cfg, change);
        summary.botsUpdated.push(change.name);
      }
    }
    for (const name of diff.added) {
      const cfg = nextByName.get(name);
      if (cfg) await this.#startBot(cfg);
      summary.botsAdded.push(name);
    }
    this.#config = next;
    return summary;
  }

  /** Ready when started and every bot is connected with every cog running. */
  readiness(): Readiness {
    const bots: Record<string, BotStatus> = {};
    for (const [name, bot] of this.bots) bots[name] = bot.status();
    const ready = this.#ready && !this.#stopping && Object.values(bots).every((b) => b.ready);
    return { ready, bots };
  }

  /**
   * Graceful stop: not ready, stop accepting and let in-flight requests finish,
   * tear every bot's cogs down in reverse order, close connections and storage.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const log = this.options.log;
      this.#ready = false;
      await this.http.close().catch((err: unknown) => log.warn({ err }, 'http close'));
      for (const name of [...this.bots.keys()].reverse()) {
        await this.#stopBot(name).catch((err: unknown) => log.warn({ err, bot: name }, 'bot stop'));
      }
      this.scheduler.clear();
      await this.storage.close().catch((err: unknown) => log.warn({ err }, 'storage close'));
      log.info('stopped');
    })();
    return this.#stopping;
  }
}
