import { DurableQueue, RetryJobLater } from '../../../core/index.js';
import type {
  InboxBackend,
  InboxOptions,
  InboxVerdict,
  StoredNotification,
} from './inbox-types.js';
import type { IngressNotification } from './ingress-types.js';

/**
 * The EventSub inbox in keyv rows (Redis, or a `Store` without a SQLite connection): a
 * {@link DurableQueue} (`eventsub-inbox`) with one job per notification, deduplicated by its
 * idempotency key (`msg:<id>`, one claim) or, for `stream.online`, by stream id
 * (`stream:<id>`, the message id claimed beside it). The queue dispatches it at once in this
 * process; when the process dies first, the job is run after a restart, or by another
 * instance on the same Redis once its lease lapsed.
 *
 * @example
 * ```ts
 * const inbox = new KeyvInbox({ ...options, store: storage.core('eventsub-inbox') });
 * await inbox.start();
 * if ((await inbox.accept(n)) === 'accepted') reply(202);
 * await inbox.stop(10_000);
 * ```
 */
export class KeyvInbox implements InboxBackend {
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
      pollMs: options.pollMs,
      handlers: { notify: (job) => this.#run(job.payload) },
      onSettled: (spec) => this.#settled(spec.key),
    });
  }

  get pending(): number {
    return this.#mine.size;
  }

  start(): Promise<void> {
    return this.#queue.start();
  }

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

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async stop(drainMs: number): Promise<void> {
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
