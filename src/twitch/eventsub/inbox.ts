import { KeyvInbox } from './inbox-keyv.js';
import { SqliteInbox } from './inbox-sqlite.js';
import type { InboxBackend, InboxOptions, InboxVerdict } from './inbox-types.js';
import type { IngressNotification } from './ingress-types.js';

export type { InboxOptions, InboxVerdict } from './inbox-types.js';

/**
 * The EventSub ingress's durable inbox: one entry per notification, deduplicated by message
 * id or, for `stream.online`, by stream id. {@link EventSubInbox.accept} resolves once the
 * notification is in storage; the 2xx goes out after that. It is dispatched at once in this
 * process; when the process dies first, it is run after a restart, or by another instance on
 * the same Redis once its lease lapsed.
 *
 * Two backends: on a SQLite file (`sql` given) a table of its own, where accepting is one
 * group-committed insert (`inbox-sqlite.ts`); elsewhere (Redis) a `DurableQueue` in keyv rows
 * (`inbox-keyv.ts`).
 *
 * A dispatch that throws is logged and not retried: the handlers of every cog on that
 * subscription run together, and retrying would repeat the ones that succeeded. Cogs whose
 * work must not be lost keep their own durable queues (go-live, sub-roles). A dispatch cut
 * short by a crash is run again in full: handlers see a notification at least once then,
 * identified by the same message id.
 *
 * @example
 * ```ts
 * const inbox = new EventSubInbox({ ...options, store: storage.core('eventsub-inbox'), sql: storage.sql });
 * await inbox.start();
 * if ((await inbox.accept(notification)) === 'accepted') reply(202);
 * await inbox.stop();
 * ```
 */
export class EventSubInbox {
  readonly #backend: InboxBackend;

  constructor(options: InboxOptions) {
    this.#backend = options.sql ? new SqliteInbox(options, options.sql) : new KeyvInbox(options);
  }

  /** Notifications this instance holds and that are not handled yet (anywhere). */
  get pending(): number {
    return this.#backend.pending;
  }

  /** Loads the notifications left unhandled (a crash, another instance) and runs them. */
  start(): Promise<void> {
    return this.#backend.start();
  }

  /** Stores `n` durably unless it was seen before; the 2xx may go out once this resolves. */
  accept(n: IngressNotification): Promise<InboxVerdict> {
    return this.#backend.accept(n);
  }

  /** Resolves once nothing is being dispatched here (or after `timeoutMs`). */
  async idle(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#backend.idle(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref())),
    ]);
    clearTimeout(timer);
  }

  /**
   * Stops dispatching: waits up to `drainMs` for running dispatches; what is left stays in
   * storage for the next start (or another instance).
   */
  stop(drainMs = 10_000): Promise<void> {
    return this.#backend.stop(drainMs);
  }
}
