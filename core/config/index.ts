/**
 * bots.yaml: loading, checking, reporting, editor schema and hot-reload diffs.
 *
 * @example
 * ```ts
 * import { loadConfig, loadEnvFile, formatIssues } from './core/config/index.js';
 *
 * const env = { ...loadEnvFile(process.cwd()), ...process.env };
 * const result = await loadConfig({ env, catalog });
 * if (!result.ok) console.error(formatIssues([...result.errors, ...result.warnings]));
 * ```
 *
 * @module
 */
export { loadConfig } from './load.js';
export { formatIssues, sortIssues } from './issues.js';
export { buildJsonSchema, JSON_SCHEMA_DIALECT } from './json-schema.js';
export { diffConfig, deepEqual } from './diff.js';
export {
  loadEnvFile,
  resolveConfigPath,
  envPrefix,
  secretVariables,
  CONFIG_FILENAME_VAR,
  DEFAULT_CONFIG_FILE,
  DEFAULT_PREFIX_VAR,
  type EnvFileOptions,
} from './env.js';
export { interpolate, type Interpolation, type InterpolationProblem } from './interpolate.js';
export { formatPath, type Path, type PathSegment } from './paths.js';
export { IGNORED_KEY_PREFIX, BOT_NAME_PATTERN } from './bots.js';
export { ALL_SCOPES, KNOWN_TWITCH_SCOPES } from './twitch-scopes.js';
export type * from './types.js';
