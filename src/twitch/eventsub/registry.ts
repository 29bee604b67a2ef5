import type { EventSubNotification } from '../../../core/index.js';
import { subscriptionKey, type SubscriptionSpec } from './keys.js';

/** A guarded handler of one cog. */
export type NotificationHandler = (notification: EventSubNotification) => Promise<void>;

/** Everyone who wants one subscription (one type + version + condition). */
export interface Wanted {
  key: string;
  spec: SubscriptionSpec;
  handlers: Set<NotificationHandler>;
  /** Client ids of the Twitch apps whose bots asked, with how many handlers each. */
  apps: Map<string, number>;
  /** Twurple's routing id, while routed. */
  twurpleId?: string;
}

/** What {@link SubscriptionRegistry.add} reports. */
export interface Added {
  wanted: Wanted;
  /** True when this handler is the first for its key (a Twitch subscription is needed). */
  first: boolean;
  /** Removes the handler; true when it was the last one for its key. */
  remove(): boolean;
}

/**
 * The subscriptions cogs want, refcounted: two handlers on the same type and condition share
 * one entry (and one Twitch subscription); the entry goes when its last handler does.
 *
 * @example
 * ```ts
 * const registry = new SubscriptionRegistry();
 * const a = registry.add(spec, 'client-id', handlerA); // a.first === true
 * const b = registry.add(spec, 'client-id', handlerB); // b.first === false
 * a.remove(); // false: b still wants it
 * b.remove(); // true: nobody does any more
 * ```
 */
export class SubscriptionRegistry {
  readonly #byKey = new Map<string, Wanted>();
  readonly #byRoute = new Map<string, Wanted>();

  /** Adds a handler for `spec` on behalf of the app `clientId`. */
  add(spec: SubscriptionSpec, clientId: string, handler: NotificationHandler): Added {
    const key = subscriptionKey(spec);
    let wanted = this.#byKey.get(key);
    const first = !wanted;
    if (!wanted) {
      wanted = { key, spec, handlers: new Set(), apps: new Map() };
      this.#byKey.set(key, wanted);
    }
    const w = wanted;
    // The same function twice still counts twice: wrap it so each add is its own entry.
    const entry: NotificationHandler = (n) => handler(n);
    w.handlers.add(entry);
    w.apps.set(clientId, (w.apps.get(clientId) ?? 0) + 1);
    let removed = false;
    return {
      wanted: w,
      first,
      remove: () => {
        if (removed) return false;
        removed = true;
        w.handlers.delete(entry);
        const left = (w.apps.get(clientId) ?? 1) - 1;
        if (left > 0) w.apps.set(clientId, left);
        else w.apps.delete(clientId);
        if (w.handlers.size > 0) return false;
        this.#byKey.delete(key);
        if (w.twurpleId && this.#byRoute.get(w.twurpleId) === w) this.#byRoute.delete(w.twurpleId);
        return true;
      },
    };
  }

  /** Records the twurple routing id of a key (or clears it). */
  setRoute(wanted: Wanted, twurpleId: string | undefined): void {
    if (wanted.twurpleId) this.#byRoute.delete(wanted.twurpleId);
    wanted.twurpleId = twurpleId;
    if (twurpleId) this.#byRoute.set(twurpleId, wanted);
  }

  get(key: string): Wanted | undefined {
    return this.#byKey.get(key);
  }

  /** The entry routed as `twurpleId` (the last segment of a callback URL). */
  byRoute(twurpleId: string): Wanted | undefined {
    return this.#byRoute.get(twurpleId);
  }

  /** Every wanted subscription. */
  all(): Wanted[] {
    return [...this.#byKey.values()];
  }

  get size(): number {
    return this.#byKey.size;
  }
}
