import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { TwitchWorld } from '../world.js';
import { helixError, queryList, queryOne } from './helix-http.js';
import { streamJson, videoJson } from './helix-shapes.js';
import { paginate } from './pagination.js';

async function getStreams(ctx: Context, world: TwitchWorld): Promise<void> {
  const ids = new Set(queryList(ctx, 'user_id'));
  const logins = new Set(queryList(ctx, 'user_login').map((l) => l.toLowerCase()));
  const games = new Set(queryList(ctx, 'game_id'));
  const languages = new Set(queryList(ctx, 'language'));
  const type = queryOne(ctx, 'type') ?? 'all';
  if (ids.size > 100 || logins.size > 100 || games.size > 100) {
    helixError(ctx, 400, 'You may specify a maximum of 100 user_id, user_login or game_id values');
    return;
  }
  if (type !== 'all' && type !== 'live') {
    helixError(ctx, 400, 'The parameter "type" was malformed: the value must be "all" or "live"');
    return;
  }
  const byUser = ids.size + logins.size > 0;
  const streams = [...world.streams.values()]
    .filter((s) => {
      const user = world.users.get(s.userId);
      const ch = world.channel(s.userId);
      if (byUser && !ids.has(s.userId) && !logins.has(user?.login ?? '')) return false;
      if (games.size > 0 && !games.has(ch.gameId)) return false;
      if (languages.size > 0 && !languages.has(ch.language)) return false;
      return type === 'all' || s.type === 'live';
    })
    .sort((a, b) => b.viewerCount - a.viewerCount || a.startedAt - b.startedAt);
  const page = paginate(ctx, streams);
  if (!page) return;
  ctx.body = { data: page.data.map((s) => streamJson(world, s)), pagination: page.pagination };
}

async function getVideos(ctx: Context, world: TwitchWorld): Promise<void> {
  const ids = queryList(ctx, 'id');
  const userId = queryOne(ctx, 'user_id');
  const gameId = queryOne(ctx, 'game_id');
  const given = [ids.length > 0, userId !== undefined, gameId !== undefined].filter(Boolean).length;
  if (given !== 1) {
    helixError(ctx, 400, 'Exactly one of the id, user_id or game_id parameters is required');
    return;
  }
  if (ids.length > 100) {
    helixError(ctx, 400, 'You may specify a maximum of 100 IDs');
    return;
  }
  const type = queryOne(ctx, 'type') ?? 'all';
  if (!['all', 'archive', 'highlight', 'upload'].includes(type)) {
    helixError(ctx, 400, 'The parameter "type" was malformed');
    return;
  }
  if (ids.length > 0) {
    const wanted = new Set(ids);
    ctx.body = {
      data: world.videos.filter((v) => wanted.has(v.id)).map((v) => videoJson(world, v)),
      pagination: {},
    };
    return;
  }
  const videos = world.videos
    .filter((v) =>
      userId === undefined ? world.channel(v.userId).gameId === gameId : v.userId === userId,
    )
    .filter((v) => type === 'all' || v.type === type)
    .sort((a, b) => b.createdAt - a.createdAt);
  const page = paginate(ctx, videos);
  if (!page) return;
  ctx.body = { data: page.data.map((v) => videoJson(world, v)), pagination: page.pagination };
}

/**
 * Registers `streams` and `videos`.
 *
 * @example
 * ```ts
 * registerStreamVideoRoutes(helixRouter, world);
 * ```
 */
export function registerStreamVideoRoutes(router: Router, world: TwitchWorld): void {
  router.get('/streams', (ctx) => getStreams(ctx, world));
  router.get('/videos', (ctx) => getVideos(ctx, world));
}
