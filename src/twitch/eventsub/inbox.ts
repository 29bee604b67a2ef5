import { DurableQueue, RetryJobLater, type Logger, type Store } from '../../../core/index.js';
import type { IngressNotification } from './ingress-types.js';
import type { EventSubMetrics } from './metrics.js';

/** A notification as the inbox stores it (JSON: the time in ms since the epoch). */
interface StoredNotification extends Omit<IngressNotification, 'at'> {
  at: number;
}

/**
 * What {@link EventSubInbox.accept} did with a notification: queued it durably, or found
 * its message id (`duplicate`) or its `stream.online` stream id (`duplicate_stream`) seen.
 *
 * @example
 * ```ts
 * if ((await inbox.accept(n)) === 'accepted') metrics.requests.inc({ outcome: 'notification' });
 * ```
 */
export type InboxVerdict = 'accepted' | 'duplicate' | 'duplicate_stream';

/**
 * Options of {@link EventSubInbox}.
 *
 * @example
 * ```ts
 * const options: InboxOptions = { store, log, metrics, dispatch, dedupeTtlMs: 660_000,
 *   streamDedupeTtlMs: 43_200_000, retentionMs: 3_600_000, leaseMs: 60_000, concurrency: 64 };
 * ```
 */
export interface InboxOptions {
  /** The inbox's own namespace (`core:eventsub-inbox`), shared by every instance. */
  store: Store;
  log: Logger;
  metrics: EventSubMetrics;
  /** Runs the cogs' handlers; throwing {@link RetryJobLater} runs it again later. */
  dispatch(notification: IngressNotification): Promise<void>;
  /** How long a message id is remembered. */
  dedupeTtlMs: number;
  /** How long a `stream.online` stream id is remembered. */
  streamDedupeTtlMs: number;
  /** How long an accepted notification may wait for a live instance before it is dropped. */
  retentionMs: number;
  /** How long a dispatch holds its notification before another instance may take it over. */
  leaseMs: number;
  /** Dispatches at once in this process. */
  concurrency: number;
}

/**
 * The EventSub ingress's durable inbox: a {@link DurableQueue} (`eventsub-inbox`) with one
 * job per notification. {@link EventSubInbox.accept} resolves once the notification is in
 * storage, deduplicated by message id (the queue's idempotency key `msg:<id>`, one claim)
 * or, for `stream.online`, by stream id (`stream:<id>`); the 2xx goes out after that. The
 * queue dispatches it at once in this process; when the process dies first, the job is run
 * after a restart, or by another instance on the same Redis once its lease lapsed.
 *
 * A dispatch that throws is logged and not retried: the handlers of every cog on that
 * subscription run together, and retrying would repeat the ones that succeeded. Cogs whose
 * work must not be lost keep their own durable queues (go-live, sub-roles). A dispatch cut
 * short by a crash is run again in full: handlers see a notification at least once then,
 * identified by the same message id.
 *
 * @example
 * ```ts
 * const inbox = new EventSubInbox({ ...options, store: storage.core('eventsub-inbox') });
 * await inbox.start();
 * if ((await inbox.accept(notification)) === 'accepted') reply(202);
 * await inbox.stop();
 * ```
 */
export class EventSubInbox {
  readonly #queue: DurableQueue<{ notify: StoredNotification }>;
  readonly #mine = new Set<string>();
  readonly #o: InboxOptions;

  constructor(options: InboxOptions) {
    this.#o = options;
    this.#queue = new DurableQueue<{ notify: StoredNotification }>({
      store: options.store,
      name: 'eventsub-inbox',
      log: options.log,
      concurrency: options.concurrency,
      leaseMs: options.leaseMs,
      retentionMs: options.retentionMs,
      handlers: { notify: (job) => this.#run(job.payload) },
      onSettled: (spec) => this.#settled(spec.key),
    });
  }

  /** Notifications this instance accepted and that are not handled yet (anywhere). */
  get pending(): number {
    return this.#mine.size;
  }

  /** Loads the notifications left unhandled (a crash, another instance) and runs them. */
  start(): Promise<void> {
    return this.#queue.start();
  }

  /** Queues `n` durably unless it was seen before; the 2xx may go out once this resolves. */
  async accept(n: IngressNotification): Promise<InboxVerdict> {
    const key = `msg:${n.messageId}`;
    const spec = { key, type: 'notify' as const, payload: { ...n, at: n.at.getTime() } };
    const streamId = n.type === 'stream.online' ? n.event.id : undefined;
    if (typeof streamId !== 'string' || !streamId) {
      const { created } = await this.#queue.enqueueMany([spec], {
        key,
        keyTtlMs: this.#o.dedupeTtlMs,
      });
      return created ? this.#accepted(key) : 'duplicate';
    }
    // Twitch has sent one stream.online twice under two message ids: the stream id is the
    // key. The message id is claimed too (after: a crash in between loses nothing), only to
    // tell a re-sent message from a second message for the same stream.
    const { created } = await this.#queue.enqueueMany([spec], {
      key: `stream:${streamId}`,
      keyTtlMs: this.#o.streamDedupeTtlMs,
    });
    const firstOfItsId = await this.#o.store.claim(key, this.#o.dedupeTtlMs);
    if (created) return this.#accepted(key);
    return firstOfItsId ? 'duplicate_stream' : 'duplicate';
  }

  /** Resolves once nothing is being dispatched here (or after `timeoutMs`). */
  async idle(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#queue.idle(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref())),
    ]);
    clearTimeout(timer);
  }

  /**
   * Stops dispatching: waits up to `drainMs` for running dispatches; what is left stays in
   * storage for the next start (or another instance).
   */
  async stop(drainMs = 10_000): Promise<void> {
    await this.#queue.stop(drainMs);
    this.#mine.clear();
    this.#o.metrics.pending.set(0);
  }

  #accepted(key: string): InboxVerdict {
    this.#mine.add(key);
    this.#o.metrics.pending.set(this.#mine.size);
    return 'accepted';
  }

  #settled(key: string): void {
    if (this.#mine.delete(key)) this.#o.metrics.pending.set(this.#mine.size);
  }

  async #run(stored: StoredNotification): Promise<void> {
    const n: IngressNotification = { ...stored, at: new Date(stored.at) };
    try {
      await this.#o.dispatch(n);
    } catch (err) {
      if (err instanceof RetryJobLater) throw err;
      this.#o.log.error(
        { err, messageId: n.messageId, type: n.type },
        'eventsub: handling a notification failed',
      );
    }
  }
}
