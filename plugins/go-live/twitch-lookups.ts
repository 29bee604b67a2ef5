import type { TwitchFacet } from '../../core/index.js';

/**
 * A Twitch user as posts show it.
 *
 * @example
 * ```ts
 * const [ada]: StreamerInfo[] = await lookups.users(['ada']);
 * ```
 */
export interface StreamerInfo {
  id: string;
  login: string;
  displayName: string;
  avatarUrl?: string;
}

/**
 * A live stream from Helix.
 *
 * @example
 * ```ts
 * const live: LiveStream | null = await lookups.stream(ada.id);
 * ```
 */
export interface LiveStream {
  id: string;
  userId: string;
  login: string;
  title: string;
  game: string;
  gameId: string;
  viewers: number;
  startedAt: string;
  thumbnailUrl: string;
  type: string;
}

/**
 * The Helix calls go-live makes (through the bot's twurple client), with users cached.
 *
 * @example
 * ```ts
 * const twitch = new TwitchLookups(ctx.twitch.api);
 * const [ada] = await twitch.users(['ada']);
 * const live = await twitch.stream(ada.id);
 * ```
 */
export class TwitchLookups {
  readonly #users = new Map<string, StreamerInfo>();

  constructor(private readonly api: TwitchFacet['api']) {}

  /** Users by login (unknown logins are left out). */
  async users(logins: readonly string[]): Promise<StreamerInfo[]> {
    const wanted = logins.map((l) => l.toLowerCase());
    const missing = wanted.filter((l) => !this.#users.has(l));
    for (let i = 0; i < missing.length; i += 100) {
      const found = await this.api.users.getUsersByNames(missing.slice(i, i + 100));
      for (const u of found)
        this.#users.set(u.name, {
          id: u.id,
          login: u.name,
          displayName: u.displayName,
          avatarUrl: u.profilePictureUrl || undefined,
        });
    }
    return wanted.map((l) => this.#users.get(l)).filter((u): u is StreamerInfo => !!u);
  }

  /** A cached user by login or id, without calling Helix. */
  cached(loginOrId: string): StreamerInfo | undefined {
    const byLogin = this.#users.get(loginOrId.toLowerCase());
    if (byLogin) return byLogin;
    for (const u of this.#users.values()) if (u.id === loginOrId) return u;
    return undefined;
  }

  /** The user's live stream, or null when offline. */
  async stream(userId: string): Promise<LiveStream | null> {
    const s = await this.api.streams.getStreamByUserId(userId);
    return s ? toLive(s) : null;
  }

  /** Live streams of many users (100 per request). */
  async streams(userIds: readonly string[]): Promise<LiveStream[]> {
    const out: LiveStream[] = [];
    for (let i = 0; i < userIds.length; i += 100) {
      const page = await this.api.streams.getStreams({ userId: userIds.slice(i, i + 100) });
      out.push(...page.data.map(toLive));
    }
    return out;
  }

  /** The VOD of a stream, when Twitch keeps one. */
  async vod(userId: string, streamId: string): Promise<string | undefined> {
    const page = await this.api.videos.getVideosByUser(userId, { type: 'archive', limit: 10 });
    return page.data.find((v) => v.streamId === streamId)?.url;
  }
}

type HelixStreamLike = Awaited<ReturnType<TwitchFacet['api']['streams']['getStreamByUserId']>> &
  object;

function toLive(s: HelixStreamLike): LiveStream {
  return {
    id: s.id,
    userId: s.userId,
    login: s.userName,
    title: s.title,
    game: s.gameName,
    gameId: s.gameId,
    viewers: s.viewers,
    startedAt: s.startDate.toISOString(),
    thumbnailUrl: s.thumbnailUrl,
    type: s.type || 'live',
  };
}
