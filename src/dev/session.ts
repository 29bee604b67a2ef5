import path from 'node:path';
import { watch } from 'chokidar';
import type { PluginCatalog } from '../../core/catalog.js';
import { diffConfig, loadEnvFile } from '../../core/config/index.js';
import type { AppConfig } from '../../core/config/types.js';
import { createLogger, secretValuesFromEnv, type Logger } from '../../core/log.js';
import { startApp, type App } from '../app.js';
import { createCatalog, loadEverything, renderIssues } from '../load.js';
import { cogsUsing } from './affected.js';
import { registerReloadHooks, type ModuleGraph } from './module-graph.js';
import { reloadCogs, type ReloadReport } from './reloader.js';

/**
 * Options of {@link startDev}.
 *
 * @example
 * ```ts
 * await startDev({ file: 'bots.yaml', debounceMs: 50 });
 * ```
 */
export interface DevOptions {
  cwd?: string;
  /** bots.yaml path; default `CONFIG_FILENAME` or `bots.yaml`. */
  file?: string;
  env?: Record<string, string | undefined>;
  strict?: boolean;
  log?: Logger;
  /** Quiet time after the last file event before reloading; default 100 ms. */
  debounceMs?: number;
}

/**
 * A running `streamcogs dev`.
 *
 * @example
 * ```ts
 * const dev = await startDev();
 * await dev.idle(); // queued reloads done
 * await dev.stop();
 * ```
 */
export interface DevSession {
  app: App;
  catalog: PluginCatalog;
  graph: ModuleGraph;
  /** Resolves once every reload queued so far has finished. */
  idle(): Promise<void>;
  /** Stops watching, then stops the app. */
  stop(): Promise<void>;
}

function logReport(log: Logger, report: ReloadReport): void {
  for (const r of report.reloaded)
    log.info({ cog: r.cog, bots: r.bots }, `cog "${r.cog}" reloaded on ${r.bots.join(', ')}`);
  for (const k of report.kept)
    log.error(
      { cog: k.cog, error: k.error },
      `cog "${k.cog}" was not reloaded, the previous version keeps running: ${k.error}`,
    );
  for (const r of report.rolledBack)
    log.error(
      { cog: r.cog, bot: r.bot, error: r.error },
      `cog "${r.cog}": the new version failed to set up on bot "${r.bot}", so every bot went back to the previous version: ${r.error}`,
    );
}

/**
 * `streamcogs dev`: starts the bots like `start`, then watches the cog folders (`plugins/`
 * and `PLUGIN_DIRS`) and bots.yaml. A changed file reloads only the cogs that import it,
 * on the bots that run them, atomically (see {@link reloadCogs}); a bots.yaml change is
 * validated and only its difference applied.
 *
 * @example
 * ```ts
 * const dev = await startDev({ file: 'bots.yaml' });
 * // edit plugins/hello/index.ts ... the bots run the new version
 * await dev.stop();
 * ```
 */
export async function startDev(options: DevOptions = {}): Promise<DevSession> {
  const cwd = options.cwd ?? process.cwd();
  const env = { ...loadEnvFile(cwd), ...(options.env ?? process.env) };
  const catalog = await createCatalog(env, cwd);
  const appLog = options.log ?? createLogger({ secrets: secretValuesFromEnv(env) });
  const log = appLog.child({ component: 'dev' });
  const graph = registerReloadHooks(catalog.dirs, log); // before any cog is imported
  const app = await startApp({
    cwd,
    file: options.file,
    env: options.env,
    strict: options.strict,
    log: appLog,
    watch: false, // bots.yaml is watched below, in the same queue as the cogs
    catalog,
  });
  const file = app.runtime.config.file;
  const prepare = (c: AppConfig): AppConfig => app.sandbox?.applyToConfig(c) ?? c;
  const loadConfig = async () => {
    const loaded = await loadEverything({ cwd, file, env: options.env, catalog });
    if (loaded.config) return { config: prepare(loaded.config) };
    return { issues: renderIssues([...loaded.errors, ...loaded.warnings]) };
  };
  const tags = new Map<string, string>(); // cog -> the reload token it runs
  const attempts = new Map<string, string[]>(); // cog -> tokens tried since then
  const tagsOf = (cog: string) => [tags.get(cog) ?? '', ...(attempts.get(cog) ?? [])];
  let token = 0;

  const reloadFiles = async (files: readonly string[]): Promise<void> => {
    await catalog.scan();
    const names = cogsUsing(files, { catalog, graph, tagsOf, runtime: app.runtime });
    if (names.length === 0) return;
    const t = String(++token);
    log.info({ cogs: names, files }, `reloading ${names.join(', ')}`);
    for (const name of names) attempts.set(name, [...(attempts.get(name) ?? []), t]);
    const report = await reloadCogs(names, t, { runtime: app.runtime, catalog, log, loadConfig });
    for (const r of report.reloaded) {
      tags.set(r.cog, t);
      attempts.delete(r.cog);
    }
    graph.prune([...new Set([...tags.keys(), ...attempts.keys()])].flatMap(tagsOf).concat(''));
    logReport(log, report);
  };
  const reloadConfig = async (): Promise<void> => {
    await catalog.scan();
    const checked = await loadConfig();
    if (!checked.config) {
      log.error(`bots.yaml has errors; still running the previous config\n${checked.issues}`);
      return;
    }
    const diff = diffConfig(app.runtime.config, checked.config);
    if (diff.empty) return;
    log.info(await app.runtime.applyConfig(checked.config, diff), 'bots.yaml reloaded');
  };

  let chain = Promise.resolve();
  const enqueue = (work: () => Promise<void>): void => {
    chain = chain.then(work).catch((err: unknown) => log.error({ err }, 'dev reload failed'));
  };
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const configFile = path.resolve(file);
  const watcher = watch([...catalog.dirs, configFile], {
    ignoreInitial: true,
    ignored: (p) => /(^|[/\\])(node_modules|\.[^/\\]+)([/\\]|$)/.test(p),
    awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 },
  });
  watcher.on('all', (_event, changed) => {
    pending.add(path.resolve(changed));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending.clear();
      const code = files.filter((f) => f !== configFile);
      if (code.length > 0) enqueue(() => reloadFiles(code));
      if (files.includes(configFile)) enqueue(reloadConfig);
    }, options.debounceMs ?? 100);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  log.info({ watching: [...catalog.dirs, configFile] }, 'dev: watching cogs and bots.yaml');

  let stopping: Promise<void> | undefined;
  return {
    app,
    catalog,
    graph,
    idle: () => chain,
    stop() {
      stopping ??= (async () => {
        clearTimeout(timer);
        await watcher.close();
        await chain;
        await app.stop();
      })();
      return stopping;
    },
  };
}
