import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { PluginCatalog } from '../../core/catalog.js';
import { diffConfig } from '../../core/config/index.js';
import type { App } from '../app.js';
import { loadEverything, renderIssues } from '../load.js';

/**
 * A cog entry as in bots.yaml: a name, or `{ name: settings }`.
 *
 * @example
 * ```ts
 * const cogs: CogEntry[] = ['echo_console', { shoutout: { permission: 'vip' } }];
 * ```
 */
export type CogEntry = string | Record<string, Record<string, unknown> | null>;

/**
 * Where a test bot's bots.yaml lives and what it holds.
 *
 * @example
 * ```ts
 * await applyCogs(app, { cwd, file, env, bots, catalog }, 'test_bot', ['echo_console']);
 * ```
 */
export interface TestConfigFile {
  cwd: string;
  file: string;
  env: Record<string, string | undefined>;
  /** The bots as written (raw YAML objects by name). */
  bots: Record<string, unknown>;
  /** The cogs the bot was started with (built-ins, `pluginDirs`, npm packages). */
  catalog: PluginCatalog;
}

/**
 * Rewrites one bot's cog list in the test bots.yaml and applies it like a hot reload
 * (validated, only the difference applied). Throws with every config error, or when a
 * cog of the bot failed to set up.
 *
 * @example
 * ```ts
 * await applyCogs(app, file, 'test_bot', [{ 'redemption-to-discord': { webhook_url: url } }]);
 * ```
 */
export async function applyCogs(
  app: App,
  config: TestConfigFile,
  bot: string,
  cogs: CogEntry[],
): Promise<void> {
  const current = (config.bots[bot] ?? {}) as Record<string, unknown>;
  config.bots[bot] = { ...current, cogs };
  await writeFile(config.file, stringify(config.bots));
  const { cwd, file, env, catalog } = config;
  await catalog.scan();
  const loaded = await loadEverything({ cwd, file, env, catalog });
  if (!loaded.config)
    throw new Error(
      `bots.yaml is invalid:\n${renderIssues([...loaded.errors, ...loaded.warnings])}`,
    );
  const next = app.sandbox ? app.sandbox.applyToConfig(loaded.config) : loaded.config;
  const diff = diffConfig(app.runtime.config, next);
  if (!diff.empty) await app.runtime.applyConfig(next, diff);
  const failed = app.runtime.bots
    .get(bot)
    ?.host.status()
    .filter((s) => s.state === 'failed');
  if (failed?.length)
    throw new Error(
      `cog setup failed on ${bot}: ${failed.map((f) => `${f.name}: ${f.error ?? '?'}`).join('; ')}`,
    );
}
