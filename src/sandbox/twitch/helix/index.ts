/**
 * Twitch Helix + OAuth simulator for the sandbox.
 *
 * @example
 * ```ts
 * import { TwitchApiServer, loopbackHttp } from './helix/index.js';
 * const server = await TwitchApiServer.start({ world, callbackRewrite: loopbackHttp });
 * ```
 */
export { TwitchApiServer, loopbackHttp } from './api-server.js';
export type { TwitchApiServerEvents, TwitchApiServerOptions } from './api-server.js';
export type { ReceivedRequest } from './request-log.js';
export { TokenBucketLimiter } from './rate-limit.js';
export type { RateLimitOptions, RateLimitResult } from './rate-limit.js';
export { OAuthStore } from './oauth-store.js';
export type { AccessTokenRecord, OAuthApp, TokenResponse } from './oauth-store.js';
export { PendingGrants } from './oauth-grants.js';
export type { DeviceGrant } from './oauth-grants.js';
export { listenDualStack } from './listen-dual-stack.js';
export type { DualStackServers } from './listen-dual-stack.js';
