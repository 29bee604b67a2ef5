import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import * as payload from './eventsub/event-payloads.js';
import type { RewardRef, WorldNotification } from './eventsub/event-payloads.js';
import { EventSubStore } from './eventsub/subscription-store.js';
import { OAuthStore } from './helix/oauth-store.js';
import type { OAuthApp, TokenResponse } from './helix/oauth-store.js';
import { idForLogin, makeUser, resolveGame } from './helix/world-entities.js';
import type {
  TwitchChannel,
  TwitchFollow,
  TwitchStream,
  TwitchSub,
  TwitchUser,
  TwitchVideo,
} from './helix/world-entities.js';

export { idForLogin, ManualClock, resolveGame } from './helix/world-entities.js';
export type {
  TwitchChannel,
  TwitchFollow,
  TwitchStream,
  TwitchSub,
  TwitchUser,
  TwitchVideo,
} from './helix/world-entities.js';

/** Events a {@link TwitchWorld} emits. */
export interface TwitchWorldEvents {
  notification: [WorldNotification];
  /** A user revoked every grant; `clientIds` lost their authorization. */
  'grants-revoked': [{ userId: string; clientIds: string[] }];
}

/**
 * In-memory Twitch state shared by the chat, Helix and EventSub simulators. Mutators raise
 * `notification` events that the EventSub sender turns into signed webhook deliveries.
 *
 * @example
 * ```ts
 * const world = new TwitchWorld();
 * world.ensureUser('streamer');
 * world.goLive('streamer', { title: 'Hello', game: 'Just Chatting', viewers: 12 });
 * ```
 */
export class TwitchWorld extends EventEmitter<TwitchWorldEvents> {
  readonly now: () => number;
  /** OAuth apps, tokens, codes, device grants. */
  readonly auth: OAuthStore;
  /** EventSub subscriptions. */
  readonly eventSub = new EventSubStore();
  readonly users = new Map<string, TwitchUser>();
  readonly channels = new Map<string, TwitchChannel>();
  readonly streams = new Map<string, TwitchStream>();
  readonly videos: TwitchVideo[] = [];
  readonly subs: TwitchSub[] = [];
  readonly follows: TwitchFollow[] = [];
  private readonly logins = new Map<string, string>();
  private seq = 40_000_000_000;

  /**
   * @param opts.now Clock in ms (default `Date.now`); use {@link ManualClock} in tests.
   * @param opts.tokenExpiresIn Lifetime of user access tokens in seconds (default 14,400).
   */
  constructor(opts: { now?: () => number; tokenExpiresIn?: number } = {}) {
    super();
    this.now = opts.now ?? Date.now;
    this.auth = new OAuthStore(this.now);
    if (opts.tokenExpiresIn !== undefined) this.auth.tokenExpiresIn = opts.tokenExpiresIn;
  }

  /** Returns the user with this login, creating it. @example `world.ensureUser('alice').id` */
  ensureUser(login: string, extra: Partial<Omit<TwitchUser, 'id' | 'login'>> = {}): TwitchUser {
    const key = login.toLowerCase();
    const known = this.logins.get(key);
    if (known) return this.users.get(known) as TwitchUser;
    let id = idForLogin(key);
    while (this.users.has(id)) id = String(Number(id) + 1);
    const user = makeUser(login, id, this.now(), extra);
    this.users.set(id, user);
    this.logins.set(key, id);
    const channel = { title: '', gameId: '', gameName: '', language: 'en', tags: [], labels: [] };
    this.channels.set(id, { broadcasterId: id, ...channel });
    return user;
  }

  /** A user by id or login. @example `world.findUser('alice')` */
  findUser(idOrLogin: string): TwitchUser | undefined {
    return (
      this.users.get(idOrLogin) ?? this.users.get(this.logins.get(idOrLogin.toLowerCase()) ?? '')
    );
  }

  /** The channel of a user (by id or login). @example `world.channel('alice').title` */
  channel(idOrLogin: string): TwitchChannel {
    const user = this.findUser(idOrLogin) ?? this.ensureUser(idOrLogin);
    return this.channels.get(user.id) as TwitchChannel;
  }

  /** Registers an OAuth app. @example `world.createApp({ clientId: 'cid', clientSecret: 'secret' })` */
  createApp(app: Partial<OAuthApp> = {}): OAuthApp {
    return this.auth.registerApp(app);
  }

  /** Issues tokens as if `login` authorized the app. @example `world.grantUser('alice', 'cid', ['bits:read'])` */
  grantUser(login: string, clientId: string, scopes: string[]): TokenResponse {
    return this.auth.issueUserToken(clientId, this.ensureUser(login).id, scopes);
  }

  /** Approves a device-code grant as `login`. @example `world.approveDevice('ABCDEFGH', 'alice')` */
  approveDevice(userCode: string, login: string): boolean {
    return this.auth.grants.approveDevice(userCode, this.ensureUser(login).id);
  }

  /** Revokes every token/grant of `login` (refreshes then fail). @example `world.revokeUserGrants('alice')` */
  revokeUserGrants(login: string): void {
    const user = this.ensureUser(login);
    const clientIds = this.auth.revokeUser(user.id);
    this.emit('grants-revoked', { userId: user.id, clientIds });
  }

  /** Starts a stream. @example `world.goLive('alice', { title: 'Hi', game: 'Art', viewers: 3 })` */
  goLive(
    login: string,
    opts: { title?: string; game?: string; viewers?: number; type?: 'live' | 'rerun' } = {},
  ): TwitchStream {
    const user = this.ensureUser(login);
    if (opts.title !== undefined || opts.game !== undefined) this.updateChannel(login, opts);
    const stream: TwitchStream = {
      id: String(++this.seq),
      userId: user.id,
      type: opts.type ?? 'live',
      viewerCount: opts.viewers ?? 0,
      startedAt: this.now(),
    };
    this.streams.set(user.id, stream);
    this.raise(payload.streamOnline(user, stream.id, iso(stream.startedAt), stream.type));
    return stream;
  }

  /** Ends the stream and stores its VOD. @example `world.goOffline('alice')` */
  goOffline(login: string): TwitchVideo | undefined {
    const user = this.ensureUser(login);
    const stream = this.streams.get(user.id);
    if (!stream) return undefined;
    this.streams.delete(user.id);
    const video: TwitchVideo = {
      id: String(++this.seq),
      streamId: stream.id,
      userId: user.id,
      title: this.channel(user.id).title,
      type: 'archive',
      createdAt: stream.startedAt,
      durationSeconds: Math.max(1, Math.round((this.now() - stream.startedAt) / 1000)),
    };
    this.videos.push(video);
    this.raise(payload.streamOffline(user));
    return video;
  }

  /** Changes channel info (also on the live stream). @example `world.updateChannel('alice', { title: 'New' })` */
  updateChannel(
    login: string,
    change: { title?: string; game?: string; language?: string; tags?: string[] },
  ): TwitchChannel {
    const user = this.ensureUser(login);
    const ch = this.channel(user.id);
    if (change.title !== undefined) ch.title = change.title;
    if (change.game !== undefined) {
      const game = resolveGame(change.game);
      [ch.gameId, ch.gameName] = [game.id, game.name];
    }
    if (change.language !== undefined) ch.language = change.language;
    if (change.tags !== undefined) ch.tags = [...change.tags];
    const { title, language, gameId: categoryId, gameName: categoryName, labels } = ch;
    this.raise(payload.channelUpdate(user, { title, language, categoryId, categoryName, labels }));
    return ch;
  }

  /**
   * Subscribes `user` to `broadcaster`. A `gift` raises the gift event first; a `message` on an
   * existing subscription raises `channel.subscription.message` (a shared resub).
   *
   * @example
   * ```ts
   * world.subscribe('alice', 'bob', '1000', { gift: 'carol' });
   * ```
   */
  subscribe(
    broadcaster: string,
    user: string,
    tier: TwitchSub['tier'] = '1000',
    opts: { gift?: string | { anonymous: true }; message?: string } = {},
  ): TwitchSub {
    const [b, u] = [this.ensureUser(broadcaster), this.ensureUser(user)];
    const existing = this.subs.find((s) => s.broadcasterId === b.id && s.userId === u.id);
    if (existing && opts.message !== undefined) {
      const months = (existing.cumulativeMonths += 1);
      this.raise(
        payload.channelSubscriptionMessage(b, u, existing.tier, opts.message, months, null),
      );
      return existing;
    }
    const gifter = typeof opts.gift === 'string' ? this.ensureUser(opts.gift) : null;
    const isGift = opts.gift !== undefined;
    const sub: TwitchSub = {
      broadcasterId: b.id,
      userId: u.id,
      tier,
      isGift,
      gifterId: gifter?.id ?? null,
      cumulativeMonths: 1,
    };
    if (existing) this.subs.splice(this.subs.indexOf(existing), 1);
    this.subs.push(sub);
    if (isGift) {
      const given = gifter
        ? this.subs.filter((s) => s.broadcasterId === b.id && s.gifterId === gifter.id).length
        : null;
      this.raise(payload.channelSubscriptionGift(b, gifter, tier, 1, given));
    }
    this.raise(payload.channelSubscribe(b, u, tier, isGift));
    return sub;
  }

  /** Ends a subscription. @example `world.unsubscribe('alice', 'bob')` */
  unsubscribe(broadcaster: string, user: string): boolean {
    const [b, u] = [this.ensureUser(broadcaster), this.ensureUser(user)];
    const i = this.subs.findIndex((s) => s.broadcasterId === b.id && s.userId === u.id);
    if (i < 0) return false;
    const [sub] = this.subs.splice(i, 1) as [TwitchSub];
    this.raise(payload.channelSubscribe(b, u, sub.tier, sub.isGift, true));
    return true;
  }

  /** Cheers bits (`user` null = anonymous). @example `world.cheer('alice', 'bob', 100, 'Cheer100')` */
  cheer(broadcaster: string, user: string | null, bits: number, message = `Cheer${bits}`): void {
    const u = user === null ? null : this.ensureUser(user);
    this.raise(payload.channelCheer(this.ensureUser(broadcaster), u, bits, message));
  }

  /** Raids `to` from `from`. @example `world.raid('alice', 'bob', 25)` */
  raid(from: string, to: string, viewers: number): void {
    this.raise(payload.channelRaid(this.ensureUser(from), this.ensureUser(to), viewers));
  }

  /** Redeems a channel points reward; returns the redemption id. @example `world.redeem('alice', 'bob', { title: 'Hydrate', cost: 100 })` */
  redeem(
    broadcaster: string,
    user: string,
    reward: Partial<RewardRef> & { title: string; cost: number },
    input = '',
  ): string {
    const full: RewardRef = {
      id: reward.id ?? idForLogin(`reward:${reward.title}`),
      prompt: '',
      ...reward,
    };
    const id = randomUUID();
    const [b, u] = [this.ensureUser(broadcaster), this.ensureUser(user)];
    this.raise(payload.redemptionAdd(b, u, id, full, input, iso(this.now())));
    return id;
  }

  /** Follows a channel (no-op if already following). @example `world.follow('alice', 'bob')` */
  follow(broadcaster: string, user: string): TwitchFollow {
    const [b, u] = [this.ensureUser(broadcaster), this.ensureUser(user)];
    const known = this.follows.find((f) => f.broadcasterId === b.id && f.userId === u.id);
    if (known) return known;
    const follow: TwitchFollow = { broadcasterId: b.id, userId: u.id, followedAt: this.now() };
    this.follows.push(follow);
    this.raise(payload.channelFollow(b, u, iso(follow.followedAt)));
    return follow;
  }

  private raise(n: WorldNotification): void {
    this.emit('notification', n);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
