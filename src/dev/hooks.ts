/**
 * Module loader hooks for `streamcogs dev`, run in Node's loader thread (registered by
 * {@link registerReloadHooks}). Two jobs:
 *
 * - carry the reload query (`?streamcogs-reload=<token>`) from a cog's entry to every file
 *   it imports under the cog folders, so a reload gets fresh copies of the cog's own files
 *   while the framework and `node_modules` stay shared;
 * - report each import edge between cog files, so the watcher knows which cogs use a file.
 *
 * @example
 * ```ts
 * import { register } from 'node:module';
 * register('./hooks.js', import.meta.url, { data: { roots, query, port }, transferList: [port] });
 * ```
 * @module
 */
import type { InitializeHook, ResolveHook } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';

/**
 * What {@link registerReloadHooks} hands the hooks.
 *
 * @example
 * ```ts
 * register('./hooks.js', import.meta.url, { data: { roots: ['/app/plugins/'], query: 'streamcogs-reload', port }, transferList: [port] });
 * ```
 */
export interface HookData {
  /** Absolute folder paths (ending with a separator) whose files are cog files. */
  roots: string[];
  /** The query parameter to carry, e.g. `streamcogs-reload`. */
  query: string;
  /** Receives {@link ImportEdge}s; sends `{ roots }` updates. */
  port: MessagePort;
}

/**
 * One import between two cog files, as the hooks report it.
 *
 * @example
 * ```ts
 * const edge: ImportEdge = { parent: '/app/plugins/a/index.ts', child: '/app/plugins/a/b.ts', tag: '3' };
 * ```
 */
export interface ImportEdge {
  parent: string;
  child: string;
  /** The reload token both were loaded with; `''` for the first load. */
  tag: string;
}

let roots: string[] = [];
let query = 'streamcogs-reload';
let port: MessagePort | undefined;

/**
 * Receives the cog folders, the query name and the port (Node calls it on `register`).
 *
 * @example
 * ```ts
 * register('./hooks.js', import.meta.url, { data, transferList: [data.port] });
 * ```
 */
export const initialize: InitializeHook<HookData> = (data) => {
  roots = data.roots;
  query = data.query;
  port = data.port;
  port.on('message', (m: { roots?: string[] }) => {
    if (m.roots) roots = m.roots;
  });
  port.unref();
};

/** The file path of a `file:` URL inside a cog folder, else undefined. */
function cogFile(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const file = fileURLToPath(url);
  if (file.includes('/node_modules/')) return undefined;
  return roots.some((root) => file.startsWith(root)) ? file : undefined;
}

/**
 * Resolves as usual, then tags a cog file imported by a tagged cog file with the same
 * reload token, and reports the edge.
 *
 * @example
 * ```ts
 * // plugins/hello/index.ts?streamcogs-reload=3 imports './words.js'
 * // -> file:///app/plugins/hello/words.ts?streamcogs-reload=3
 * ```
 */
export const resolve: ResolveHook = async (specifier, context, next) => {
  const resolved = await next(specifier, context);
  const parentUrl = context.parentURL;
  const child = cogFile(resolved.url);
  if (!parentUrl || !child) return resolved;
  const tag = new URL(parentUrl).searchParams.get(query) ?? '';
  const parent = cogFile(parentUrl);
  if (parent) port?.postMessage({ parent, child, tag } satisfies ImportEdge);
  const url = new URL(resolved.url);
  if (!tag || url.searchParams.has(query)) return resolved;
  url.searchParams.set(query, tag);
  return { ...resolved, url: url.href };
};
