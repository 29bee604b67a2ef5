import path from 'node:path';
import type { PluginCatalog } from '../../core/catalog.js';
import type { Runtime } from '../../core/runtime.js';
import type { ModuleGraph } from './module-graph.js';

/**
 * What {@link cogsUsing} looks at.
 *
 * @example
 * ```ts
 * cogsUsing(files, { catalog, graph, runtime, tagsOf: () => [''] });
 * ```
 */
export interface AffectedContext {
  catalog: PluginCatalog;
  graph: ModuleGraph;
  runtime: Runtime;
  /** The reload tokens a cog's files were last imported with (`''`: the first load). */
  tagsOf(cog: string): readonly string[];
}

/** Files in a cog folder that are not its code: tests and docs never reload a cog. */
const NOT_CODE = /(\.test\.[cm]?[jt]sx?|\.md|\.snap)$/;

/**
 * The cogs, among those some bot runs (or failed to start), that use one of `files`: the
 * files their entry imports (directly or not, as the loader hooks saw it), or any code file
 * in their own folder.
 *
 * @example
 * ```ts
 * cogsUsing(['/app/plugins/hello/words.ts'], { catalog, graph, runtime, tagsOf }); // ['hello']
 * ```
 */
export function cogsUsing(files: readonly string[], ctx: AffectedContext): string[] {
  const used = new Set<string>();
  for (const bot of ctx.runtime.bots.values())
    for (const status of bot.host.status()) if (status.state !== 'stopped') used.add(status.name);
  const out: string[] = [];
  for (const cog of used) {
    const folder = ctx.catalog.folderOf(cog);
    if (!folder) continue; // npm packages are not watched
    const inFolder = (f: string) => f.startsWith(folder + path.sep) && !NOT_CODE.test(f);
    const entry = path.join(folder, 'index.ts');
    const imported = new Set<string>();
    for (const tag of ctx.tagsOf(cog))
      for (const f of ctx.graph.reachable(entry, tag)) imported.add(f);
    if (files.some((f) => imported.has(f) || inFolder(f))) out.push(cog);
  }
  return out;
}
