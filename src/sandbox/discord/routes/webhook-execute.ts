import { Errors } from '../http/errors.js';
import { json, noContent } from '../http/types.js';
import type { RouteContext, RouteDef, RouteLimits, RouteReply } from '../http/types.js';
import type { BucketRef } from '../limits/rate-limiter.js';
import { createMessage, deleteMessage, editMessage } from '../messaging.js';
import type { SandboxMessage, SandboxWebhook } from '../state/model.js';
import { messagePayload } from '../state/payloads.js';
import { interactionFollowup, interactionMessage } from './interactions.js';
import { checkWebhookName, webhookOf } from './webhooks.js';

function interactionOf(ctx: RouteContext) {
  return ctx.sb.interactions.byAppToken(ctx.params.webhookId ?? '', ctx.params.token ?? '');
}

/**
 * Execute buckets: 5 / 2 s per webhook (`user` scope) and 30 / 60 s per channel across
 * its webhooks (`shared`). Interaction follow-ups skip the global limit.
 */
function executeLimits(ctx: RouteContext): RouteLimits {
  const { webhookId = '', token = '' } = ctx.params;
  const perWebhook: BucketRef = {
    name: 'POST /webhooks/:webhookId/:token',
    key: `${webhookId}/${token}`,
    spec: ctx.sb.limits.webhookExecute,
    scope: 'user',
  };
  if (interactionOf(ctx)) return { refs: [perWebhook], exemptGlobal: true };
  const hook = ctx.sb.store.webhooks.get(webhookId);
  if (!hook || hook.token !== token) return { refs: [perWebhook] };
  const perChannel: BucketRef = {
    name: 'webhook-execute-channel',
    key: hook.channelId,
    spec: ctx.sb.limits.webhookChannel,
    scope: 'shared',
  };
  return { refs: [perWebhook, perChannel] };
}

/** Per webhook (or interaction token) for message get/edit/delete. */
function messageLimits(ctx: RouteContext): RouteLimits {
  const { webhookId = '', token = '' } = ctx.params;
  return {
    refs: [
      {
        name: `${ctx.method} /webhooks/:webhookId/:token/messages/:messageId`,
        key: `${webhookId}/${token}`,
        spec: ctx.sb.limits.defaultRoute,
        scope: 'user',
      },
    ],
    exemptGlobal: interactionOf(ctx) !== undefined,
  };
}

async function execute(ctx: RouteContext): Promise<RouteReply> {
  const interaction = interactionOf(ctx);
  if (interaction) return interactionFollowup(ctx, interaction);
  const hook = webhookOf(ctx);
  if (ctx.sb.stallMs > 0) await ctx.sb.sleep(ctx.sb.stallMs);
  if (!ctx.sb.store.webhooks.has(hook.id)) throw Errors.unknownWebhook();
  const username =
    ctx.body.username === undefined ? hook.name : checkWebhookName('username', ctx.body.username);
  const avatar = typeof ctx.body.avatar_url === 'string' ? ctx.body.avatar_url : hook.avatar;
  const message = createMessage(ctx.sb, {
    channelId: hook.channelId,
    author: { id: hook.id, username, avatar, bot: true, globalName: null },
    source: 'webhook',
    body: ctx.body,
    files: ctx.files,
    webhookId: hook.id,
  });
  return ctx.query.get('wait') === 'true'
    ? json(messagePayload(ctx.sb.store, message))
    : noContent();
}

function hookMessage(ctx: RouteContext, hook: SandboxWebhook): SandboxMessage {
  const message = ctx.sb.store.messagesById.get(ctx.params.messageId ?? '');
  if (!message || message.deleted || message.webhookId !== hook.id) throw Errors.unknownMessage();
  return message;
}

function onMessage(op: 'GET' | 'PATCH' | 'DELETE') {
  return (ctx: RouteContext): RouteReply => {
    const interaction = interactionOf(ctx);
    if (interaction) return interactionMessage(ctx, interaction, op);
    const message = hookMessage(ctx, webhookOf(ctx));
    if (op === 'DELETE') {
      deleteMessage(ctx.sb, message);
      return noContent();
    }
    if (op === 'PATCH') editMessage(ctx.sb, message, ctx.body, ctx.files);
    return json(messagePayload(ctx.sb.store, message));
  };
}

/**
 * Webhook execute (`?wait=true` returns the message, else 204; honours
 * `allowed_mentions`, embeds, username/avatar_url; `server.stall()` delays it) and
 * webhook message get/edit/delete. The same paths serve interaction follow-ups and
 * `@original` when the id is an application id with a live interaction token.
 *
 * @example
 * ```ts
 * const router = new Router([...webhookExecuteRoutes]);
 * ```
 */
export const webhookExecuteRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/webhooks/:webhookId/:token',
    auth: 'path',
    limits: executeLimits,
    handler: execute,
  },
  {
    method: 'GET',
    path: '/webhooks/:webhookId/:token/messages/:messageId',
    auth: 'path',
    limits: messageLimits,
    handler: onMessage('GET'),
  },
  {
    method: 'PATCH',
    path: '/webhooks/:webhookId/:token/messages/:messageId',
    auth: 'path',
    limits: messageLimits,
    handler: onMessage('PATCH'),
  },
  {
    method: 'DELETE',
    path: '/webhooks/:webhookId/:token/messages/:messageId',
    auth: 'path',
    limits: messageLimits,
    handler: onMessage('DELETE'),
  },
];
