/** What a live stream looks like in a streamer's status (the seed service's `stream_data`). */
export interface StreamData {
  stream_id: string;
  viewer_count: number;
  game_id: string;
  game_name: string;
  title: string;
  /** ISO 8601. */
  started_at: string;
  type: string;
}

/**
 * The live status of one streamer, as `GET /api/streamers/:login/status` answers it.
 *
 * @example
 * ```json
 * { "user_id": "12345", "username": "shroud", "display_name": "shroud", "is_live": true,
 *   "stream_data": { "viewer_count": 25000, "game_name": "VALORANT", "title": "Ranked" },
 *   "last_updated": "2024-01-15T11:45:23.123Z", "last_event_type": "stream.online", "source": "storage" }
 * ```
 */
export interface StreamerStatus {
  user_id: string;
  username: string;
  display_name: string;
  is_live: boolean;
  /** The current (or last known) stream; null when never seen live. */
  stream_data: StreamData | null;
  last_updated: string;
  last_event_type: string | null;
  /** Where this answer came from: our storage, or Twitch's API just now. */
  source: 'storage' | 'twitch_api';
}

/** A streamer whose status is kept up to date. */
export interface TrackedStreamer {
  login: string;
  user_id: string;
  display_name: string;
  /** `config`: a channel of the bot or `streamers:` in bots.yaml; `api`: added with POST. */
  source: 'config' | 'api';
  added_at: string;
}

/** One event in the bot's recent history (`GET /api/events`). */
export interface StoredEvent {
  /** The Twitch message id, or `refresh:<...>` for a change noticed by polling Helix. */
  id: string;
  type: string;
  broadcaster_user_id: string;
  broadcaster_user_login: string;
  broadcaster_user_name: string;
  timestamp: string;
  source: 'eventsub' | 'refresh';
  event: Record<string, unknown>;
}

/** What a refresh from Helix did. */
export interface RefreshReport {
  checked: number;
  live: number;
  wentOnline: string[];
  wentOffline: string[];
}

/** How `POST /api/streamers/:login` went. */
export type TrackResult =
  | { outcome: 'tracking'; streamer: TrackedStreamer; created: boolean }
  | { outcome: 'unknown_user' };

/**
 * The stream status service of one bot, as the `/api` router uses it. The eventsub cog
 * publishes one per bot on the bus (`eventsub:api.ready`).
 *
 * @example
 * ```ts
 * runtime.bus.on('eventsub:api.ready', ({ bot, api }) => apis.set(bot, api));
 * const live = await apis.get('alice')?.live();
 * ```
 */
export interface StreamStatusApi {
  readonly bot: string;
  streamers(): Promise<TrackedStreamer[]>;
  track(login: string): Promise<TrackResult>;
  untrack(login: string): Promise<'removed' | 'not_tracked' | 'configured'>;
  /** From storage; an unknown streamer is fetched from Helix and cached; undefined: no such user. */
  status(login: string): Promise<StreamerStatus | undefined>;
  live(): Promise<StreamerStatus[]>;
  /** Newest first. */
  events(limit: number): Promise<StoredEvent[]>;
  /** Polls Helix now (also done every `refresh_seconds`). */
  refresh(): Promise<RefreshReport>;
}

/** The payload of every `twitch:<type>` bus event. */
export interface TwitchBusEvent<E = Record<string, unknown>> {
  /** The bot whose eventsub cog republished it. */
  bot: string;
  /** The broadcaster login the event is about. */
  channel: string;
  type: string;
  version: string;
  /** Twitch message id (`refresh:...` when noticed by polling Helix). */
  messageId: string;
  /** ISO 8601, when Twitch sent it. */
  at: string;
  source: 'eventsub' | 'refresh';
  /** The `event` object as Twitch sent it. */
  event: E;
  /** For `stream.online`: the stream from Helix (title, game, viewers), when available. */
  stream?: StreamData;
}
