import path from 'node:path';
import { BUILTIN_PLUGINS_DIR, PluginCatalog } from '../core/catalog.js';
import { formatIssues, loadConfig, loadEnvFile, resolveConfigPath } from '../core/config/index.js';
import type { AppConfig, ConfigIssue } from '../core/config/types.js';

/** The environment, bots.yaml and cogs, loaded and checked: what `start` and `check` share. */
export interface Loaded {
  env: Record<string, string | undefined>;
  file: string;
  catalog: PluginCatalog;
  config?: AppConfig;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** Options of {@link loadEverything}. */
export interface LoadEverythingOptions {
  cwd?: string;
  /** bots.yaml path; default `CONFIG_FILENAME` or `bots.yaml`. */
  file?: string;
  env?: Record<string, string | undefined>;
  requireCredentials?: boolean;
  catalog?: PluginCatalog;
}

/**
 * Reads `.env` (the process environment wins), finds bots.yaml and validates it
 * against the installed cogs. Never throws for user errors: they come back as issues.
 *
 * @example
 * ```ts
 * const loaded = await loadEverything({ file: 'bots.yaml' });
 * if (loaded.errors.length) console.error(renderIssues(loaded));
 * ```
 */
export async function loadEverything(options: LoadEverythingOptions = {}): Promise<Loaded> {
  const cwd = options.cwd ?? process.cwd();
  const env = { ...loadEnvFile(cwd), ...(options.env ?? process.env) };
  const file = options.file ? path.resolve(cwd, options.file) : resolveConfigPath(env, cwd);
  const catalog = options.catalog ?? (await createCatalog(env, cwd));
  const result = await loadConfig({
    file,
    env,
    catalog,
    cwd,
    requireCredentials: options.requireCredentials ?? false,
  });
  return result.ok
    ? { env, file, catalog, config: result.config, errors: [], warnings: result.warnings }
    : { env, file, catalog, errors: result.errors, warnings: result.warnings };
}

/**
 * The cog catalog: the built-in cogs, then each folder of `PLUGIN_DIRS` (separated by
 * `:`), then npm packages resolved from `cwd`.
 *
 * @example
 * ```ts
 * const catalog = await createCatalog({ PLUGIN_DIRS: './my-cogs' }, process.cwd());
 * ```
 */
export async function createCatalog(
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<PluginCatalog> {
  const extra = (env.PLUGIN_DIRS ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((d) => path.resolve(cwd, d));
  return new PluginCatalog({ dirs: [BUILTIN_PLUGINS_DIR, ...extra], cwd }).scan();
}

/**
 * Compiler-style text for every issue, colour on a terminal.
 *
 * @example
 * ```ts
 * process.stderr.write(renderIssues([...loaded.errors, ...loaded.warnings]));
 * ```
 */
export function renderIssues(issues: readonly ConfigIssue[]): string {
  return formatIssues(issues, { color: process.stderr.isTTY === true });
}
