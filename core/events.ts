import type { Disposer } from './disposer.js';

/**
 * The events on the bus, by name (`source:entity.action`). Cogs add theirs by
 * declaration merging:
 *
 * @example
 * ```ts
 * declare module 'streamcogs' {
 *   interface EventMap {
 *     'go-live:post.sent': { streamer: string; target: string };
 *   }
 * }
 * ```
 */
export interface EventMap {
  /** A handler of a cog threw; the cog keeps running. */
  'core:handler.error': { bot: string; cog: string; label: string; error: string };
  /** A cog finished its setup. */
  'core:cog.started': { bot: string; cog: string };
  /** A cog was torn down. */
  'core:cog.stopped': { bot: string; cog: string };
  /** A cog's setup threw and was rolled back. */
  'core:cog.failed': { bot: string; cog: string; error: string };
}

/**
 * Any event name known to the bus.
 *
 * @example
 * ```ts
 * const name: EventName = 'core:cog.started';
 * ```
 */
export type EventName = keyof EventMap & string;

/**
 * A handler for one event.
 *
 * @example
 * ```ts
 * const onFailed: EventHandler<'core:cog.failed'> = (e) => alert(`${e.bot}/${e.cog}: ${e.error}`);
 * ```
 */
export type EventHandler<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

/**
 * A small typed, async event bus. `emit` calls every handler and waits for them;
 * a handler that throws is reported through `onError` and never stops the others.
 *
 * @example
 * ```ts
 * const bus = new EventBus();
 * const off = bus.on('core:cog.started', ({ bot, cog }) => console.log(bot, cog));
 * await bus.emit('core:cog.started', { bot: 'alice', cog: 'echo_console' });
 * off();
 * ```
 */
export class EventBus {
  readonly #handlers = new Map<string, Set<(payload: unknown) => unknown>>();
  readonly #onError: (name: string, err: unknown) => void;

  constructor(onError: (name: string, err: unknown) => void = () => {}) {
    this.#onError = onError;
  }

  /** Registers a handler; returns its disposer. */
  on<K extends EventName>(name: K, handler: EventHandler<K>): Disposer {
    let set = this.#handlers.get(name);
    if (!set) this.#handlers.set(name, (set = new Set()));
    const h = handler as (payload: unknown) => unknown;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  /** Calls every handler of `name` and waits for all of them. */
  async emit<K extends EventName>(name: K, payload: EventMap[K]): Promise<void> {
    const set = this.#handlers.get(name);
    if (!set || set.size === 0) return;
    await Promise.all(
      [...set].map(async (h) => {
        try {
          await h(payload);
        } catch (err) {
          this.#onError(name, err);
        }
      }),
    );
  }

  /** Number of handlers for one event (for tests and diagnostics). */
  listenerCount(name: EventName): number {
    return this.#handlers.get(name)?.size ?? 0;
  }
}
