import type { BotConfig, BotDiff, CogConfig } from './config/types.js';
import { PluginHost, type CogStatus, type HostServices } from './host.js';
import type { BotPlatform, BotPlatformStatus } from './platform.js';

/** What `/readyz` shows for one bot. */
export interface BotStatus {
  ready: boolean;
  platform: BotPlatformStatus;
  cogs: CogStatus[];
}

/**
 * One bot of bots.yaml: its platform connections and the host of its cogs.
 *
 * @example
 * ```ts
 * const bot = new Bot(config, platform, services);
 * await bot.start();   // connect, then set the cogs up
 * await bot.stop();    // cogs down in reverse, then disconnect
 * ```
 */
export class Bot {
  readonly host: PluginHost;
  #config: BotConfig;

  constructor(
    config: BotConfig,
    readonly platform: BotPlatform,
    services: Omit<HostServices, 'platform'>,
  ) {
    this.#config = config;
    this.host = new PluginHost(
      { name: config.name, prefix: config.prefix, channels: config.channels },
      { ...services, platform },
    );
  }

  get name(): string {
    return this.#config.name;
  }

  get config(): BotConfig {
    return this.#config;
  }

  async start(): Promise<void> {
    await this.platform.start();
    await this.host.mountAll(this.#config.cogs);
  }

  async stop(): Promise<void> {
    await this.host.unmountAll();
    await this.platform.stop();
  }

  /** Applies a change that does not need a restart: channels and cogs. */
  async apply(next: BotConfig, diff: BotDiff): Promise<void> {
    this.#config = next;
    const bot = this.host.bot as { channels: readonly string[] };
    bot.channels = next.channels;
    if (diff.channels.joined.length > 0 || diff.channels.left.length > 0)
      await this.platform.updateChannels(next.channels);
    const changed = diff.cogs.changed.map((c) => c.name);
    const down = new Set([...diff.cogs.removed, ...changed]);
    for (const name of [...this.host.running()].reverse())
      if (down.has(name)) await this.host.unmount(name);
    for (const name of diff.cogs.removed) this.host.forget(name);
    const up = new Set([...diff.cogs.added, ...changed]);
    for (const cog of next.cogs) if (up.has(cog.name)) await this.host.mount(cog as CogConfig);
  }

  status(): BotStatus {
    const platform = this.platform.status();
    const cogs = this.host.status();
    return {
      ready: platform.ready && cogs.every((c) => c.state === 'running'),
      platform,
      cogs,
    };
  }
}
