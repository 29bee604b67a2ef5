import { watch } from 'chokidar';
import { diffConfig } from '../core/config/index.js';
import type { Logger } from '../core/index.js';
import type { Runtime } from '../core/runtime.js';
import { loadEverything, renderIssues } from './load.js';

/**
 * Watches bots.yaml: on change, validates first; an invalid edit keeps the running
 * config and logs every error; a valid one applies only the difference.
 *
 * @example
 * ```ts
 * const stop = watchConfig(runtime, { file, cwd, log });
 * await stop();
 * ```
 */
export function watchConfig(
  runtime: Runtime,
  options: { file: string; cwd: string; log: Logger; debounceMs?: number },
): () => Promise<void> {
  const watcher = watch(options.file, {
    ignoreInitial: true,
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 },
  });
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  const reload = async (): Promise<void> => {
    const loaded = await loadEverything({ cwd: options.cwd, file: options.file });
    if (!loaded.config) {
      options.log.error(
        { errors: loaded.errors.length },
        `bots.yaml has errors; still running the previous config\n${renderIssues([...loaded.errors, ...loaded.warnings])}`,
      );
      return;
    }
    const diff = diffConfig(runtime.config, loaded.config);
    if (diff.empty) return;
    const summary = await runtime.applyConfig(loaded.config, diff);
    options.log.info(summary, 'bots.yaml reloaded');
  };
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      chain = chain
        .then(reload)
        .catch((err: unknown) => options.log.error({ err }, 'reload failed'));
    }, options.debounceMs ?? 150);
  });
  return async () => {
    clearTimeout(timer);
    await watcher.close();
    await chain;
  };
}
