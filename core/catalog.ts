import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CogCatalog, CogDescriptor, RetiredCog } from './config/types.js';
import { apiVersionError, packageOrigin, type CogOrigin } from './cog-origin.js';
import { StreamcogsError } from './errors.js';
import { PLUGIN_API_VERSION, type PluginDefinition } from './plugin.js';

export type { CogOrigin } from './cog-origin.js';

/** Cogs that once existed and cannot work any more. */
const RETIRED: Record<string, RetiredCog> = {
  pubsub: {
    name: 'pubsub',
    reason:
      'Twitch shut PubSub down in April 2025; channel points, bits, subs and moderation events now come only from EventSub',
    replacement: 'eventsub',
  },
};

/**
 * The folder of the built-in cogs.
 *
 * @example
 * ```ts
 * const catalog = new PluginCatalog({ dirs: [BUILTIN_PLUGINS_DIR, join(cwd, 'plugins')] });
 * ```
 */
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

/**
 * The query parameter that makes {@link PluginCatalog.importFresh} load a new copy of a cog
 * (`index.ts?streamcogs-reload=<token>`); `streamcogs dev` carries it to the cog's own files.
 *
 * @example
 * ```ts
 * new URL(url).searchParams.get(RELOAD_QUERY); // '3' for index.ts?streamcogs-reload=3
 * ```
 */
export const RELOAD_QUERY = 'streamcogs-reload';

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
    const v = this.#version();
    const plugin = await this.#import(name, v ? `v=${v}` : '');
    this.#loaded.set(key, plugin);
    return plugin;
  }

  /**
   * Imports a cog afresh (its entry URL gets `?streamcogs-reload=<token>`, a new module for
   * the loader) and validates it, without touching the definition {@link PluginCatalog.load}
   * returns: a broken edit throws here and the running version stays. See
   * {@link PluginCatalog.use} to switch over.
   *
   * @example
   * ```ts
   * const next = await catalog.importFresh('hello', '2'); // throws on a syntax error
   * catalog.use('hello', next);
   * ```
   */
  async importFresh(name: string, token: string): Promise<PluginDefinition> {
    return this.#import(name, `${RELOAD_QUERY}=${encodeURIComponent(token)}`, true);
  }

  /**
   * Makes `plugin` what {@link PluginCatalog.load} returns for `name` from now on (a dev
   * reload that passed, or a rollback to the previous definition).
   *
   * @example
   * ```ts
   * const old = catalog.peek('hello');
   * catalog.use('hello', await catalog.importFresh('hello', '2'));
   * if (old) catalog.use('hello', old); // roll back
   * ```
   */
  use(name: string, plugin: PluginDefinition): void {
    this.#loaded.set(this.canonical(name), plugin);
  }

  /**
   * The definition loaded for `name`, if it was loaded (never imports).
   *
   * @example
   * ```ts
   * catalog.peek('echo-console')?.description;
   * ```
   */
  peek(name: string): PluginDefinition | undefined {
    return this.#loaded.get(this.canonical(name));
  }

  /**
   * The folders scanned for folder cogs, in order (built-ins first, then `PLUGIN_DIRS`).
   *
   * @example
   * ```ts
   * for (const dir of catalog.dirs) watch(dir);
   * ```
   */
  get dirs(): readonly string[] {
    return this.#dirs;
  }

  /**
   * The folder of a folder cog, or undefined for npm packages and unknown names.
   *
   * @example
   * ```ts
   * catalog.folderOf('echo_console'); // '/app/plugins/echo-console'
   * ```
   */
  folderOf(name: string): string | undefined {
    return this.#folders.get(this.canonical(name));
  }

  async #import(name: string, query: string, fresh = false): Promise<PluginDefinition> {
    const key = this.canonical(name);
    const found = this.#locate(key);
    if (!found) throw new StreamcogsError('SC_COG_NOT_FOUND', `cog "${name}" is not installed`);
    const sep = found.url.includes('?') ? '&' : '?';
    const url = query && (fresh || found.folder) ? `${found.url}${sep}${query}` : found.url;
    const mod = (await import(url)) as { default?: unknown };
    return validatePlugin(mod.default, key, found.origin);
  }

  /** Forgets loaded modules so the next `load` imports them afresh (dev reload). */
  forget(name?: string): void {
    if (name) this.#loaded.delete(this.canonical(name));
    else this.#loaded.clear();
  }

  #locate(name: string): { url: string; folder: boolean; origin?: CogOrigin } | undefined {
    const folder = this.#folders.get(name);
    if (folder) return { url: pathToFileURL(path.join(folder, 'index.ts')).href, folder: true };
    if (!isPackageName(name)) return undefined;
    try {
      const require = createRequire(path.join(this.#cwd, 'package.json'));
      const entry = require.resolve(name);
      return { url: pathToFileURL(entry).href, folder: false, origin: packageOrigin(name, entry) };
    } catch {
      return undefined;
    }
  }
}

/**
 * Checks a module's default export is a cog for this framework's plugin API. `origin`
 * (an npm package and its version) makes a version mismatch name the package to change.
 *
 * @example
 * ```ts
 * validatePlugin((await import('./plugins/hello/index.ts')).default, 'hello');
 * validatePlugin(mod.default, 'streamcogs-hello', { package: 'streamcogs-hello', version: '2.0.0' });
 * ```
 */
export function validatePlugin(
  value: unknown,
  source: string,
  origin?: CogOrigin,
): PluginDefinition {
  const p = value as Partial<PluginDefinition> | undefined;
  if (!p || typeof p !== 'object' || typeof p.setup !== 'function' || typeof p.name !== 'string')
    throw new StreamcogsError('SC_COG_INVALID', `"${source}" does not default-export a cog`, {
      fix: 'export default definePlugin({ name, description, setup }) from its entry file',
    });
  const version = p.apiVersion ?? PLUGIN_API_VERSION;
  if (version !== PLUGIN_API_VERSION) throw apiVersionError(source, version, origin);
  return p as PluginDefinition;
}
