import type { EventSubNotification } from '../../../core/index.js';
import { subscriptionKey, type SubscriptionSpec } from './keys.js';

/** A guarded handler of one cog. */
export type NotificationHandler = (notification: EventSubNotification) => Promise<void>;

/**
 * Everyone who wants one subscription (one type + version + condition). Kept small: a process
 * may hold tens of thousands (plain arrays, no per-handler wrapper, Map or Set of its own).
 */
export interface Wanted {
  key: string;
  spec: SubscriptionSpec;
  /** The handlers, one slot per `add` (the same function added twice is there twice). */
  handlers: NotificationHandler[];
  /** The client id of the Twitch app each handler was added for, slot for slot. */
  apps: string[];
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
      // Array literals of one: no spare capacity (an empty array's first push reserves 17);
      // twurpleId declared now, so setting it later needs no out-of-object property store.
      wanted = { key, spec, handlers: [handler], apps: [clientId], twurpleId: undefined };
      this.#byKey.set(key, wanted);
    } else {
      wanted.handlers.push(handler);
      wanted.apps.push(clientId);
    }
    const w = wanted;
    let removed = false;
    return {
      wanted: w,
      first,
      remove: () => {
        if (removed) return false;
        removed = true;
        // Any slot holding the same handler for the same app is this one's equal.
        const i = w.handlers.findIndex((h, at) => h === handler && w.apps[at] === clientId);
        w.handlers.splice(i, 1);
        w.apps.splice(i, 1);
        if (w.handlers.length > 0) return false;
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
