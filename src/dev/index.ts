/**
 * `streamcogs dev`: the bots plus atomic hot reload of cogs and bots.yaml.
 *
 * @example
 * ```ts
 * import { startDev } from './dev/index.js';
 * const dev = await startDev();
 * await dev.stop();
 * ```
 * @module
 */
export { startDev } from './session.js';
export type { DevOptions, DevSession } from './session.js';
export { reloadCogs } from './reloader.js';
export type { ReloadDeps, ReloadReport } from './reloader.js';
export { cogsUsing } from './affected.js';
export type { AffectedContext } from './affected.js';
export { ModuleGraph, registerReloadHooks } from './module-graph.js';
