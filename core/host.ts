import type { CogConfig } from './config/types.js';
import type { BotInfo, PluginContext } from './context.js';
import { DisposerStack, type Disposer } from './disposer.js';
import { describeError, StreamcogsError } from './errors.js';
import type { EventBus } from './events.js';
import { guardHandler } from './guard.js';
import type { CogRoutes } from './http/cog-routes.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { BotPlatform, CogScope } from './platform.js';
import type { PluginDefinition } from './plugin.js';
import { clusterClaim } from './cluster.js';
import { claimedRun, type Scheduler } from './scheduler.js';
import type { Storage } from './storage.js';
import { unavailableWebhooks, type WebhookService } from './webhooks.js';

/** The runtime services a host hands to its cogs. */
export interface HostServices {
  log: Logger;
  bus: EventBus;
  scheduler: Scheduler;
  storage: Storage;
  routes: CogRoutes;
  metrics: Metrics;
  platform: BotPlatform;
  /** The process's Discord webhook sender (`ctx.webhooks`); absent in kernel tests. */
  webhooks?: WebhookService;
  /** Public base URL of the shared server (`PUBLIC_URL`). */
  publicUrl: string;
  /** Make a failing setup fatal (`--strict`). */
  strict?: boolean;
  /** How long a setup may take; default 15 s. */
  setupTimeoutMs?: number;
  /** Finds a cog's definition by name. */
  resolvePlugin(name: string): Promise<PluginDefinition>;
}

/** State of one cog on one bot. */
export interface CogStatus {
  name: string;
  state: 'running' | 'failed' | 'stopped';
  error?: string;
}

interface Mounted {
  config: CogConfig;
  stack: DisposerStack;
  abort: AbortController;
}

/**
 * Mounts one bot's cogs, each in its own context, and takes them down again.
 * A setup that throws is rolled back (its registrations undone) and the others
 * still start, unless `strict` is set.
 *
 * @example
 * ```ts
 * const host = new PluginHost({ name: 'alice', prefix: '!', channels: ['alice'] }, services);
 * await host.mountAll(botConfig.cogs);
 * await host.reload({ name: 'go-live', settings: newSettings });
 * await host.unmountAll();
 * ```
 */
export class PluginHost {
  readonly #mounted = new Map<string, Mounted>();
  readonly #status = new Map<string, CogStatus>();

  constructor(
    readonly bot: BotInfo,
    private readonly services: HostServices,
  ) {}

  /** Mounts cogs in order (the loader already put dependencies first). */
  async mountAll(cogs: readonly CogConfig[]): Promise<void> {
    for (const cog of cogs) await this.mount(cog);
  }

  /** Mounts one cog; returns false when its setup failed and was rolled back. */
  async mount(config: CogConfig): Promise<boolean> {
    const { name } = config;
    if (this.#mounted.has(name)) await this.unmount(name);
    const log = this.services.log.child({ bot: this.bot.name, cog: name });
    const stack = new DisposerStack();
    const abort = new AbortController();
    stack.add(() => abort.abort(new Error(`cog ${name} unloaded`)));
    try {
      const plugin = await this.services.resolvePlugin(name);
      const missing = (plugin.dependsOn ?? []).filter(
        (d) => this.#status.get(d)?.state !== 'running',
      );
      if (missing.length > 0)
        throw new StreamcogsError(
          'SC_COG_SETUP_FAILED',
          `depends on ${missing.map((m) => `"${m}"`).join(', ')}, which is not running`,
          { fix: 'fix the failing dependency first (see its error above)' },
        );
      const ctx = this.#createContext(name, log, stack, abort.signal);
      const teardown = await this.#withTimeout(
        Promise.resolve(plugin.setup(ctx, config.settings as never)),
        name,
      );
      if (typeof teardown === 'function') stack.add(teardown);
      this.#mounted.set(name, { config, stack, abort });
      this.#status.set(name, { name, state: 'running' });
      this.services.metrics.cogState.inc({ bot: this.bot.name, cog: name, event: 'started' });
      log.info('cog started');
      await this.services.bus.emit('core:cog.started', { bot: this.bot.name, cog: name });
      return true;
    } catch (err) {
      const errors = await stack.disposeAll();
      const error = describeError(err);
      this.#status.set(name, { name, state: 'failed', error });
      this.services.metrics.cogState.inc({ bot: this.bot.name, cog: name, event: 'failed' });
      log.error({ err, rollbackErrors: errors.map(describeError) }, `cog setup failed: ${error}`);
      await this.services.bus.emit('core:cog.failed', { bot: this.bot.name, cog: name, error });
      if (this.services.strict)
        throw new StreamcogsError(
          'SC_COG_SETUP_FAILED',
          `bot "${this.bot.name}": cog "${name}" failed to start: ${error}`,
          { cause: err, fix: 'fix the cog or its settings, or run without --strict' },
        );
      return false;
    }
  }

  /** Tears one cog down (its registrations, timers, routes, teardown). */
  async unmount(name: string): Promise<void> {
    const mounted = this.#mounted.get(name);
    this.#mounted.delete(name);
    if (!mounted) {
      this.#status.delete(name);
      return;
    }
    const errors = await mounted.stack.disposeAll();
    for (const err of errors)
      this.services.log.warn({ bot: this.bot.name, cog: name, err }, 'teardown error');
    this.#status.set(name, { name, state: 'stopped' });
    this.services.metrics.cogState.inc({ bot: this.bot.name, cog: name, event: 'stopped' });
    await this.services.bus.emit('core:cog.stopped', { bot: this.bot.name, cog: name });
  }

  /** Unmounts and mounts again with new settings. */
  async reload(config: CogConfig): Promise<boolean> {
    await this.unmount(config.name);
    return this.mount(config);
  }

  /** Tears every cog down, newest first. */
  async unmountAll(): Promise<void> {
    for (const name of [...this.#mounted.keys()].reverse()) await this.unmount(name);
  }

  /** Drops a removed cog from the status list. */
  forget(name: string): void {
    if (!this.#mounted.has(name)) this.#status.delete(name);
  }

  /** The state of every cog this host has seen. */
  status(): CogStatus[] {
    return [...this.#status.values()];
  }

  /** Names of the running cogs, in mount order. */
  running(): string[] {
    return [...this.#mounted.keys()];
  }

  async #withTimeout<T>(promise: Promise<T>, name: string): Promise<T> {
    const ms = this.services.setupTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StreamcogsError('SC_COG_SETUP_TIMEOUT', `setup of "${name}" took over ${ms} ms`, {
              fix: 'do slow work after setup returns (ctx.schedule.at(0, ...))',
            }),
          ),
        ms,
      );
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #createContext(
    cog: string,
    log: Logger,
    stack: DisposerStack,
    signal: AbortSignal,
  ): PluginContext {
    const s = this.services;
    const bot = this.bot.name;
    const guard = <A extends unknown[]>(label: string, fn: (...args: A) => unknown) =>
      guardHandler({ bot, cog, log, bus: s.bus, metrics: s.metrics }, label, fn);
    const track = (d: Disposer): Disposer => stack.add(d);
    const scope: CogScope = { bot, cog, log, signal, track, guard };
    const { twitch, discord } = s.platform.forCog(scope);
    const mounted = s.routes.mount(bot, cog);
    track(() => mounted.dispose());
    return {
      bot: this.bot,
      cog,
      log,
      signal,
      storage: s.storage.forCog(bot, cog),
      events: {
        on: (name, handler) => track(s.bus.on(name, guard(`event:${name}`, handler))),
        emit: (name, payload) => s.bus.emit(name, payload),
      },
      schedule: {
        every: (ms, task, options) => {
          const run = options?.once
            ? claimedRun(clusterClaim(s.storage), `${bot}:${cog}:${options.once}`, ms, task)
            : task;
          return track(s.scheduler.every(ms, guard('timer', run), options));
        },
        at: (when, task) => track(s.scheduler.at(when, guard('timer', task))),
      },
      http: {
        router: mounted.router,
        basePath: mounted.basePath,
        url: (p) =>
          `${s.publicUrl.replace(/\/$/, '')}${mounted.basePath}${p.startsWith('/') ? p : `/${p}`}`,
      },
      twitch,
      discord,
      webhooks: s.webhooks?.forCog({ bot, cog, log }) ?? unavailableWebhooks(bot),
      onDispose: (d) => void track(d),
      guard,
    };
  }
}
