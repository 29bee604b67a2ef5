import type { Disposer } from '../../core/index.js';
import type { GoLiveDeps } from './deps.js';

/** `stream.online` as Twitch sends it. */
interface OnlineEvent {
  id: string;
  broadcaster_user_id: string;
  broadcaster_user_login: string;
  type?: string;
  started_at: string;
}
/** `stream.offline` / `channel.update` fields go-live reads. */
interface ChannelEvent {
  broadcaster_user_id: string;
  broadcaster_user_login: string;
  title?: string;
  category_name?: string;
  category_id?: string;
}

function text(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Turns Twitch's events into durable jobs: EventSub subscriptions per tracked streamer
 * (`stream.online`, `stream.offline`, `channel.update` when edits are wanted), the
 * eventsub cog's bus events (changes its Helix refresh noticed), and a catch-up at start
 * for streams that began or ended while the bot was down. Each becomes a job with an
 * idempotency key, so every path may deliver the same thing.
 *
 * @example
 * ```ts
 * const ingest = new Ingest(deps);
 * await ingest.sync();     // subscribe every tracked streamer
 * await ingest.catchUp();
 * ```
 */
export class Ingest {
  readonly #subs = new Map<string, Disposer[]>();
  #warned = false;

  constructor(private readonly deps: GoLiveDeps) {}

  /** Subscribes streamers that gained targets and drops those that lost all. */
  async sync(): Promise<void> {
    const logins = new Set(await this.deps.targets.logins());
    for (const [login, disposers] of this.#subs)
      if (!logins.has(login)) {
        this.#subs.delete(login);
        for (const d of disposers) await d();
      }
    const missing = [...logins].filter((l) => !this.#subs.has(l));
    if (missing.length === 0) return;
    const users = await this.deps.twitch.users(missing);
    const unknown = missing.filter((l) => !users.some((u) => u.login === l));
    if (unknown.length > 0)
      this.deps.ctx.log.warn({ unknown }, 'go-live: no such Twitch user(s); check the logins');
    for (const u of users) this.#subscribe(u.login, u.id, await this.#wantsUpdates(u.login));
  }

  /** Whether a login is tracked (for bus events). */
  tracks(login: string): boolean {
    return this.#subs.has(login.toLowerCase());
  }

  online(e: OnlineEvent, at: Date | string): Promise<unknown> {
    const eventAt = Date.parse(e.started_at) || new Date(at).getTime();
    return this.deps.queue.enqueue({
      key: `online:${e.id}`,
      type: 'online',
      payload: {
        bid: e.broadcaster_user_id,
        login: e.broadcaster_user_login.toLowerCase(),
        streamId: e.id,
        startedAt: e.started_at,
        type: e.type ?? 'live',
        eventAt,
      },
    });
  }

  offline(e: ChannelEvent, at: Date | string, messageId: string): Promise<unknown> {
    return this.deps.queue.enqueue({
      key: `offline:${e.broadcaster_user_id}:${messageId}`,
      type: 'offline',
      payload: {
        bid: e.broadcaster_user_id,
        login: e.broadcaster_user_login.toLowerCase(),
        at: new Date(at).getTime(),
      },
    });
  }

  update(e: ChannelEvent, messageId: string): Promise<unknown> {
    return this.deps.queue.enqueue({
      key: `update:${messageId}`,
      type: 'update',
      payload: {
        bid: e.broadcaster_user_id,
        login: e.broadcaster_user_login.toLowerCase(),
        title: e.title ?? '',
        game: e.category_name ?? '',
        gameId: e.category_id ?? '',
      },
    });
  }

  /** Streams that started or ended while the bot was down become jobs now. */
  async catchUp(): Promise<{ online: number; offline: number }> {
    const ids = [...this.#subs.keys()]
      .map((l) => this.deps.twitch.cached(l)?.id)
      .filter((id): id is string => !!id);
    const live = await this.deps.twitch.streams(ids);
    let online = 0;
    let offline = 0;
    for (const s of live) {
      const current = await this.deps.sessions.current(s.userId);
      if (current?.streamIds.includes(s.id)) continue;
      online++;
      const e = { ...s, broadcaster_user_id: s.userId, broadcaster_user_login: s.login };
      await this.online({ ...e, started_at: s.startedAt }, s.startedAt);
    }
    const liveIds = new Set(live.map((s) => s.userId));
    for (const id of ids) {
      if (liveIds.has(id)) continue;
      const current = await this.deps.sessions.current(id);
      if (current?.state !== 'live') continue;
      offline++;
      const e = { broadcaster_user_id: id, broadcaster_user_login: current.login };
      await this.offline(e, new Date(), `catch-up:${current.id}`);
    }
    return { online, offline };
  }

  async #wantsUpdates(login: string): Promise<boolean> {
    return this.deps.settings.edit_on_change === true || this.deps.targets.editsOnChange(login);
  }

  #subscribe(login: string, id: string, updates: boolean): void {
    const es = this.deps.ctx.twitch.eventsub;
    const condition = { broadcaster_user_id: id };
    const disposers: Disposer[] = [];
    try {
      disposers.push(
        es.on<OnlineEvent>('stream.online', condition, (n) => this.online(n.event, n.at)),
        es.on<ChannelEvent>('stream.offline', condition, (n) => this.offline(n.event, n.at, n.id)),
      );
      if (updates)
        disposers.push(
          es.on<ChannelEvent>('channel.update', condition, (n) => this.update(n.event, n.id)),
        );
    } catch (err) {
      if (!this.#warned)
        this.deps.ctx.log.error(
          { err: text(err) },
          `go-live: cannot subscribe to Twitch EventSub (${text(err)}); posts will only follow the eventsub cog's refreshes and the catch-up at start`,
        );
      this.#warned = true;
    }
    this.#subs.set(login, disposers);
  }
}
