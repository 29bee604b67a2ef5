import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CogCatalog, CogDescriptor, RetiredCog } from './config/types.js';
import { StreamcogsError } from './errors.js';
import { PLUGIN_API_VERSION, type PluginDefinition } from './plugin.js';

/** Cogs that once existed and cannot work any more. */
const RETIRED: Record<string, RetiredCog> = {
  pubsub: {
    name: 'pubsub',
    reason:
      'Twitch shut PubSub down in April 2025; channel points, bits, subs and moderation events now come only from EventSub',
    replacement: 'eventsub',
  },
};

/** The folder of the built-in cogs. */
export const BUILTIN_PLUGINS_DIR = fileURLToPath(new URL('../plugins/', import.meta.url));

/** Options of {@link PluginCatalog}. */
export interface PluginCatalogOptions {
  /** Folders whose sub-folders are cogs (`<dir>/<name>/index.ts`); default: the built-ins. */
  dirs?: readonly string[];
  /** Where npm cog packages are resolved from; default: the working directory. */
  cwd?: string;
  /** Cache-busting token appended to module URLs (dev reload). */
  version?: () => string;
}

/** Looks like an npm package name rather than a built-in folder. */
function isPackageName(name: string): boolean {
  return name.startsWith('@') || name.startsWith('streamcogs-') || name.includes('/');
}

/**
 * Finds cogs by the name used in bots.yaml: built-in folders under `plugins/` (a
 * twitch-creamery `snake_case` name finds its `kebab-case` folder) and npm packages.
 *
 * @example
 * ```ts
 * const catalog = new PluginCatalog();
 * await catalog.scan();
 * const goLive = await catalog.load('go-live');
 * ```
 */
export class PluginCatalog implements CogCatalog {
  readonly #dirs: readonly string[];
  readonly #cwd: string;
  readonly #version: () => string;
  readonly #folders = new Map<string, string>();
  readonly #loaded = new Map<string, PluginDefinition>();

  constructor(options: PluginCatalogOptions = {}) {
    this.#dirs = options.dirs ?? [BUILTIN_PLUGINS_DIR];
    this.#cwd = options.cwd ?? process.cwd();
    this.#version = options.version ?? (() => '');
  }

  /** Lists the cog folders (skipping `_`-prefixed ones). */
  async scan(): Promise<this> {
    this.#folders.clear();
    for (const dir of this.#dirs) {
      let entries: string[] = [];
      try {
        entries = await readdir(dir);
      } catch {
        continue;
      }
      for (const entry of entries.sort()) {
        if (entry.startsWith('_') || entry.startsWith('.')) continue;
        const full = path.join(dir, entry);
        const entryFile = await stat(path.join(full, 'index.ts')).catch(() => undefined);
        if (entryFile?.isFile()) this.#folders.set(entry, full);
      }
    }
    return this;
  }

  /** The canonical name of a cog as written in bots.yaml (`echo_console` -> `echo-console`). */
  canonical(name: string): string {
    if (this.#folders.has(name) || isPackageName(name)) return name;
    const kebab = name.replace(/_/g, '-');
    return this.#folders.has(kebab) ? kebab : name;
  }

  knownNames(): readonly string[] {
    return [...this.#folders.keys()];
  }

  retired(name: string): RetiredCog | undefined {
    return RETIRED[name];
  }

  async resolve(name: string): Promise<CogDescriptor | undefined> {
    try {
      const plugin = await this.load(name);
      return {
        name: plugin.name,
        description: plugin.description,
        settings: plugin.settings,
        dependsOn: plugin.dependsOn,
        twitchScopes: plugin.needs?.twitchScopes,
      };
    } catch (err) {
      if (err instanceof StreamcogsError && err.code === 'SC_COG_NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** Loads (and caches) a cog's definition; throws a coded error when it is missing or invalid. */
  async load(name: string): Promise<PluginDefinition> {
    const key = this.canonical(name);
    const cached = this.#loaded.get(key);
    if (cached) return cached;
    const url = this.#locate(key);
    if (!url) throw new StreamcogsError('SC_COG_NOT_FOUND', `cog "${name}" is not installed`);
    const mod = (await import(url)) as { default?: unknown };
    const plugin = validatePlugin(mod.default, key);
    this.#loaded.set(key, plugin);
    return plugin;
  }

  /** Forgets loaded modules so the next `load` imports them afresh (dev reload). */
  forget(name?: string): void {
    if (name) this.#loaded.delete(this.canonical(name));
    else this.#loaded.clear();
  }

  #locate(name: string): string | undefined {
    const folder = this.#folders.get(name);
    const v = this.#version();
    if (folder) return pathToFileURL(path.join(folder, 'index.ts')).href + (v ? `?v=${v}` : '');
    if (!isPackageName(name)) return undefined;
    try {
      const require = createRequire(path.join(this.#cwd, 'package.json'));
      return pathToFileURL(require.resolve(name)).href;
    } catch {
      return undefined;
    }
  }
}

/**
 * Checks a module's default export is a cog for this framework's plugin API.
 *
 * @example
 * ```ts
 * validatePlugin((await import('./plugins/hello/index.ts')).default, 'hello');
 * ```
 */
export function validatePlugin(value: unknown, source: string): PluginDefinition {
  const p = value as Partial<PluginDefinition> | undefined;
  if (!p || typeof p !== 'object' || typeof p.setup !== 'function' || typeof p.name !== 'string')
    throw new StreamcogsError('SC_COG_INVALID', `"${source}" does not default-export a cog`, {
      fix: 'export default definePlugin({ name, description, setup }) from its entry file',
    });
  const version = p.apiVersion ?? PLUGIN_API_VERSION;
  if (version !== PLUGIN_API_VERSION)
    throw new StreamcogsError(
      'SC_COG_API_VERSION',
      `cog "${source}" was written for plugin API v${version}, but this streamcogs implements v${PLUGIN_API_VERSION}`,
      {
        fix:
          version > PLUGIN_API_VERSION
            ? 'upgrade streamcogs, or install a version of the cog made for this API'
            : 'install a newer version of the cog',
      },
    );
  return p as PluginDefinition;
}
