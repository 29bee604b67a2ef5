import { Errors } from '../http/errors.js';
import { json, noContent, requireBot } from '../http/types.js';
import type { RouteContext, RouteDef } from '../http/types.js';
import { createMessage, deleteMessage, editMessage } from '../messaging.js';
import type { SandboxBot, SandboxChannel, SandboxMessage } from '../state/model.js';
import { channelPayload, messagePayload } from '../state/payloads.js';
import { memberPermissions, Permission } from '../state/permissions.js';

function channelOf(ctx: RouteContext): SandboxChannel {
  const channel = ctx.sb.store.channels.get(ctx.params.channelId ?? '');
  if (!channel) throw Errors.unknownChannel();
  return channel;
}

/** Throws 50001/50013 unless the bot may see (and, with `send`, post in) the channel. */
function checkAccess(
  ctx: RouteContext,
  bot: SandboxBot,
  channel: SandboxChannel,
  send: boolean,
): void {
  const { store } = ctx.sb;
  if (channel.type === 1) {
    if (!channel.recipients.includes(bot.userId)) throw Errors.missingAccess();
    if (!send) return;
    const other = store.users.get(channel.recipients.find((id) => id !== bot.userId) ?? '');
    const shared = other
      ? store.guildsOf(other.id).some((g) => store.member(g, bot.userId))
      : false;
    if (!other || !other.dmsOpen || !shared) throw Errors.cannotDm();
    return;
  }
  const guild = store.guilds.get(channel.guildId ?? '');
  const member = store.member(channel.guildId ?? '', bot.userId);
  if (!guild || !member) throw Errors.missingAccess();
  const perms = memberPermissions(guild, member);
  if ((perms & Permission.ViewChannel) === 0n) throw Errors.missingAccess();
  if (send && (perms & Permission.SendMessages) === 0n) throw Errors.missingPermissions();
}

function messageOf(ctx: RouteContext, channel: SandboxChannel): SandboxMessage {
  const message = ctx.sb.store.messagesById.get(ctx.params.messageId ?? '');
  if (!message || message.deleted || message.channelId !== channel.id)
    throw Errors.unknownMessage();
  return message;
}

/**
 * Channels and bot messages (guild text channels and DMs).
 *
 * @example
 * ```ts
 * const router = new Router([...channelRoutes]);
 * ```
 */
export const channelRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/channels/:channelId',
    auth: 'bot',
    handler: (ctx) => {
      const channel = channelOf(ctx);
      checkAccess(ctx, requireBot(ctx), channel, false);
      return json(channelPayload(ctx.sb.store, channel));
    },
  },
  {
    method: 'POST',
    path: '/channels/:channelId/messages',
    auth: 'bot',
    limits: (ctx) => ({
      refs: [
        {
          name: 'POST /channels/:channelId/messages',
          key: ctx.params.channelId ?? '',
          spec: ctx.sb.limits.channelMessages,
          scope: 'user',
        },
      ],
    }),
    handler: (ctx) => {
      const bot = requireBot(ctx);
      const channel = channelOf(ctx);
      checkAccess(ctx, bot, channel, true);
      const user = ctx.sb.store.users.get(bot.userId);
      const message = createMessage(ctx.sb, {
        channelId: channel.id,
        author: {
          id: bot.userId,
          username: bot.username,
          avatar: null,
          bot: true,
          globalName: user?.globalName ?? null,
        },
        source: 'bot',
        body: ctx.body,
        files: ctx.files,
        applicationId: null,
      });
      return json(messagePayload(ctx.sb.store, message));
    },
  },
  {
    method: 'GET',
    path: '/channels/:channelId/messages',
    auth: 'bot',
    handler: (ctx) => {
      const channel = channelOf(ctx);
      checkAccess(ctx, requireBot(ctx), channel, false);
      const limit = Math.min(100, Math.max(1, Number(ctx.query.get('limit') ?? 50) || 50));
      const list = (ctx.sb.store.messagesByChannel.get(channel.id) ?? []).filter((m) => !m.deleted);
      return json(
        list
          .slice(-limit)
          .reverse()
          .map((m) => messagePayload(ctx.sb.store, m)),
      );
    },
  },
  {
    method: 'GET',
    path: '/channels/:channelId/messages/:messageId',
    auth: 'bot',
    handler: (ctx) => {
      const channel = channelOf(ctx);
      checkAccess(ctx, requireBot(ctx), channel, false);
      return json(messagePayload(ctx.sb.store, messageOf(ctx, channel)));
    },
  },
  {
    method: 'PATCH',
    path: '/channels/:channelId/messages/:messageId',
    auth: 'bot',
    handler: (ctx) => {
      const bot = requireBot(ctx);
      const channel = channelOf(ctx);
      checkAccess(ctx, bot, channel, false);
      const message = messageOf(ctx, channel);
      if (message.author.id !== bot.userId) throw Errors.cannotEditOthers();
      return json(messagePayload(ctx.sb.store, editMessage(ctx.sb, message, ctx.body, ctx.files)));
    },
  },
  {
    method: 'DELETE',
    path: '/channels/:channelId/messages/:messageId',
    auth: 'bot',
    handler: (ctx) => {
      const bot = requireBot(ctx);
      const channel = channelOf(ctx);
      checkAccess(ctx, bot, channel, false);
      const message = messageOf(ctx, channel);
      if (message.author.id !== bot.userId && channel.type === 0) {
        const guild = ctx.sb.store.guilds.get(channel.guildId ?? '');
        const member = ctx.sb.store.member(channel.guildId ?? '', bot.userId);
        const perms = guild && member ? memberPermissions(guild, member) : 0n;
        if ((perms & Permission.ManageMessages) === 0n) throw Errors.missingPermissions();
      }
      deleteMessage(ctx.sb, message);
      return noContent();
    },
  },
];
