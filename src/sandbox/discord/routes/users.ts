import { createHash } from 'node:crypto';
import { recommendedShards } from '../gateway/shards.js';
import { Errors } from '../http/errors.js';
import { json, requireBot } from '../http/types.js';
import type { RouteDef } from '../http/types.js';
import type { SandboxChannel } from '../state/model.js';
import { channelPayload, userPayload } from '../state/payloads.js';

/**
 * Gateway discovery, users, the application, and DM channel creation.
 *
 * @example
 * ```ts
 * const router = new Router([...userRoutes]);
 * ```
 */
export const userRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/gateway',
    auth: 'none',
    handler: (ctx) => json({ url: ctx.sb.wsUrl }),
  },
  {
    method: 'GET',
    path: '/gateway/bot',
    auth: 'bot',
    handler: (ctx) =>
      json({
        url: ctx.sb.wsUrl,
        shards: recommendedShards(ctx.sb.store.guildsOf(requireBot(ctx).userId).length),
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 14_400_000,
          max_concurrency: 1,
        },
      }),
  },
  {
    method: 'GET',
    path: '/users/@me',
    auth: 'bot',
    handler: (ctx) => {
      const user = ctx.sb.store.users.get(requireBot(ctx).userId);
      if (!user) throw Errors.unknownUser();
      return json({
        ...userPayload(user),
        verified: true,
        mfa_enabled: false,
        email: null,
        locale: 'en-US',
      });
    },
  },
  {
    method: 'GET',
    path: '/users/:userId',
    auth: 'bot',
    handler: (ctx) => {
      const user = ctx.sb.store.users.get(ctx.params.userId ?? '');
      if (!user) throw Errors.unknownUser();
      return json(userPayload(user));
    },
  },
  {
    method: 'GET',
    path: '/applications/@me',
    auth: 'bot',
    handler: (ctx) => {
      const bot = requireBot(ctx);
      const user = ctx.sb.store.users.get(bot.userId);
      return json({
        id: bot.appId,
        name: bot.username,
        icon: null,
        description: '',
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: createHash('sha256').update(bot.appId).digest('hex'),
        flags: 0,
        team: null,
        owner: user ? userPayload(user) : undefined,
        bot: user ? userPayload(user) : undefined,
      });
    },
  },
  {
    method: 'POST',
    path: '/users/@me/channels',
    auth: 'bot',
    handler: (ctx) => {
      const bot = requireBot(ctx);
      const recipient = ctx.body.recipient_id;
      if (typeof recipient !== 'string') {
        throw Errors.invalidForm('recipient_id', 'BASE_TYPE_REQUIRED', 'This field is required');
      }
      const user = ctx.sb.store.users.get(recipient);
      if (!user) throw Errors.unknownUser();
      const key = `${bot.userId}:${user.id}`;
      let channel = ctx.sb.store.channels.get(ctx.sb.store.dmChannels.get(key) ?? '');
      if (!channel) {
        const created: SandboxChannel = {
          id: ctx.sb.ids.next(),
          type: 1,
          guildId: null,
          name: null,
          position: 0,
          recipients: [bot.userId, user.id],
          lastMessageId: null,
        };
        ctx.sb.store.channels.set(created.id, created);
        ctx.sb.store.dmChannels.set(key, created.id);
        channel = created;
      }
      return json(channelPayload(ctx.sb.store, channel));
    },
  },
];
