import { watch } from 'chokidar';
import { diffConfig } from '../core/config/index.js';
import type { AppConfig } from '../core/config/types.js';
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
  options: {
    file: string;
    cwd: string;
    log: Logger;
    /** The environment the app started with (reloads see the same variables). */
    env: Record<string, string | undefined>;
    /** Applied to each new config before diffing (sandbox credentials). */
    prepare?: (config: AppConfig) => AppConfig;
    debounceMs?: number;
  },
): () => Promise<void> {
  const watcher = watch(options.file, {
    ignoreInitial: true,
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 },
  });
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  const reload = async (): Promise<void> => {
    const loaded = await loadEverything({ cwd: options.cwd, file: options.file, env: options.env });
    if (!loaded.config) {
      options.log.error(
        { errors: loaded.errors.length },
        `bots.yaml has errors; still running the previous config\n${renderIssues([...loaded.errors, ...loaded.warnings])}`,
      );
      return;
    }
    const next = options.prepare ? options.prepare(loaded.config) : loaded.config;
    const diff = diffConfig(runtime.config, next);
    if (diff.empty) return;
    const summary = await runtime.applyConfig(next, diff);
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
