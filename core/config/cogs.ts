import type { CogEntry } from './cog-entries.js';
import type { IssueSink } from './issue-sink.js';
import { formatPath } from './paths.js';
import { validateSettings } from './settings.js';
import { suggest } from './suggest.js';
import type { CogCatalog, CogConfig, CogDescriptor } from './types.js';

/** Looks a cog up once per load, whatever the number of bots using it. */
export type CogLookup = (name: string) => Promise<{ descriptor?: CogDescriptor; error?: unknown }>;

/**
 * Wraps `catalog.resolve` with a per-load cache and turns a throwing resolve (a package
 * that fails to import) into a value instead of an exception.
 *
 * @example
 * ```ts
 * const lookup = cachedLookup(catalog);
 * (await lookup('go-live')).descriptor?.name; // 'go-live'
 * ```
 */
export function cachedLookup(catalog: CogCatalog): CogLookup {
  const cache = new Map<string, ReturnType<CogLookup>>();
  return (name) => {
    let pending = cache.get(name);
    if (!pending) {
      pending = catalog.resolve(name).then(
        (descriptor) => ({ descriptor }),
        (error: unknown) => ({ error }),
      );
      cache.set(name, pending);
    }
    return pending;
  };
}

interface Resolved {
  entry: CogEntry;
  cog: CogDescriptor;
  settings: Record<string, unknown> | undefined;
}

/**
 * Resolves and validates the cogs of one bot: retired and unknown cogs, duplicates,
 * missing dependencies and settings are all reported. Returns the valid cogs in mount
 * order (every cog after the cogs it depends on, otherwise as written).
 *
 * @example
 * ```ts
 * const cogs = await resolveBotCogs('alice', entries, 'all_scopes', catalog, cachedLookup(catalog), sink);
 * cogs.map((c) => c.name); // ['eventsub', 'go-live']
 * ```
 */
export async function resolveBotCogs(
  bot: string,
  entries: readonly CogEntry[],
  scopes: 'all_scopes' | readonly string[],
  catalog: CogCatalog,
  lookup: CogLookup,
  sink: IssueSink,
): Promise<CogConfig[]> {
  const found = await Promise.all(
    entries.map((entry) => resolveEntry(entry, catalog, lookup, sink)),
  );
  const byName = new Map<string, Resolved>();
  const written = new Map<string, string>();
  for (const item of found) {
    if (!item) continue;
    const first = byName.get(item.cog.name);
    if (first) {
      const info = sink.node(first.entry.namePath);
      const firstLine =
        first.entry.nameAt === 'key' ? (info?.keyStart ?? info?.start) : info?.start;
      const where =
        firstLine === undefined || !sink.source
          ? ''
          : ` (first at line ${sink.source.position(firstLine).line})`;
      sink.error(item.entry.namePath, {
        code: 'duplicate-cog',
        message: `cog "${item.cog.name}" is listed twice on bot "${bot}"${where}`,
        fix: 'remove one: a cog runs once per bot, with one set of settings',
        at: item.entry.nameAt,
      });
      continue;
    }
    byName.set(item.cog.name, item);
    written.set(item.entry.written, item.cog.name);
  }
  const present = new Set([...entries.map((e) => e.written), ...byName.keys()]);
  const dependencies = new Map<string, string[]>();
  for (const item of byName.values()) {
    const needs = item.cog.dependsOn ?? [];
    for (const dependency of needs.filter((name) => !present.has(name))) {
      sink.error(item.entry.namePath, {
        code: 'missing-dependency',
        message: `cog "${item.cog.name}" needs cog "${dependency}" on the same bot`,
        fix: `add - ${dependency} to ${formatPath([bot, 'cogs'])}`,
        at: item.entry.nameAt,
      });
    }
    dependencies.set(
      item.cog.name,
      needs.map((name) => written.get(name) ?? name).filter((name) => byName.has(name)),
    );
    checkScopes(bot, item, scopes, sink);
  }
  return mountOrder(bot, byName, dependencies, sink).flatMap((name) => {
    const item = byName.get(name);
    if (!item?.settings) return [];
    return [{ name, settings: item.settings, dependsOn: dependencies.get(name) ?? [] }];
  });
}

async function resolveEntry(
  entry: CogEntry,
  catalog: CogCatalog,
  lookup: CogLookup,
  sink: IssueSink,
) {
  const at = { at: entry.nameAt } as const;
  const retired = catalog.retired(entry.written);
  if (retired) {
    sink.error(entry.namePath, {
      code: 'retired-cog',
      message: `cog "${entry.written}" was retired: ${retired.reason}`,
      fix: retired.replacement ? `use "${retired.replacement}" instead` : 'remove it',
      ...at,
    });
    return undefined;
  }
  const { descriptor, error } = await lookup(entry.written);
  if (error !== undefined) {
    sink.error(entry.namePath, {
      code: 'cog-load-failed',
      message: `cog "${entry.written}" could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      fix: 'check that the package is installed and builds',
      ...at,
    });
    return undefined;
  }
  if (!descriptor) {
    const known = catalog.knownNames();
    const near = suggest(entry.written, known);
    sink.error(entry.namePath, {
      code: 'unknown-cog',
      message: `unknown cog "${entry.written}"`,
      fix: near
        ? `did you mean "${near}"?`
        : `known cogs: ${known.join(', ') || '(none)'}; an npm package cog must be installed first`,
      ...at,
    });
    return undefined;
  }
  const settings = await validateSettings(descriptor, entry, sink);
  return { entry, cog: descriptor, settings } satisfies Resolved;
}

function checkScopes(
  bot: string,
  item: Resolved,
  scopes: 'all_scopes' | readonly string[],
  sink: IssueSink,
) {
  if (scopes === 'all_scopes') return;
  const missing = (item.cog.twitchScopes ?? []).filter((scope) => !scopes.includes(scope));
  if (missing.length === 0) return;
  sink.warn(item.entry.namePath, {
    code: 'missing-scope',
    message: `cog "${item.cog.name}" needs the Twitch scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, not in ${bot}.scopes`,
    fix: `add ${missing.join(', ')} to ${bot}.scopes, or use scopes: all_scopes`,
    at: item.entry.nameAt,
  });
}

/** Depth-first: each cog after its dependencies, otherwise in the order written. */
function mountOrder(
  bot: string,
  cogs: Map<string, Resolved>,
  deps: Map<string, string[]>,
  sink: IssueSink,
): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const loop = [...chain.slice(chain.indexOf(name)), name];
      const item = cogs.get(name);
      if (item) {
        sink.error(item.entry.namePath, {
          code: 'dependency-cycle',
          message: `cogs on bot "${bot}" depend on each other in a loop: ${loop.join(' -> ')}`,
          fix: 'this is a bug in the cogs: report it to their authors',
          at: item.entry.nameAt,
        });
      }
      return;
    }
    state.set(name, 'visiting');
    for (const dependency of deps.get(name) ?? []) visit(dependency, [...chain, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of cogs.keys()) visit(name, []);
  return order;
}
