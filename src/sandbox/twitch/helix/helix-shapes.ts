import type { TwitchStream, TwitchSub, TwitchUser, TwitchVideo, TwitchWorld } from '../world.js';
import { helixTime } from './helix-http.js';

/**
 * A user as `GET /helix/users` returns it (`email` only with `user:read:email`).
 *
 * @example
 * ```ts
 * userJson(world.ensureUser('alice'), false);
 * ```
 */
export function userJson(user: TwitchUser, withEmail: boolean): Record<string, unknown> {
  return {
    id: user.id,
    login: user.login,
    display_name: user.displayName,
    type: '',
    broadcaster_type: user.broadcasterType,
    description: user.description,
    profile_image_url: user.profileImageUrl,
    offline_image_url: user.offlineImageUrl,
    view_count: 0,
    created_at: helixTime(user.createdAt),
    ...(withEmail ? { email: user.email } : {}),
  };
}

/**
 * A channel as `GET /helix/channels` returns it.
 *
 * @example
 * ```ts
 * channelJson(world, world.ensureUser('alice'));
 * ```
 */
export function channelJson(world: TwitchWorld, user: TwitchUser): Record<string, unknown> {
  const ch = world.channel(user.id);
  return {
    broadcaster_id: user.id,
    broadcaster_login: user.login,
    broadcaster_name: user.displayName,
    broadcaster_language: ch.language,
    game_id: ch.gameId,
    game_name: ch.gameName,
    title: ch.title,
    delay: 0,
    tags: [...ch.tags],
    content_classification_labels: [...ch.labels],
    is_branded_content: false,
  };
}

/**
 * A live stream as `GET /helix/streams` returns it.
 *
 * @example
 * ```ts
 * streamJson(world, world.streams.get(id)!);
 * ```
 */
export function streamJson(world: TwitchWorld, stream: TwitchStream): Record<string, unknown> {
  const user = world.users.get(stream.userId) as TwitchUser;
  const ch = world.channel(user.id);
  return {
    id: stream.id,
    user_id: user.id,
    user_login: user.login,
    user_name: user.displayName,
    game_id: ch.gameId,
    game_name: ch.gameName,
    type: stream.type,
    title: ch.title,
    tags: [...ch.tags],
    viewer_count: stream.viewerCount,
    started_at: helixTime(stream.startedAt),
    language: ch.language,
    thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${user.login}-{width}x{height}.jpg`,
    tag_ids: [],
    is_mature: false,
  };
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/**
 * A video as `GET /helix/videos` returns it (`duration` like `3h8m33s`).
 *
 * @example
 * ```ts
 * videoJson(world, world.videos[0]!);
 * ```
 */
export function videoJson(world: TwitchWorld, video: TwitchVideo): Record<string, unknown> {
  const user = world.users.get(video.userId) as TwitchUser;
  return {
    id: video.id,
    stream_id: video.streamId,
    user_id: user.id,
    user_login: user.login,
    user_name: user.displayName,
    title: video.title,
    description: '',
    created_at: helixTime(video.createdAt),
    published_at: helixTime(video.createdAt),
    url: `https://www.twitch.tv/videos/${video.id}`,
    thumbnail_url: `https://static-cdn.jtvnw.net/cf_vods/${user.login}/${video.id}/thumb/thumb0-%{width}x%{height}.jpg`,
    viewable: 'public',
    view_count: 0,
    language: world.channel(user.id).language,
    type: video.type,
    duration: duration(video.durationSeconds),
    muted_segments: null,
  };
}

/**
 * A subscription as `GET /helix/subscriptions` returns it (gifter fields empty unless gifted).
 *
 * @example
 * ```ts
 * subJson(world, world.subs[0]!);
 * ```
 */
export function subJson(world: TwitchWorld, sub: TwitchSub): Record<string, unknown> {
  const b = world.users.get(sub.broadcasterId) as TwitchUser;
  const u = world.users.get(sub.userId) as TwitchUser;
  const g = sub.gifterId === null ? undefined : world.users.get(sub.gifterId);
  return {
    broadcaster_id: b.id,
    broadcaster_login: b.login,
    broadcaster_name: b.displayName,
    gifter_id: g?.id ?? '',
    gifter_login: g?.login ?? '',
    gifter_name: g?.displayName ?? '',
    is_gift: sub.isGift,
    plan_name: `Channel Subscription (${b.login})`,
    tier: sub.tier,
    user_id: u.id,
    user_name: u.displayName,
    user_login: u.login,
  };
}

/** Subscriber points per tier (Tier 3 counts 6). @example `subPoints('3000')` */
export function subPoints(tier: TwitchSub['tier']): number {
  return tier === '3000' ? 6 : tier === '2000' ? 2 : 1;
}
