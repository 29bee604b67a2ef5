/**
 * The stream status API under `/api` on the shared server.
 *
 * @example
 * ```ts
 * import { createApiRouter } from './api/index.js';
 * http.app.use(createApiRouter({ runtime, env, log }).routes());
 * ```
 * @module
 */
export { createApiRouter } from './router.js';
export type { ApiRouterOptions } from './router.js';
export { ApiAuth } from './auth.js';
export type { ApiAuthOptions, ApiClientIdentity } from './auth.js';
export { StatusApiDirectory } from './directory.js';
export type { BotChoice } from './directory.js';
export { OPENAPI_DOCUMENT } from './openapi.js';
