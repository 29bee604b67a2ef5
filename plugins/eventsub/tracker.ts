import type { Disposer, EventSubNotification, PluginContext } from '../../core/index.js';
import { busName } from './bus-events.js';
import { conditionFor, resolveEventName, type ChannelEventType } from './event-names.js';
import type { EventLog } from './event-log.js';
import { fetchStreams, lookupUsers } from './helix.js';
import { liveStatus, offlineStatus, type CachedUser, type StatusStore } from './status-store.js';
import type { StreamData, StreamerStatus, TrackedStreamer, TwitchBusEvent } from './types.js';

const LIVE_TYPES = [resolveEventName('stream.online'), resolveEventName('stream.offline')].filter(
  (e): e is ChannelEventType => e !== undefined,
);

/** Who an event is about and where it came from. */
interface Origin {
  messageId: string;
  at: string;
  version: string;
  source: 'eventsub' | 'refresh';
}

/**
 * Keeps the streamers a bot tracks: subscribes each to `stream.online`/`stream.offline` (and
 * the bot's own channels to the `events:` types), keeps their live status in storage, records
 * every event, and republishes it on the bus as `twitch:<type>`. A transition (online,
 * offline) is announced once, whether EventSub or a Helix refresh noticed it first.
 *
 * @example
 * ```ts
 * const tracker = new StreamTracker(ctx, channelEvents, store, events);
 * await tracker.add(user, 'config', true);
 * await tracker.announceOnline(user, stream, origin);
 * ```
 */
export class StreamTracker {
  readonly #subs = new Map<string, Disposer[]>();
  readonly tracked = new Map<string, TrackedStreamer>();

  constructor(
    private readonly ctx: PluginContext,
    private readonly channelEvents: readonly ChannelEventType[],
    readonly store: StatusStore,
    readonly events: EventLog,
  ) {}

  /** Starts tracking a user; `channel`: one of the bot's channels (gets the `events:` types). */
  add(user: CachedUser, source: TrackedStreamer['source'], channel: boolean): TrackedStreamer {
    const known = this.tracked.get(user.login);
    if (known) return known;
    const streamer: TrackedStreamer = {
      login: user.login,
      user_id: user.id,
      display_name: user.display_name,
      source,
      added_at: new Date().toISOString(),
    };
    this.tracked.set(user.login, streamer);
    const types = new Map<string, ChannelEventType>();
    for (const e of [...LIVE_TYPES, ...(channel ? this.channelEvents : [])]) types.set(e.type, e);
    const disposers = [...types.values()].map((e) =>
      this.ctx.twitch.eventsub.on(e.type, conditionFor(e, user.id), (n) => this.#onEvent(user, n)),
    );
    this.#subs.set(user.login, disposers);
    return streamer;
  }

  /** Stops tracking (unsubscribes; the last one out deletes the Twitch subscription). */
  async remove(login: string): Promise<void> {
    for (const dispose of this.#subs.get(login) ?? []) await dispose();
    this.#subs.delete(login);
    this.tracked.delete(login);
  }

  /** Users by login: from the cache, else Helix (and cached). */
  async resolve(logins: readonly string[]): Promise<CachedUser[]> {
    const found: CachedUser[] = [];
    const missing: string[] = [];
    for (const login of logins) {
      const cached = await this.store.user(login);
      if (cached) found.push(cached);
      else missing.push(login);
    }
    if (missing.length === 0) return found;
    for (const user of await lookupUsers(this.ctx.twitch.api, missing)) {
      await this.store.setUser(user);
      found.push(user);
    }
    return found;
  }

  /** The live streams of these users now (Helix). */
  streams(userIds: readonly string[]): Promise<Map<string, StreamData>> {
    return fetchStreams(this.ctx.twitch.api, userIds);
  }

  async #onEvent(user: CachedUser, n: EventSubNotification): Promise<void> {
    const origin: Origin = {
      messageId: n.id,
      at: n.at.toISOString(),
      version: n.version,
      source: 'eventsub',
    };
    if (n.type === 'stream.online') {
      const streamId = typeof n.event.id === 'string' ? n.event.id : n.id;
      const helix = await this.streams([user.id]).catch(() => undefined);
      const current = helix?.get(user.id);
      const stream = current?.stream_id === streamId ? current : fromOnlineEvent(streamId, n.event);
      await this.announceOnline(user, stream, origin, n.event);
      return;
    }
    if (n.type === 'stream.offline') {
      await this.announceOffline(user, origin, n.event);
      return;
    }
    this.#record(user, n.type, origin, n.event);
    if (n.type === 'channel.update') await this.#applyUpdate(user, n.event);
    await this.#publish(user, n.type, origin, n.event);
  }

  /** Marks a stream live and announces it, unless this stream was announced already. */
  async announceOnline(
    user: CachedUser,
    stream: StreamData,
    origin: Origin,
    event: Record<string, unknown> = onlineEvent(user, stream),
  ): Promise<boolean> {
    this.#record(user, 'stream.online', origin, event);
    const first = await this.store.claimTransition('online', stream.stream_id);
    await this.store.setStatus(liveStatus(user, stream, 'stream.online'));
    if (first) await this.#publish(user, 'stream.online', origin, event, stream);
    return first;
  }

  /** Marks a streamer offline and announces it once per stream. */
  async announceOffline(
    user: CachedUser,
    origin: Origin,
    event: Record<string, unknown> = broadcasterFields(user),
    previous?: StreamerStatus,
  ): Promise<boolean> {
    this.#record(user, 'stream.offline', origin, event);
    const prev = previous ?? (await this.store.status(user.login));
    const first = await this.store.claimTransition(
      'offline',
      prev?.stream_data?.stream_id ?? `message:${origin.messageId}`,
    );
    await this.store.setStatus(offlineStatus(user, prev, 'stream.offline'));
    if (first) await this.#publish(user, 'stream.offline', origin, event);
    return first;
  }

  async #applyUpdate(user: CachedUser, event: Record<string, unknown>): Promise<void> {
    const prev = await this.store.status(user.login);
    if (!prev?.stream_data) return;
    const data: StreamData = {
      ...prev.stream_data,
      title: String(event.title ?? prev.stream_data.title),
      game_id: String(event.category_id ?? prev.stream_data.game_id),
      game_name: String(event.category_name ?? prev.stream_data.game_name),
    };
    await this.store.setStatus({
      ...prev,
      stream_data: data,
      last_event_type: 'channel.update',
      last_updated: new Date().toISOString(),
    });
  }

  #record(user: CachedUser, type: string, o: Origin, event: Record<string, unknown>): void {
    this.events.add({
      id: o.messageId,
      type,
      broadcaster_user_id: user.id,
      broadcaster_user_login: user.login,
      broadcaster_user_name: user.display_name,
      timestamp: o.at,
      source: o.source,
      event,
    });
  }

  async #publish(
    user: CachedUser,
    type: string,
    o: Origin,
    event: Record<string, unknown>,
    stream?: StreamData,
  ): Promise<void> {
    const payload: TwitchBusEvent = {
      bot: this.ctx.bot.name,
      channel: user.login,
      type,
      version: o.version,
      messageId: o.messageId,
      at: o.at,
      source: o.source,
      event,
      ...(stream ? { stream } : {}),
    };
    this.ctx.log.info({ channel: user.login, type, source: o.source }, `${type}: ${user.login}`);
    await this.ctx.events.emit(busName(type), payload as never);
  }
}

function broadcasterFields(user: CachedUser): Record<string, string> {
  return {
    broadcaster_user_id: user.id,
    broadcaster_user_login: user.login,
    broadcaster_user_name: user.display_name,
  };
}

/** A `stream.online` event built from Helix data (for changes noticed by polling). */
function onlineEvent(user: CachedUser, stream: StreamData): Record<string, unknown> {
  return {
    id: stream.stream_id,
    ...broadcasterFields(user),
    type: stream.type || 'live',
    started_at: stream.started_at,
  };
}

function fromOnlineEvent(streamId: string, event: Record<string, unknown>): StreamData {
  return {
    stream_id: streamId,
    viewer_count: 0,
    game_id: '',
    game_name: '',
    title: '',
    started_at: String(event.started_at ?? new Date().toISOString()),
    type: String(event.type ?? 'live'),
  };
}
