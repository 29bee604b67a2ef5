import { randomBytes } from 'node:crypto';
import { Errors, ApiError } from '../http/errors.js';
import { json, noContent, requireBot } from '../http/types.js';
import type { RouteContext, RouteDef, RouteReply } from '../http/types.js';
import type { SandboxWebhook } from '../state/model.js';
import { webhookPayload } from '../state/payloads.js';
import { memberPermissions, Permission } from '../state/permissions.js';

/** Throws 50013 unless the bot has Manage Webhooks in the guild (50001 if not a member). */
function requireManageWebhooks(ctx: RouteContext, guildId: string): void {
  const guild = ctx.sb.store.guilds.get(guildId);
  if (!guild) throw Errors.unknownGuild();
  const member = ctx.sb.store.member(guildId, requireBot(ctx).userId);
  if (!member) throw Errors.missingAccess();
  if ((memberPermissions(guild, member) & Permission.ManageWebhooks) === 0n)
    throw Errors.missingPermissions();
}

/**
 * Validates a webhook (or execute `username`) name like Discord: 1-80 characters, no
 * "clyde"/"discord".
 *
 * @example
 * ```ts
 * checkWebhookName('name', 'Alerts');
 * ```
 */
export function checkWebhookName(field: string, name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 80) {
    throw Errors.invalidForm(field, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 80 in length.');
  }
  if (/clyde|discord/i.test(name)) {
    throw Errors.invalidForm(
      field,
      'USERNAME_INVALID_CONTAINS',
      'Username cannot contain "clyde" or "discord"',
    );
  }
  return name;
}

/**
 * The webhook named by `:webhookId` (and `:token`, when present): 10015 / 50027.
 *
 * @example
 * ```ts
 * const hook = webhookOf(ctx); // ctx.params.webhookId (+ token)
 * ```
 */
export function webhookOf(ctx: RouteContext): SandboxWebhook {
  const hook = ctx.sb.store.webhooks.get(ctx.params.webhookId ?? '');
  if (!hook) throw Errors.unknownWebhook();
  if (ctx.params.token !== undefined && ctx.params.token !== hook.token)
    throw Errors.invalidWebhookToken();
  return hook;
}

function patchWebhook(ctx: RouteContext, hook: SandboxWebhook, allowChannel: boolean): RouteReply {
  if (ctx.body.name !== undefined) hook.name = checkWebhookName('name', ctx.body.name);
  if (ctx.body.avatar !== undefined)
    hook.avatar = ctx.body.avatar === null ? null : randomBytes(16).toString('hex');
  if (allowChannel && typeof ctx.body.channel_id === 'string') {
    const channel = ctx.sb.store.channels.get(ctx.body.channel_id);
    if (!channel || channel.guildId !== hook.guildId) throw Errors.unknownChannel();
    hook.channelId = channel.id;
  }
  return json(
    webhookPayload(ctx.sb.store, allowChannel ? hook : { ...hook, creatorId: null }, true),
  );
}

/**
 * Webhook management: create/list per channel (Manage Webhooks), list per guild,
 * get/modify/delete by id (bot) or by id + token (no auth).
 *
 * @example
 * ```ts
 * const router = new Router([...webhookRoutes]);
 * ```
 */
export const webhookRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/channels/:channelId/webhooks',
    auth: 'bot',
    handler: (ctx) => {
      const channel = ctx.sb.store.channels.get(ctx.params.channelId ?? '');
      if (!channel || channel.type !== 0 || !channel.guildId) throw Errors.unknownChannel();
      requireManageWebhooks(ctx, channel.guildId);
      const name = checkWebhookName('name', ctx.body.name);
      if (ctx.sb.store.channelWebhooks(channel.id).length >= 15) {
        throw new ApiError(400, 30007, 'Maximum number of webhooks reached (15)');
      }
      const hook: SandboxWebhook = {
        id: ctx.sb.ids.next(),
        token: randomBytes(51).toString('base64url'),
        channelId: channel.id,
        guildId: channel.guildId,
        name,
        avatar: ctx.body.avatar ? randomBytes(16).toString('hex') : null,
        creatorId: requireBot(ctx).userId,
      };
      ctx.sb.store.webhooks.set(hook.id, hook);
      return json(webhookPayload(ctx.sb.store, hook, true));
    },
  },
  {
    method: 'GET',
    path: '/channels/:channelId/webhooks',
    auth: 'bot',
    handler: (ctx) => {
      const channel = ctx.sb.store.channels.get(ctx.params.channelId ?? '');
      if (!channel || !channel.guildId) throw Errors.unknownChannel();
      requireManageWebhooks(ctx, channel.guildId);
      return json(
        ctx.sb.store.channelWebhooks(channel.id).map((h) => webhookPayload(ctx.sb.store, h, true)),
      );
    },
  },
  {
    method: 'GET',
    path: '/guilds/:guildId/webhooks',
    auth: 'bot',
    handler: (ctx) => {
      requireManageWebhooks(ctx, ctx.params.guildId ?? '');
      const hooks = [...ctx.sb.store.webhooks.values()].filter(
        (h) => h.guildId === ctx.params.guildId,
      );
      return json(hooks.map((h) => webhookPayload(ctx.sb.store, h, true)));
    },
  },
  {
    method: 'GET',
    path: '/webhooks/:webhookId',
    auth: 'bot',
    handler: (ctx) => {
      const hook = webhookOf(ctx);
      requireManageWebhooks(ctx, hook.guildId);
      return json(webhookPayload(ctx.sb.store, hook, true));
    },
  },
  {
    method: 'PATCH',
    path: '/webhooks/:webhookId',
    auth: 'bot',
    handler: (ctx) => {
      const hook = webhookOf(ctx);
      requireManageWebhooks(ctx, hook.guildId);
      return patchWebhook(ctx, hook, true);
    },
  },
  {
    method: 'DELETE',
    path: '/webhooks/:webhookId',
    auth: 'bot',
    handler: (ctx) => {
      const hook = webhookOf(ctx);
      requireManageWebhooks(ctx, hook.guildId);
      ctx.sb.store.webhooks.delete(hook.id);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/webhooks/:webhookId/:token',
    auth: 'path',
    handler: (ctx) => {
      const { creatorId: _c, ...hook } = webhookOf(ctx);
      return json(webhookPayload(ctx.sb.store, { ...hook, creatorId: null }, true));
    },
  },
  {
    method: 'PATCH',
    path: '/webhooks/:webhookId/:token',
    auth: 'path',
    handler: (ctx) => patchWebhook(ctx, webhookOf(ctx), false),
  },
  {
    method: 'DELETE',
    path: '/webhooks/:webhookId/:token',
    auth: 'path',
    handler: (ctx) => {
      ctx.sb.store.webhooks.delete(webhookOf(ctx).id);
      return noContent();
    },
  },
];
