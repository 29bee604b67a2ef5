/**
 * The public surface cogs import: `import { definePlugin, z } from 'streamcogs'`
 * (built-in cogs import `../../core/index.js`).
 *
 * @example
 * ```ts
 * import { definePlugin, z } from 'streamcogs';
 * export default definePlugin({ name: 'noop', description: 'does nothing', setup() {} });
 * ```
 * @module
 */
export { z } from 'zod';
export { definePlugin, PLUGIN_API_VERSION } from './plugin.js';
export type { PluginDefinition, PluginNeeds, SetupResult } from './plugin.js';
export type { PluginContext, BotInfo, CogEvents, CogSchedule, CogHttp } from './context.js';
export type { Disposer } from './disposer.js';
export { DisposerStack } from './disposer.js';
export type { EventMap, EventName, EventHandler } from './events.js';
export type { Store } from './storage.js';
export type { Logger } from './log.js';
export { StreamcogsError } from './errors.js';
export type { StreamcogsErrorCode } from './errors.js';
export type {
  ChatUser,
  ChatMessage,
  TwitchChat,
  PermissionLevel,
  CommandInvocation,
  ChatCommandDefinition,
  TwitchCommands,
  EventSubNotification,
  TwitchEventSub,
  TwitchFacet,
  DiscordFacet,
  SlashCommandDefinition,
  ButtonDefinition,
  DiscordPieceStore,
  DiscordGuildCheck,
  CogScope,
  BotPlatform,
  BotPlatformStatus,
  BotPlatformFactory,
} from './platform.js';
export type {
  TwitchAccountInfo,
  TwitchAccounts,
  TwitchAccountState,
  TwitchAuthPage,
  TwitchAuthorization,
  TwitchAuthorizeRequest,
} from './twitch-accounts.js';
export { jsonBody } from './http/json-body.js';
export { WebhookError, parseWebhookUrl } from './webhooks.js';
export type {
  DiscordWebhooks,
  WebhookCallOptions,
  WebhookEdit,
  WebhookErrorKind,
  WebhookInfo,
  WebhookMessage,
  WebhookPost,
  WebhookRef,
  WebhookService,
} from './webhooks.js';
export * from './queue/index.js';
