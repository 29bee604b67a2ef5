import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { TwitchWorld } from '../world.js';
import { requireUserToken } from './helix-auth.js';
import { helixError, queryList, queryOne } from './helix-http.js';
import { subJson, subPoints } from './helix-shapes.js';
import { paginate } from './pagination.js';

async function getBroadcasterSubscriptions(ctx: Context, world: TwitchWorld): Promise<void> {
  const broadcasterId = queryOne(ctx, 'broadcaster_id');
  if (broadcasterId === undefined) {
    helixError(ctx, 400, 'Missing required parameter "broadcaster_id"');
    return;
  }
  const ok = requireUserToken(ctx, {
    userId: broadcasterId,
    anyOfScopes: ['channel:read:subscriptions'],
    mismatch: 'broadcaster_id must match the User ID in the token',
  });
  if (!ok) return;
  const all = world.subs.filter((s) => s.broadcasterId === broadcasterId);
  const points = all.reduce((sum, s) => sum + subPoints(s.tier), 0);
  const userIds = queryList(ctx, 'user_id');
  if (userIds.length > 100) {
    helixError(ctx, 400, 'You may specify a maximum of 100 user IDs');
    return;
  }
  if (userIds.length > 0) {
    const wanted = new Set(userIds);
    const data = all.filter((s) => wanted.has(s.userId)).map((s) => subJson(world, s));
    ctx.body = { data, pagination: {}, total: all.length, points };
    return;
  }
  const page = paginate(ctx, all);
  if (!page) return;
  ctx.body = {
    data: page.data.map((s) => subJson(world, s)),
    pagination: page.pagination,
    total: all.length,
    points,
  };
}

async function checkUserSubscription(ctx: Context, world: TwitchWorld): Promise<void> {
  const broadcasterId = queryOne(ctx, 'broadcaster_id');
  const userId = queryOne(ctx, 'user_id');
  if (broadcasterId === undefined || userId === undefined) {
    helixError(ctx, 400, 'Missing required parameter "broadcaster_id" or "user_id"');
    return;
  }
  const ok = requireUserToken(ctx, {
    userId,
    anyOfScopes: ['user:read:subscriptions'],
    mismatch: 'user_id must match the User ID in the token',
  });
  if (!ok) return;
  const sub = world.subs.find((s) => s.broadcasterId === broadcasterId && s.userId === userId);
  if (!sub) {
    const user = world.users.get(userId)?.login ?? userId;
    const broadcaster = world.users.get(broadcasterId)?.login ?? broadcasterId;
    helixError(ctx, 404, `${user} has no subscription to ${broadcaster}`);
    return;
  }
  const full = subJson(world, sub);
  const data: Record<string, unknown> = {
    broadcaster_id: full.broadcaster_id,
    broadcaster_login: full.broadcaster_login,
    broadcaster_name: full.broadcaster_name,
    is_gift: full.is_gift,
    tier: full.tier,
  };
  if (full.is_gift) {
    Object.assign(data, {
      gifter_id: full.gifter_id,
      gifter_login: full.gifter_login,
      gifter_name: full.gifter_name,
    });
  }
  ctx.body = { data: [data] };
}

/**
 * Registers `subscriptions` (broadcaster list / check users) and `subscriptions/user`.
 *
 * @example
 * ```ts
 * registerSubscriptionRoutes(helixRouter, world);
 * ```
 */
export function registerSubscriptionRoutes(router: Router, world: TwitchWorld): void {
  router.get('/subscriptions', (ctx) => getBroadcasterSubscriptions(ctx, world));
  router.get('/subscriptions/user', (ctx) => checkUserSubscription(ctx, world));
}
