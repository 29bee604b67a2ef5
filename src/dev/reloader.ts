import type { PluginCatalog } from '../../core/catalog.js';
import type { AppConfig, BotConfig, CogConfig, ConfigDiff } from '../../core/config/types.js';
import { describeError } from '../../core/errors.js';
import type { PluginHost } from '../../core/host.js';
import type { Logger } from '../../core/log.js';
import type { PluginDefinition } from '../../core/plugin.js';
import type { Runtime } from '../../core/runtime.js';

/**
 * What {@link reloadCogs} works with.
 *
 * @example
 * ```ts
 * const deps: ReloadDeps = { runtime, catalog, log, loadConfig: async () => ({ config }) };
 * ```
 */
export interface ReloadDeps {
  runtime: Runtime;
  catalog: PluginCatalog;
  log: Logger;
  /**
   * bots.yaml validated against the catalog as it is now (so with the new cog versions) and
   * prepared like the running config (sandbox credentials); `issues` when it is invalid.
   */
  loadConfig(): Promise<{ config?: AppConfig; issues?: string }>;
}

/**
 * What one reload did.
 *
 * @example
 * ```ts
 * const { reloaded, kept, rolledBack } = await reloadCogs(['hello'], '2', deps);
 * ```
 */
export interface ReloadReport {
  /** Cogs now running their new version, with the bots they run on. */
  reloaded: { cog: string; bots: string[] }[];
  /** Cogs whose new version did not import, validate or check: the old one keeps running. */
  kept: { cog: string; error: string }[];
  /** Cogs whose new version failed to set up on a bot: every bot went back to the old one. */
  rolledBack: { cog: string; bot: string; error: string }[];
}

const NOTHING_CHANGED: ConfigDiff = { added: [], removed: [], changed: [], empty: true };

/** The cogs of `bot` to take down and up again for `names`: those and their dependants. */
function touchedCogs(bot: BotConfig, names: ReadonlySet<string>): CogConfig[] {
  const touched = new Set<string>();
  for (const cog of bot.cogs)
    if (names.has(cog.name) || (cog.dependsOn ?? []).some((d) => touched.has(d)))
      touched.add(cog.name);
  return bot.cogs.filter((c) => touched.has(c.name));
}

async function swap(host: PluginHost, down: readonly CogConfig[], up: readonly CogConfig[]) {
  for (const cog of [...down].reverse()) await host.unmount(cog.name);
  const failed: { cog: string; error: string }[] = [];
  for (const cog of up) {
    const ok = await host.mount(cog).catch(() => false);
    if (!ok) {
      const error = host.status().find((s) => s.name === cog.name)?.error ?? 'setup failed';
      failed.push({ cog: cog.name, error });
    }
  }
  return failed;
}

/** `config` with the given cogs of each bot replaced by their new entries. */
function splice(config: AppConfig, fresh: ReadonlyMap<string, readonly CogConfig[]>): AppConfig {
  return {
    ...config,
    bots: config.bots.map((bot) => {
      const next = new Map((fresh.get(bot.name) ?? []).map((c) => [c.name, c]));
      return next.size ? { ...bot, cogs: bot.cogs.map((c) => next.get(c.name) ?? c) } : bot;
    }),
  };
}

async function importAll(names: readonly string[], token: string, deps: ReloadDeps) {
  const fresh = new Map<string, PluginDefinition>();
  const kept: ReloadReport['kept'] = [];
  for (const name of names) {
    try {
      fresh.set(name, await deps.catalog.importFresh(name, token));
    } catch (err) {
      kept.push({ cog: name, error: describeError(err) });
    }
  }
  return { fresh, kept };
}

/**
 * Reloads cogs whose code changed, atomically: each new version is imported and validated
 * first (a syntax error keeps the old one running), bots.yaml is checked against the new
 * settings schemas, then every bot running the cog takes it (and the cogs depending on it)
 * down and up again. If the new version fails to set up on any bot, every bot goes back to
 * the previous version.
 *
 * @example
 * ```ts
 * const report = await reloadCogs(['hello'], '7', { runtime, catalog, log, loadConfig });
 * report.reloaded; // [{ cog: 'hello', bots: ['alice'] }]
 * ```
 */
export async function reloadCogs(
  names: readonly string[],
  token: string,
  deps: ReloadDeps,
): Promise<ReloadReport> {
  const { runtime, catalog, log } = deps;
  const report: ReloadReport = { reloaded: [], kept: [], rolledBack: [] };
  const { fresh, kept } = await importAll(names, token, deps);
  report.kept.push(...kept);
  if (fresh.size === 0) return report;

  const previous = new Map([...fresh.keys()].map((n) => [n, catalog.peek(n)]));
  const restore = (): void => {
    for (const [name, old] of previous) if (old) catalog.use(name, old);
  };
  for (const [name, plugin] of fresh) catalog.use(name, plugin);
  const checked = await deps.loadConfig();
  if (!checked.config) {
    restore();
    const error = `bots.yaml does not accept the new version:\n${checked.issues ?? ''}`;
    for (const name of fresh.keys()) report.kept.push({ cog: name, error });
    return report;
  }

  const wanted = new Set(fresh.keys());
  const plans: { host: PluginHost; bot: string; old: CogConfig[]; next: CogConfig[] }[] = [];
  for (const bot of checked.config.bots) {
    const running = runtime.bots.get(bot.name);
    const before = runtime.config.bots.find((b) => b.name === bot.name);
    if (!running || !before) continue;
    const known = new Set(running.host.status().map((s) => s.name));
    const next = touchedCogs(bot, wanted).filter((c) => known.has(c.name));
    if (next.length === 0) continue;
    const old = before.cogs.filter((c) => next.some((n) => n.name === c.name));
    plans.push({ host: running.host, bot: bot.name, old, next });
  }

  for (const plan of plans) {
    const failed = await swap(plan.host, plan.old, plan.next);
    for (const f of failed) report.rolledBack.push({ ...f, bot: plan.bot });
  }
  if (report.rolledBack.length > 0) {
    restore();
    for (const plan of plans) await swap(plan.host, plan.next, plan.old);
    return report;
  }
  const spliced = splice(runtime.config, new Map(plans.map((p) => [p.bot, p.next])));
  await runtime.applyConfig(spliced, NOTHING_CHANGED); // records the new settings, touches nothing
  for (const name of fresh.keys())
    report.reloaded.push({
      cog: name,
      bots: plans.filter((p) => p.next.some((c) => c.name === name)).map((p) => p.bot),
    });
  log.debug({ report }, 'dev reload done');
  return report;
}
