/**
 * The Discord simulator: REST + gateway + webhooks with Discord's rate limits, for
 * testing the real discord.js and Sapphire offline.
 *
 * @example
 * ```ts
 * import { DiscordServer } from '../src/sandbox/discord/index.js';
 * const server = await DiscordServer.start();
 * ```
 * @module
 */
export { DiscordServer } from './server.js';
export type { DiscordServerOptions } from './sandbox.js';
export type { MemberUpdate } from './server-events.js';
export type { CreateWebhookInput, DiscordServerEvents } from './server-state.js';
export type { ReceivedRequest, AuthKind } from './recorder.js';
export type {
  InteractionReply,
  SandboxInteraction,
  WaitForReplyOptions,
} from './interactions/tracker.js';
export type {
  ButtonClickInput,
  EmitInteractionInput,
  SlashCommandInput,
} from './interactions/build.js';
export type { OptionValues, RawOption } from './interactions/options.js';
export { DEFAULT_RATE_LIMITS, UNLIMITED_RATE_LIMITS } from './limits/rate-limit-config.js';
export type { LimitSpec, RateLimitOptions } from './limits/rate-limit-config.js';
export type { RateLimitScope } from './limits/rate-limiter.js';
export { Permission } from './state/permissions.js';
export type { PermissionName, PermissionsInput } from './state/permissions.js';
export { Intent } from './gateway/intents.js';
export type {
  SandboxAuditEntry,
  SandboxBot,
  SandboxCommand,
  SandboxMessage,
  SandboxRole,
  SandboxUser,
  SandboxWebhook,
} from './state/model.js';
export type {
  CreateBotInput,
  CreateGuildInput,
  CreateUserInput,
  MemberInput,
  RoleInput,
  SeededGuild,
} from './state/seed.js';
