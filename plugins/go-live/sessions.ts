import type { Store } from '../../core/index.js';
import type { StreamView } from './render.js';

/**
 * One stream session of a streamer: one post per target, whatever flapping happens. Its id
 * is the Twitch stream id that opened it; streams that start again within the debounce
 * window after going offline join it (`streamIds`).
 *
 * @example
 * ```ts
 * if (session.state === 'ending' && startedAt - session.offlineAt! < debounceMs) rejoin(session);
 * ```
 */
export interface Session extends StreamView {
  /** The Twitch stream id that opened the session. */
  id: string;
  /** Broadcaster user id. */
  bid: string;
  streamIds: string[];
  gameId: string;
  /** `live`, `rerun`, `premiere`, ... */
  type: string;
  /** Twitch's event time (ms): go-live latency is measured from it. */
  eventAt: number;
  /** When the newest of `streamIds` started (ms): an offline sent before it is stale. */
  lastStartAt?: number;
  state: 'live' | 'ending' | 'ended';
  /** When it went offline (ms), while `ending`. */
  offlineAt?: number;
  endedAt?: number;
  /** Webhook ids the session was posted to (decided once, at the fan-out). */
  targets?: string[];
  /** Why targets were skipped (webhook id -> reason), for `/live list` and the logs. */
  skipped?: Record<string, string>;
  /** When the posts were last edited for a title or game change (ms). */
  lastEditAt?: number;
  vodUrl?: string;
}

const KEEP_MS = 30 * 86_400_000;

/**
 * Sessions in the cog's storage (`sess:<id>`, and `current:<broadcaster id>` pointing at
 * the newest), with per-streamer serialisation in this process.
 *
 * @example
 * ```ts
 * const sessions = new SessionStore(ctx.storage.namespace('sessions'));
 * await sessions.exclusive(bid, async () => {
 *   const current = await sessions.current(bid);
 *   ...
 * });
 * ```
 */
export class SessionStore {
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #cache = new Map<string, Session>();

  constructor(private readonly store: Store) {}

  /** A session by id; `fresh` skips the cache (another process may have changed it). */
  async get(id: string, fresh = false): Promise<Session | undefined> {
    const cached = fresh ? undefined : this.#cache.get(id);
    if (cached) return cached;
    const s = await this.store.get<Session>(`sess:${id}`);
    if (s) this.#remember(s);
    return s;
  }

  /** The streamer's newest session. */
  async current(bid: string): Promise<Session | undefined> {
    const id = await this.store.get<string>(`current:${bid}`);
    return id ? this.get(id, true) : undefined;
  }

  /** Saves a session and makes it the streamer's current one. */
  async save(session: Session): Promise<void> {
    await this.store.set(`sess:${session.id}`, session, KEEP_MS);
    await this.store.set(`current:${session.bid}`, session.id, KEEP_MS);
    this.#remember(session);
  }

  /**
   * Records the newest offline of a streamer (ms). Events may be handled out of order: an
   * offline handled before the online of its stream is remembered and applied then.
   */
  async noteOffline(bid: string, at: number): Promise<void> {
    if (at > (await this.lastOffline(bid))) await this.store.set(`offline:${bid}`, at, KEEP_MS);
  }

  /** The newest offline of a streamer (ms), 0 when none was seen. */
  async lastOffline(bid: string): Promise<number> {
    return (await this.store.get<number>(`offline:${bid}`)) ?? 0;
  }

  /** Runs `fn` after every earlier `exclusive` call for the same streamer finished. */
  exclusive<T>(bid: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(bid) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => {});
    this.#locks.set(bid, tail);
    void tail.then(() => {
      if (this.#locks.get(bid) === tail) this.#locks.delete(bid);
    });
    return next;
  }

  #remember(s: Session): void {
    this.#cache.delete(s.id);
    this.#cache.set(s.id, s);
    if (this.#cache.size > 500) this.#cache.delete(this.#cache.keys().next().value as string);
  }
}
