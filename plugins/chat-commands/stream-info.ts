import type { Logger, PluginContext } from '../../core/index.js';

/** What `{uptime}`, `{game}`, `{title}` and live-only timers need to know of a channel. */
export interface StreamInfo {
  live: boolean;
  /** Set while live. */
  startedAt?: Date;
  /** Category name; empty when none is set. */
  game: string;
  title: string;
}

type Api = PluginContext['twitch']['api'];

interface Entry {
  /** When the answer came; undefined while the request runs. */
  at: number | undefined;
  value: Promise<StreamInfo | undefined>;
}

/**
 * Stream facts per channel from Helix, cached for `ttlMs` (at most 60 s by the settings),
 * with concurrent asks for one channel sharing one request. Live: from Get Streams; offline:
 * the channel's category and title from Get Channel Information. A failed request is logged
 * and gives undefined (not cached).
 *
 * @example
 * ```ts
 * const streams = new StreamInfoCache(() => ctx.twitch.api, 60_000, ctx.log);
 * const info = await streams.get('alice'); // { live: true, startedAt, game, title }
 * ```
 */
export class StreamInfoCache {
  readonly #entries = new Map<string, Entry>();
  readonly #userIds = new Map<string, string | null>();

  constructor(
    private readonly api: () => Api,
    private readonly ttlMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Facts of `channel` no older than the cache time, or undefined if Helix failed. */
  get(channel: string): Promise<StreamInfo | undefined> {
    const cached = this.#entries.get(channel);
    if (cached && (cached.at === undefined || this.now() - cached.at < this.ttlMs))
      return cached.value;
    const entry: Entry = { at: undefined, value: Promise.resolve(undefined) };
    entry.value = this.#fetch(channel).then(
      (info) => {
        entry.at = this.now();
        return info;
      },
      (err: unknown) => {
        this.log.warn({ err, channel }, `could not read the stream of #${channel} from Helix`);
        if (this.#entries.get(channel) === entry) this.#entries.delete(channel);
        return undefined;
      },
    );
    this.#entries.set(channel, entry);
    return entry.value;
  }

  /** Forgets what is cached for a channel (or all). */
  invalidate(channel?: string): void {
    if (channel === undefined) this.#entries.clear();
    else this.#entries.delete(channel);
  }

  async #fetch(channel: string): Promise<StreamInfo> {
    const api = this.api();
    const stream = await api.streams.getStreamByUserName(channel);
    if (stream)
      return {
        live: true,
        startedAt: stream.startDate,
        game: stream.gameName,
        title: stream.title,
      };
    let id = this.#userIds.get(channel);
    if (id === undefined) {
      id = (await api.users.getUserByName(channel))?.id ?? null;
      this.#userIds.set(channel, id);
    }
    const info = id ? await api.channels.getChannelInfoById(id) : null;
    return { live: false, game: info?.gameName ?? '', title: info?.title ?? '' };
  }
}
