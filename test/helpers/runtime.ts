import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginCatalog } from '../../core/catalog.js';
import type { AppConfig, BotConfig, CogConfig } from '../../core/config/types.js';
import { createLogger } from '../../core/log.js';
import { Runtime } from '../../core/runtime.js';
import { MemoryPlatform } from './memory-platform.js';

export const FIXTURE_PLUGINS = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));

/** A bot config written by hand for kernel tests. */
export function botConfig(name: string, cogs: CogConfig[], channels: string[] = [name]): BotConfig {
  return {
    name,
    envPrefix: name.toUpperCase(),
    prefix: '!',
    channels,
    scopes: 'all_scopes',
    cogs,
    secrets: {},
  };
}

/** Starts a runtime on a free port with in-memory platforms and the fixture cogs. */
export async function startTestRuntime(
  bots: BotConfig[],
  options: { strict?: boolean; dataDir?: string; storageUrl?: string } = {},
): Promise<{
  runtime: Runtime;
  platforms: Map<string, MemoryPlatform>;
  dataDir: string;
  logs: string[];
}> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'streamcogs-test-')));
  const platforms = new Map<string, MemoryPlatform>();
  const logs: string[] = [];
  const log = createLogger({
    level: 'debug',
    pretty: false,
    destination: { write: (line: string) => void logs.push(line) },
  });
  const config: AppConfig = { file: path.join(dataDir, 'bots.yaml'), bots };
  const catalog = await new PluginCatalog({ dirs: [FIXTURE_PLUGINS] }).scan();
  const runtime = await Runtime.start({
    config,
    catalog,
    log,
    port: 0,
    dataDir,
    storageUrl: options.storageUrl,
    strict: options.strict,
    platforms: (bot) => {
      const p = new MemoryPlatform(bot);
      platforms.set(bot.name, p);
      return p;
    },
  });
  return { runtime, platforms, dataDir, logs };
}
