import { randomBytes } from 'node:crypto';
import type { DiscordSandbox } from '../sandbox.js';
import { channelPayload, memberPayload, messagePayload, userPayload } from '../state/payloads.js';
import type { Json } from '../state/payloads.js';
import { memberPermissions } from '../state/permissions.js';
import { findCommand, nestSubcommand, toRawOptions } from './options.js';
import type { OptionValues, RawOption, Resolved } from './options.js';

/**
 * Input of `server.emitInteraction`: any interaction type, raw `data`.
 *
 * @example
 * ```ts
 * server.emitInteraction({ appId, type: 5, channelId, userId, data: { custom_id: 'form', components: [] } });
 * ```
 */
export interface EmitInteractionInput {
  appId: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  channelId: string;
  userId: string;
  data?: Record<string, unknown>;
  /** Component interactions: the message the component sits on. */
  messageId?: string;
  locale?: string;
}

/**
 * Input of `server.runSlashCommand`.
 *
 * @example
 * ```ts
 * server.runSlashCommand({ guildId, channelId, userId, name: 'role', subcommand: 'add', options: { role: roleId } });
 * ```
 */
export interface SlashCommandInput {
  guildId: string;
  channelId: string;
  userId: string;
  name: string;
  /** Values by option name (typed from the registered command), or raw options. */
  options?: OptionValues | RawOption[];
  subcommand?: string;
  subcommandGroup?: string;
  /** Which application's command (default: whichever registered `name` here). */
  appId?: string;
  locale?: string;
}

/**
 * Input of `server.clickButton`.
 *
 * @example
 * ```ts
 * server.clickButton({ messageId, customId: 'pick', userId, componentType: 3, values: ['a'] });
 * ```
 */
export interface ButtonClickInput {
  messageId: string;
  customId: string;
  userId: string;
  /** 2 button (default), 3 string select... */
  componentType?: number;
  values?: string[];
}

/**
 * Builds an INTERACTION_CREATE body, registers it with the tracker and dispatches it
 * to the application's bot. Returns the interaction id.
 *
 * @example
 * ```ts
 * const id = emitInteraction(sb, { appId, type: 5, channelId, userId, data: { custom_id: 'form' } });
 * ```
 */
export function emitInteraction(sb: DiscordSandbox, input: EmitInteractionInput): string {
  const bot = sb.store.botsByApp.get(input.appId);
  if (!bot) throw new Error(`unknown application ${input.appId}`);
  const channel = sb.store.channels.get(input.channelId);
  if (!channel) throw new Error(`unknown channel ${input.channelId}`);
  const user = sb.store.users.get(input.userId);
  if (!user) throw new Error(`unknown user ${input.userId}`);
  const guildId = channel.guildId;
  const guild = guildId ? sb.store.guilds.get(guildId) : undefined;
  const botMember = guildId ? sb.store.member(guildId, bot.userId) : undefined;
  const member = guildId ? sb.store.member(guildId, user.id) : undefined;
  if (guild && (!botMember || !member))
    throw new Error('bot and user must both be members of the guild');
  const appPermissions = guild && botMember ? memberPermissions(guild, botMember) : 0n;
  const id = sb.ids.next();
  const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
  const payload: Json = {
    id,
    application_id: bot.appId,
    type: input.type,
    token,
    version: 1,
    data: input.data ?? {},
    channel_id: channel.id,
    channel: { ...channelPayload(sb.store, channel), permissions: appPermissions.toString() },
    app_permissions: appPermissions.toString(),
    locale: input.locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: guild ? { '0': guild.id } : { '1': user.id },
    context: guild ? 0 : 1,
    attachment_size_limit: 10_485_760,
  };
  if (guild && member) {
    payload.guild_id = guild.id;
    payload.guild = { id: guild.id, locale: 'en-US', features: [] };
    payload.guild_locale = 'en-US';
    payload.member = {
      ...memberPayload(sb.store, member),
      permissions: memberPermissions(guild, member).toString(),
    };
  } else {
    payload.user = userPayload(user);
  }
  const message = input.messageId ? sb.store.messagesById.get(input.messageId) : undefined;
  if (message) payload.message = messagePayload(sb.store, message);
  sb.interactions.add({
    id,
    token,
    appId: bot.appId,
    botUserId: bot.userId,
    type: input.type,
    guildId: guild?.id ?? null,
    channelId: channel.id,
    userId: user.id,
    createdAt: sb.now(),
    messageId: message?.id ?? null,
    callbackType: null,
    originalMessageId: null,
    followupIds: [],
    payload,
    replies: [],
  });
  sb.gateway.dispatchToBot(bot.userId, 'INTERACTION_CREATE', payload, 0, guild?.id ?? null);
  return id;
}

/**
 * Pushes a chat-input command (type 2) for a registered command.
 *
 * @example
 * ```ts
 * const id = runSlashCommand(sb, { guildId, channelId, userId, name: 'ping' });
 * ```
 */
export function runSlashCommand(sb: DiscordSandbox, input: SlashCommandInput): string {
  const found = findCommand(sb, input.guildId, input.name, input.appId);
  if (!found)
    throw new Error(`no chat-input command "${input.name}" registered for guild ${input.guildId}`);
  const { defs, wrap } = nestSubcommand(found.command.options, {
    group: input.subcommandGroup,
    sub: input.subcommand,
  });
  const resolved: Resolved = {};
  const inner = Array.isArray(input.options)
    ? input.options
    : toRawOptions(sb, input.guildId, defs, input.options ?? {}, resolved);
  const data: Record<string, unknown> = {
    id: found.command.id,
    name: found.command.name,
    type: 1,
    options: wrap(inner),
  };
  if (found.command.guild_id) data.guild_id = found.command.guild_id;
  if (Object.keys(resolved).length > 0) data.resolved = resolved;
  return emitInteraction(sb, {
    appId: found.appId,
    type: 2,
    channelId: input.channelId,
    userId: input.userId,
    data,
    locale: input.locale,
  });
}

/**
 * Pushes a component interaction (type 3) for a component on a bot's message.
 *
 * @example
 * ```ts
 * const id = clickButton(sb, { messageId, customId: 'confirm', userId });
 * ```
 */
export function clickButton(sb: DiscordSandbox, input: ButtonClickInput): string {
  const message = sb.store.messagesById.get(input.messageId);
  if (!message) throw new Error(`unknown message ${input.messageId}`);
  const bot = message.applicationId
    ? sb.store.botsByApp.get(message.applicationId)
    : sb.store.botByUserId(message.author.id);
  if (!bot) throw new Error(`message ${input.messageId} was not sent by a bot`);
  const componentType = input.componentType ?? 2;
  return emitInteraction(sb, {
    appId: bot.appId,
    type: 3,
    channelId: message.channelId,
    userId: input.userId,
    messageId: message.id,
    data: {
      custom_id: input.customId,
      component_type: componentType,
      ...(input.values ? { values: input.values } : {}),
    },
  });
}
