import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { TwitchUser, TwitchWorld } from '../world.js';
import { requireUserToken, tokenOf } from './helix-auth.js';
import { helixError, helixTime, queryList, queryOne } from './helix-http.js';
import { channelJson, userJson } from './helix-shapes.js';
import { paginate } from './pagination.js';

function known(world: TwitchWorld, ids: string[]): TwitchUser[] {
  return ids.map((id) => world.users.get(id)).filter((u): u is TwitchUser => u !== undefined);
}

async function getUsers(ctx: Context, world: TwitchWorld): Promise<void> {
  const ids = queryList(ctx, 'id');
  const logins = queryList(ctx, 'login').map((l) => l.toLowerCase());
  const token = tokenOf(ctx);
  const withEmail = token.scopes.includes('user:read:email');
  if (ids.length + logins.length > 100) {
    helixError(ctx, 400, 'The sum of the id and login parameters must not exceed 100');
    return;
  }
  if (ids.length + logins.length === 0) {
    const self = token.userId === null ? undefined : world.users.get(token.userId);
    if (!self) {
      helixError(ctx, 400, 'Must provide an ID, Login or OAuth Token');
      return;
    }
    ctx.body = { data: [userJson(self, withEmail)] };
    return;
  }
  const found = new Map<string, TwitchUser>();
  for (const u of known(world, ids)) found.set(u.id, u);
  for (const login of logins) {
    const u = world.findUser(login);
    if (u && u.login === login) found.set(u.id, u);
  }
  ctx.body = {
    data: [...found.values()].map((u) => userJson(u, withEmail && u.id === token.userId)),
  };
}

async function getChannels(ctx: Context, world: TwitchWorld): Promise<void> {
  const ids = queryList(ctx, 'broadcaster_id');
  if (ids.length === 0) {
    helixError(ctx, 400, 'Missing required parameter "broadcaster_id"');
    return;
  }
  if (ids.length > 100) {
    helixError(ctx, 400, 'You may specify a maximum of 100 broadcaster IDs');
    return;
  }
  ctx.body = { data: known(world, ids).map((u) => channelJson(world, u)) };
}

async function patchChannel(ctx: Context, world: TwitchWorld): Promise<void> {
  const id = queryOne(ctx, 'broadcaster_id');
  const user = id === undefined ? undefined : world.users.get(id);
  if (!user) {
    helixError(ctx, 400, 'Missing required parameter "broadcaster_id"');
    return;
  }
  if (!requireUserToken(ctx, { userId: user.id, anyOfScopes: ['channel:manage:broadcast'] }))
    return;
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const tags = Array.isArray(body.tags)
    ? body.tags.filter((t): t is string => typeof t === 'string')
    : undefined;
  const gameId = str(body.game_id);
  world.updateChannel(user.login, {
    title: str(body.title),
    game: gameId === undefined ? undefined : gameId,
    language: str(body.broadcaster_language),
    tags,
  });
  ctx.status = 204;
}

async function searchChannels(ctx: Context, world: TwitchWorld): Promise<void> {
  const query = queryOne(ctx, 'query')?.toLowerCase();
  if (!query) {
    helixError(ctx, 400, 'Missing required parameter "query"');
    return;
  }
  const liveOnly = queryOne(ctx, 'live_only') === 'true';
  const hits = [...world.users.values()]
    .filter((u) => u.login.includes(query) || u.displayName.toLowerCase().includes(query))
    .filter((u) => !liveOnly || world.streams.has(u.id));
  const page = paginate(ctx, hits);
  if (!page) return;
  ctx.body = {
    data: page.data.map((u) => {
      const ch = world.channel(u.id);
      const stream = world.streams.get(u.id);
      return {
        broadcaster_language: ch.language,
        broadcaster_login: u.login,
        display_name: u.displayName,
        game_id: ch.gameId,
        game_name: ch.gameName,
        id: u.id,
        is_live: stream !== undefined,
        tag_ids: [],
        tags: [...ch.tags],
        thumbnail_url: u.profileImageUrl,
        title: ch.title,
        started_at: stream ? helixTime(stream.startedAt) : '',
      };
    }),
    pagination: page.pagination,
  };
}

async function getFollowers(ctx: Context, world: TwitchWorld): Promise<void> {
  const id = queryOne(ctx, 'broadcaster_id');
  if (id === undefined) {
    helixError(ctx, 400, 'Missing required parameter "broadcaster_id"');
    return;
  }
  const userId = queryOne(ctx, 'user_id');
  const all = world.follows
    .filter((f) => f.broadcasterId === id)
    .sort((a, b) => b.followedAt - a.followedAt);
  const token = tokenOf(ctx);
  const allowed = token.userId === id && token.scopes.includes('moderator:read:followers');
  const visible = allowed ? all.filter((f) => userId === undefined || f.userId === userId) : [];
  const page = paginate(ctx, visible);
  if (!page) return;
  ctx.body = {
    total: all.length,
    data: page.data.map((f) => {
      const u = world.users.get(f.userId) as TwitchUser;
      return {
        user_id: u.id,
        user_login: u.login,
        user_name: u.displayName,
        followed_at: helixTime(f.followedAt),
      };
    }),
    pagination: page.pagination,
  };
}

/**
 * Registers `users`, `channels` (GET/PATCH), `search/channels` and `channels/followers`.
 *
 * @example
 * ```ts
 * registerUserChannelRoutes(helixRouter, world);
 * ```
 */
export function registerUserChannelRoutes(router: Router, world: TwitchWorld): void {
  router.get('/users', (ctx) => getUsers(ctx, world));
  router.get('/channels', (ctx) => getChannels(ctx, world));
  router.patch('/channels', (ctx) => patchChannel(ctx, world));
  router.get('/search/channels', (ctx) => searchChannels(ctx, world));
  router.get('/channels/followers', (ctx) => getFollowers(ctx, world));
}
