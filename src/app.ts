import type { ConfigIssue } from '../core/config/types.js';
import { createLogger, secretValuesFromEnv, type Logger } from '../core/log.js';
import { Runtime } from '../core/runtime.js';
import { watchConfig } from './config-watch.js';
import { readEndpoints } from './endpoints.js';
import { loadEverything } from './load.js';
import { decideMode, type RunMode } from './mode.js';
import { createBotPlatform } from './platform/bot-platform.js';
import { startSandbox, type Sandbox } from './sandbox/index.js';

/** Options of {@link startApp}. */
export interface AppOptions {
  cwd?: string;
  /** bots.yaml path; default `CONFIG_FILENAME` or `bots.yaml`. */
  file?: string;
  env?: Record<string, string | undefined>;
  strict?: boolean;
  /** Watch bots.yaml and apply changes (default true; `WATCH_CONFIG=0` disables). */
  watch?: boolean;
  log?: Logger;
}

/** A running application. */
export interface App {
  runtime: Runtime;
  mode: RunMode;
  sandbox: Sandbox | undefined;
  log: Logger;
  stop(): Promise<void>;
}

/** Thrown when the configuration or environment is invalid: nothing was started. */
export class ConfigInvalidError extends Error {
  constructor(
    readonly issues: ConfigIssue[],
    readonly warnings: ConfigIssue[],
  ) {
    super(`configuration invalid: ${issues.length} error(s)`);
    this.name = 'ConfigInvalidError';
  }
}

/**
 * Loads and validates everything, then starts: storage, the shared server, the sandbox
 * when there are no credentials, every bot and its cogs. Nothing connects when the
 * config is invalid: a {@link ConfigInvalidError} carries every issue.
 *
 * @example
 * ```ts
 * const app = await startApp({ file: 'bots.yaml' });
 * process.on('SIGTERM', () => void app.stop());
 * ```
 */
export async function startApp(options: AppOptions = {}): Promise<App> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadEverything({ cwd, file: options.file, env: options.env });
  if (!loaded.config) throw new ConfigInvalidError(loaded.errors, loaded.warnings);
  const config = loaded.config;
  const mode = decideMode(config, loaded.env);
  if (mode.kind === 'partial') throw new ConfigInvalidError(mode.issues, loaded.warnings);

  const log = options.log ?? createLogger({ secrets: secretValuesFromEnv(loaded.env) });
  for (const w of loaded.warnings)
    log.warn(
      { path: w.path, line: w.line },
      `${w.file}:${w.line ?? 0}: ${w.message}${w.fix ? ` (fix: ${w.fix})` : ''}`,
    );

  let env = loaded.env;
  let sandbox: Sandbox | undefined;
  if (mode.kind === 'sandbox') {
    sandbox = await startSandbox({ config, log: log.child({ component: 'sandbox' }) });
    env = { ...env, ...sandbox.env };
    Object.assign(process.env, sandbox.env); // twurple reads TWURPLE_MOCK_API_PORT per request
  }
  const endpoints = readEndpoints(env);
  const sandboxConfig = sandbox ? sandbox.applyToConfig(config) : config;

  let runtime: Runtime;
  try {
    runtime = await Runtime.start({
      config: sandboxConfig,
      catalog: loaded.catalog,
      log,
      strict: options.strict,
      host: env.HOST ?? '127.0.0.1',
      port: env.PORT !== undefined ? Number(env.PORT) : 8000,
      publicUrl: env.PUBLIC_URL,
      storageUrl: env.STORAGE_URL,
      dataDir: env.DATA_DIR ?? `${cwd}/data`,
      platforms: (bot) =>
        createBotPlatform(bot, { endpoints, log, identity: sandbox?.identities.get(bot.name) }),
      routes: (http) => sandbox?.mount(http.app),
    });
  } catch (err) {
    await sandbox?.close();
    throw err;
  }
  if (sandbox) sandbox.announce(runtime.url);

  const unwatch =
    (options.watch ?? env.WATCH_CONFIG !== '0')
      ? watchConfig(runtime, {
          file: loaded.file,
          cwd,
          log,
          env: loaded.env,
          prepare: sandbox ? (c) => sandbox.applyToConfig(c) : undefined,
        })
      : async () => {};
  let stopping: Promise<void> | undefined;
  return {
    runtime,
    mode,
    sandbox,
    log,
    stop() {
      stopping ??= (async () => {
        await unwatch();
        await runtime.stop();
        await sandbox?.close();
      })();
      return stopping;
    },
  };
}
