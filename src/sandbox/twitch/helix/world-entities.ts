/**
 * The records a {@link TwitchWorld} keeps (users, channels, streams, videos, subscriptions,
 * follows) and small helpers around them.
 */

/** A Twitch user (every user also has a channel). */
export interface TwitchUser {
  id: string;
  login: string;
  displayName: string;
  broadcasterType: '' | 'affiliate' | 'partner';
  description: string;
  profileImageUrl: string;
  offlineImageUrl: string;
  email: string;
  createdAt: number;
}

/** Channel information (`Get Channel Information`). */
export interface TwitchChannel {
  broadcasterId: string;
  title: string;
  gameId: string;
  gameName: string;
  language: string;
  tags: string[];
  labels: string[];
}

/** A live stream. */
export interface TwitchStream {
  id: string;
  userId: string;
  type: 'live' | 'rerun';
  viewerCount: number;
  startedAt: number;
}

/** A VOD; the world creates an `archive` video when a stream ends. */
export interface TwitchVideo {
  id: string;
  streamId: string;
  userId: string;
  title: string;
  type: 'archive' | 'highlight' | 'upload';
  createdAt: number;
  durationSeconds: number;
}

/** A subscription of `userId` to `broadcasterId`. */
export interface TwitchSub {
  broadcasterId: string;
  userId: string;
  tier: '1000' | '2000' | '3000';
  isGift: boolean;
  /** The gifter, or null (not a gift, or an anonymous gift). */
  gifterId: string | null;
  cumulativeMonths: number;
}

/** A follow of `userId` to `broadcasterId`. */
export interface TwitchFollow {
  broadcasterId: string;
  userId: string;
  followedAt: number;
}

const games: Record<string, string> = {
  'Just Chatting': '509658',
  'Science & Technology': '509670',
  'Software and Game Development': '1469308723',
  Minecraft: '27471',
  Fortnite: '33214',
  Art: '509660',
  Music: '26936',
};

/** Deterministic numeric id for a login (FNV-1a). @example `idForLogin('alice')` */
export function idForLogin(login: string): string {
  let h = 0x811c9dc5;
  for (const ch of login.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return String(10_000_000 + (h % 890_000_000));
}

/**
 * A clock tests can move by hand.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const world = new TwitchWorld({ now: clock.now });
 * clock.advance(60_000);
 * ```
 */
export class ManualClock {
  constructor(private ms = Date.now()) {}
  /** Current time in ms (bound, pass it around). @example `clock.now()` */
  readonly now = (): number => this.ms;
  /** Moves time forward. @example `clock.advance(1000)` */
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * Resolves a game name or id to `{ id, name }` (unknown names get a stable made-up id).
 *
 * @example
 * ```ts
 * resolveGame('Minecraft'); // { id: '27471', name: 'Minecraft' }
 * ```
 */
export function resolveGame(nameOrId: string): { id: string; name: string } {
  const byId = Object.entries(games).find(([, id]) => id === nameOrId);
  if (byId) return { id: byId[1], name: byId[0] };
  return { id: games[nameOrId] ?? idForLogin(`game:${nameOrId}`), name: nameOrId };
}

/**
 * A new user record with Twitch-like defaults.
 *
 * @example
 * ```ts
 * makeUser('alice', idForLogin('alice'), Date.now());
 * ```
 */
export function makeUser(
  login: string,
  id: string,
  createdAt: number,
  extra: Partial<Omit<TwitchUser, 'id' | 'login'>> = {},
): TwitchUser {
  const key = login.toLowerCase();
  return {
    id,
    login: key,
    displayName: login,
    broadcasterType: '',
    description: '',
    profileImageUrl: `https://static-cdn.jtvnw.net/jtv_user_pictures/${key}-profile_image-300x300.png`,
    offlineImageUrl: '',
    email: `${key}@example.test`,
    createdAt,
    ...extra,
  };
}
