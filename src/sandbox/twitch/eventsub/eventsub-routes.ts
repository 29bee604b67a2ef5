import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { TwitchWorld } from '../world.js';
import { tokenOf } from '../helix/helix-auth.js';
import { helixError, queryList, queryOne } from '../helix/helix-http.js';
import { paginate } from '../helix/pagination.js';
import type { EventSubSender } from './sender.js';
import { EventSubStore, subscriptionJson } from './subscription-store.js';
import { authorizingUser, findEventSubType, validateCondition } from './subscription-types.js';

/** Settings of the EventSub subscription endpoints. */
export interface EventSubRouteOptions {
  world: TwitchWorld;
  sender: EventSubSender;
  /** Default 10,000 like Twitch. */
  maxTotalCost?: number;
  /** Require the authorizing user's grant for types that need scopes (default true). */
  enforceAuthorization?: boolean;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

function checkCallback(callback: unknown): string | null {
  if (typeof callback !== 'string') return 'transport.callback is required';
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return 'transport.callback must be a valid URL';
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)))
    return null;
  return 'transport.callback must use https';
}

async function create(ctx: Context, o: Required<EventSubRouteOptions>): Promise<void> {
  const token = tokenOf(ctx);
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const { type, version, condition } = body;
  const transport = (body.transport ?? {}) as Record<string, unknown>;
  if (typeof type !== 'string' || typeof version !== 'string') {
    return helixError(ctx, 400, 'type and version are required');
  }
  const spec = findEventSubType(type, version);
  if (!spec) return helixError(ctx, 400, 'invalid subscription type and version');
  const conditionError = validateCondition(spec, condition);
  if (conditionError) return helixError(ctx, 400, `invalid condition: ${conditionError}`);
  if (transport.method !== 'webhook') {
    return helixError(
      ctx,
      400,
      'unsupported transport method (the sandbox delivers webhooks only)',
    );
  }
  if (token.userId !== null) {
    return helixError(
      ctx,
      400,
      'invalid transport and auth combination: webhooks require an app access token',
    );
  }
  const callbackError = checkCallback(transport.callback);
  if (callbackError) return helixError(ctx, 400, callbackError);
  const secret = transport.secret;
  if (typeof secret !== 'string' || secret.length < 10 || secret.length > 100) {
    return helixError(ctx, 400, 'transport.secret must be between 10 and 100 characters');
  }
  const cond = condition as Record<string, string>;
  const userId = authorizingUser(spec, cond);
  const authorized = o.world.auth.isAuthorized(token.clientId, userId, spec.scopes);
  if (spec.scopes.length > 0 && o.enforceAuthorization && !authorized) {
    return helixError(ctx, 403, 'subscription missing proper authorization');
  }
  const callback = transport.callback as string;
  if (o.world.eventSub.findDuplicate(token.clientId, type, version, cond, callback)) {
    return helixError(ctx, 409, 'subscription already exists');
  }
  const cost = spec.scopes.length > 0 || o.world.auth.isAuthorized(token.clientId, userId) ? 0 : 1;
  if (o.world.eventSub.totalCost(token.clientId) + cost > o.maxTotalCost) {
    return helixError(ctx, 429, 'maximum total cost exceeded');
  }
  const sub = o.world.eventSub.add({
    clientId: token.clientId,
    type,
    version,
    condition: { ...cond },
    callback,
    secret,
    createdAt: o.world.now(),
    cost,
  });
  ctx.status = 202;
  ctx.body = { data: [subscriptionJson(sub)], ...totals(o, token.clientId) };
  o.sender.verifySoon(sub);
}

function totals(o: Required<EventSubRouteOptions>, clientId: string): Record<string, number> {
  const active = o.world.eventSub.list(clientId).filter((s) => EventSubStore.isActive(s.status));
  return {
    total: active.length,
    total_cost: o.world.eventSub.totalCost(clientId),
    max_total_cost: o.maxTotalCost,
  };
}

async function list(ctx: Context, o: Required<EventSubRouteOptions>): Promise<void> {
  const token = tokenOf(ctx);
  const status = queryOne(ctx, 'status');
  const type = queryOne(ctx, 'type');
  const userId = queryOne(ctx, 'user_id');
  const id = queryOne(ctx, 'subscription_id');
  if ([status, type, userId, id].filter((f) => f !== undefined).length > 1) {
    return helixError(
      ctx,
      400,
      'only one of status, type, user_id or subscription_id may be given',
    );
  }
  const subs = o.world.eventSub.list(token.clientId).filter((s) => {
    if (status !== undefined && s.status !== status) return false;
    if (type !== undefined && s.type !== type) return false;
    if (id !== undefined && s.id !== id) return false;
    return (
      userId === undefined ||
      Object.entries(s.condition).some(([k, v]) => k.endsWith('user_id') && v === userId)
    );
  });
  const page = paginate(ctx, subs, 100, 100);
  if (!page) return;
  ctx.body = {
    data: page.data.map(subscriptionJson),
    ...totals(o, token.clientId),
    pagination: page.pagination,
  };
}

async function remove(ctx: Context, o: Required<EventSubRouteOptions>): Promise<void> {
  const token = tokenOf(ctx);
  const [id] = queryList(ctx, 'id');
  if (id === undefined) return helixError(ctx, 400, 'Missing required parameter "id"');
  const sub = o.world.eventSub.get(id);
  if (!sub || sub.clientId !== token.clientId)
    return helixError(ctx, 404, 'subscription not found');
  o.world.eventSub.remove(id);
  ctx.status = 204;
}

/**
 * Registers `POST|GET|DELETE /subscriptions` (mounted under `/eventsub`, where twurple sends them).
 *
 * @example
 * ```ts
 * registerEventSubRoutes(eventSubRouter, { world, sender });
 * ```
 */
export function registerEventSubRoutes(router: Router, options: EventSubRouteOptions): void {
  const o: Required<EventSubRouteOptions> = {
    ...options,
    maxTotalCost: options.maxTotalCost ?? 10_000,
    enforceAuthorization: options.enforceAuthorization ?? true,
  };
  router.post('/subscriptions', (ctx) => create(ctx, o));
  router.get('/subscriptions', (ctx) => list(ctx, o));
  router.delete('/subscriptions', (ctx) => remove(ctx, o));
}
