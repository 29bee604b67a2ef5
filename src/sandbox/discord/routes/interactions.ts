import { Errors } from '../http/errors.js';
import { json, noContent } from '../http/types.js';
import type { RouteContext, RouteDef, RouteReply } from '../http/types.js';
import type { InteractionReply, SandboxInteraction } from '../interactions/tracker.js';
import { createMessage, editMessage, deleteMessage, MessageFlag } from '../messaging.js';
import type { SandboxAuthor, SandboxMessage } from '../state/model.js';
import { messagePayload } from '../state/payloads.js';

function botAuthor(ctx: RouteContext, i: SandboxInteraction): SandboxAuthor {
  const user = ctx.sb.store.users.get(i.botUserId);
  return {
    id: i.botUserId,
    username: user?.username ?? 'bot',
    avatar: null,
    bot: true,
    globalName: null,
  };
}

function reply(
  i: SandboxInteraction,
  kind: InteractionReply['kind'],
  message: SandboxMessage | null,
  data: Record<string, unknown>,
): InteractionReply {
  const flags = message?.flags ?? (typeof data.flags === 'number' ? data.flags : 0);
  return {
    interactionId: i.id,
    kind,
    content: message?.content ?? (typeof data.content === 'string' ? data.content : ''),
    ephemeral: (flags & MessageFlag.Ephemeral) !== 0,
    deferred: i.callbackType === 5 || i.callbackType === 6,
    embeds: message?.embeds ?? [],
    components: message?.components ?? (Array.isArray(data.components) ? data.components : []),
    flags,
    message,
    data,
  };
}

function componentMessage(ctx: RouteContext, i: SandboxInteraction): SandboxMessage {
  const message = i.messageId ? ctx.sb.store.messagesById.get(i.messageId) : undefined;
  if (!message || message.deleted) {
    throw Errors.invalidForm(
      'type',
      'INTERACTION_RESPONSE_TYPE_INVALID',
      'Interaction has no message to update',
    );
  }
  return message;
}

function callback(ctx: RouteContext): RouteReply {
  const i = ctx.sb.interactions.get(ctx.params.interactionId ?? '');
  if (!i || i.token !== ctx.params.token) throw Errors.unknownInteraction();
  if (i.callbackType !== null) throw Errors.alreadyAcknowledged();
  if (ctx.sb.now() - i.createdAt > ctx.sb.options.interactionResponseMs)
    throw Errors.unknownInteraction();
  const type = ctx.body.type;
  const data = (ctx.body.data ?? {}) as Record<string, unknown>;
  const base = {
    channelId: i.channelId,
    author: botAuthor(ctx, i),
    applicationId: i.appId,
    interactionId: i.id,
  };
  let message: SandboxMessage | null = null;
  let kind: InteractionReply['kind'];
  if (type === 4) {
    message = createMessage(ctx.sb, {
      ...base,
      source: 'interaction',
      body: data,
      files: ctx.files,
    });
    kind = 'message';
  } else if (type === 5) {
    const flags = typeof data.flags === 'number' ? data.flags & MessageFlag.Ephemeral : 0;
    message = createMessage(ctx.sb, {
      ...base,
      source: 'interaction',
      body: { flags },
      extraFlags: MessageFlag.Loading,
      allowEmpty: true,
    });
    kind = 'deferred';
  } else if ((type === 6 || type === 7) && i.type === 3) {
    message = componentMessage(ctx, i);
    if (type === 7) message = editMessage(ctx.sb, message, data, ctx.files);
    kind = type === 6 ? 'deferred-update' : 'update';
  } else if (type === 8 && i.type === 4) {
    kind = 'autocomplete';
  } else if (type === 9 && i.type !== 5) {
    kind = 'modal';
  } else {
    throw Errors.invalidForm(
      'type',
      'INTERACTION_RESPONSE_TYPE_INVALID',
      `Invalid interaction response type ${String(type)}`,
    );
  }
  i.callbackType = type;
  if (message) i.originalMessageId = message.id;
  ctx.sb.interactions.push(reply(i, kind, message, data));
  if (ctx.query.get('with_response') !== 'true') return noContent();
  return json({
    interaction: {
      id: i.id,
      type: i.type,
      response_message_id: message?.id,
      response_message_loading: message ? (message.flags & MessageFlag.Loading) !== 0 : undefined,
      response_message_ephemeral: message
        ? (message.flags & MessageFlag.Ephemeral) !== 0
        : undefined,
    },
    resource: { type, ...(message ? { message: messagePayload(ctx.sb.store, message) } : {}) },
  });
}

function live(ctx: RouteContext, i: SandboxInteraction): void {
  if (ctx.sb.now() - i.createdAt > ctx.sb.options.interactionTokenMs)
    throw Errors.invalidWebhookToken();
  if (i.callbackType === null) throw Errors.unknownWebhook();
}

/**
 * A follow-up message through `/webhooks/{appId}/{interactionToken}`.
 *
 * @example
 * ```ts
 * if (interaction) return interactionFollowup(ctx, interaction);
 * ```
 */
export function interactionFollowup(ctx: RouteContext, i: SandboxInteraction): RouteReply {
  live(ctx, i);
  const message = createMessage(ctx.sb, {
    channelId: i.channelId,
    author: botAuthor(ctx, i),
    source: 'followup',
    body: ctx.body,
    files: ctx.files,
    applicationId: i.appId,
    interactionId: i.id,
  });
  i.followupIds.push(message.id);
  ctx.sb.interactions.push(reply(i, 'followup', message, ctx.body));
  return json(messagePayload(ctx.sb.store, message));
}

/**
 * GET/PATCH/DELETE of `@original` or a follow-up of an interaction.
 *
 * @example
 * ```ts
 * return interactionMessage(ctx, interaction, 'PATCH');
 * ```
 */
export function interactionMessage(
  ctx: RouteContext,
  i: SandboxInteraction,
  op: 'GET' | 'PATCH' | 'DELETE',
): RouteReply {
  live(ctx, i);
  const wanted = ctx.params.messageId === '@original' ? i.originalMessageId : ctx.params.messageId;
  const mine = wanted === i.originalMessageId || i.followupIds.includes(wanted ?? '');
  const message = wanted && mine ? ctx.sb.store.messagesById.get(wanted) : undefined;
  if (!message || message.deleted) throw Errors.unknownMessage();
  if (op === 'DELETE') {
    deleteMessage(ctx.sb, message);
    return noContent();
  }
  if (op === 'PATCH') {
    editMessage(ctx.sb, message, ctx.body, ctx.files);
    ctx.sb.interactions.push(reply(i, 'edit', message, ctx.body));
  }
  return json(messagePayload(ctx.sb.store, message));
}

/**
 * The interaction callback (no Authorization, exempt from the global limit).
 *
 * @example
 * ```ts
 * const router = new Router([...interactionRoutes]);
 * ```
 */
export const interactionRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/interactions/:interactionId/:token/callback',
    auth: 'none',
    limits: (ctx) => ({
      refs: [
        {
          name: 'POST /interactions/:id/:token/callback',
          key: ctx.params.interactionId ?? '',
          spec: ctx.sb.limits.interactionCallback,
          scope: 'user',
        },
      ],
      exemptGlobal: true,
    }),
    handler: callback,
  },
];
