import { register } from 'node:module';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { RELOAD_QUERY } from '../../core/catalog.js';
import type { Logger } from '../../core/log.js';
import type { ImportEdge } from './hooks.js';

/**
 * Which cog files import which, per reload token, as reported by the loader hooks: the
 * answer to "which cogs use this file?".
 *
 * @example
 * ```ts
 * const graph = new ModuleGraph();
 * graph.add({ parent: '/p/hello/index.ts', child: '/p/hello/words.ts', tag: '' });
 * graph.reachable('/p/hello/index.ts', ''); // Set { '/p/hello/index.ts', '/p/hello/words.ts' }
 * ```
 */
export class ModuleGraph {
  readonly #byTag = new Map<string, Map<string, Set<string>>>();
  #roots: string[] = [];
  #port: MessagePort | undefined;

  /** Records one import edge. */
  add(edge: ImportEdge): void {
    let edges = this.#byTag.get(edge.tag);
    if (!edges) this.#byTag.set(edge.tag, (edges = new Map()));
    let children = edges.get(edge.parent);
    if (!children) edges.set(edge.parent, (children = new Set()));
    children.add(edge.child);
  }

  /** Every file `entry` imports, directly or not, when loaded with `tag` (entry included). */
  reachable(entry: string, tag: string): Set<string> {
    const edges = this.#byTag.get(tag);
    const seen = new Set([entry]);
    const todo = [entry];
    for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
      for (const child of edges?.get(file) ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          todo.push(child);
        }
      }
    }
    return seen;
  }

  /** Forgets the edges of tokens no cog runs any more. */
  prune(activeTags: Iterable<string>): void {
    const keep = new Set(activeTags);
    for (const tag of this.#byTag.keys()) if (!keep.has(tag)) this.#byTag.delete(tag);
  }

  /** Whether the loader hooks are installed (false: only cog folders are followed). */
  get tracking(): boolean {
    return this.#port !== undefined;
  }

  /** The folders whose files are cog files (sent to the hooks). */
  setRoots(dirs: readonly string[]): void {
    this.#roots = dirs.map((d) => path.resolve(d) + path.sep);
    this.#port?.postMessage({ roots: this.#roots });
  }

  /** Connects the hooks' port (done by {@link registerReloadHooks}). */
  attach(port: MessagePort): void {
    this.#port = port;
  }

  /** The folders whose files are cog files, each ending with a separator. */
  get roots(): readonly string[] {
    return this.#roots;
  }
}

let installed: ModuleGraph | undefined;

/**
 * Installs the dev loader hooks once per process (before any cog is imported) and returns
 * the graph they feed. Without tsx (the hooks are TypeScript) it logs a warning and returns
 * a graph that tracks nothing: reloads then follow cog folders only.
 *
 * @example
 * ```ts
 * const graph = registerReloadHooks(catalog.dirs, log);
 * ```
 */
export function registerReloadHooks(dirs: readonly string[], log: Logger): ModuleGraph {
  if (installed) {
    installed.setRoots(dirs);
    return installed;
  }
  const graph = new ModuleGraph();
  graph.setRoots(dirs);
  installed = graph;
  const { port1, port2 } = new MessageChannel();
  try {
    register('./hooks.js', import.meta.url, {
      data: { roots: [...graph.roots], query: RELOAD_QUERY, port: port2 },
      transferList: [port2],
    });
  } catch (err) {
    port1.close();
    log.warn({ err }, 'dev: loader hooks unavailable (run under tsx); reloads follow cog folders');
    return graph;
  }
  port1.on('message', (edge: ImportEdge) => graph.add(edge));
  port1.unref();
  graph.attach(port1);
  return graph;
}
