import type { Logger, Store } from '../../../core/index.js';
import type { SubscriptionState } from './reconcile-types.js';
import type { SubscriptionRegistry } from './registry.js';

/** A subscription's state as kept in storage (`core:eventsub`, key `sub:<key>`). */
export interface StoredSubscription extends SubscriptionState {
  type: string;
  version: string;
  condition: Record<string, string>;
  updatedAt: string;
  /** The last revocation Twitch sent for it, kept across re-creations. */
  lastRevocation?: { status: string; at: string };
}

/**
 * Writes each subscription's state to storage, where operators, the API and other instances
 * can read it. Writes are fire-and-forget: a storage hiccup is logged, never thrown.
 *
 * @example
 * ```ts
 * const records = new SubscriptionRecords(store, registry, log);
 * records.revoked(key, 'authorization_revoked');
 * records.write(key, { key, status: 'authorization_revoked' });
 * await records.get(key); // { status: 'authorization_revoked', lastRevocation: {...}, ... }
 * ```
 */
export class SubscriptionRecords {
  readonly #revocations = new Map<string, { status: string; at: string }>();
  #writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly registry: SubscriptionRegistry,
    private readonly log: Logger,
  ) {}

  /** Remembers a revocation; the next write of `key` carries it. */
  revoked(key: string, status: string): void {
    this.#revocations.set(key, { status, at: new Date().toISOString() });
  }

  /** Stores the state of `key` (undefined deletes it). Writes are applied in order. */
  write(key: string, state: SubscriptionState | undefined): void {
    const wanted = this.registry.get(key);
    const [type = '', rest = ''] = key.split('@');
    const record: StoredSubscription | undefined = state && {
      ...state,
      type,
      version: wanted?.spec.version ?? rest.split('?')[0] ?? '',
      condition: { ...(wanted?.spec.condition ?? {}) },
      updatedAt: new Date().toISOString(),
      lastRevocation: this.#revocations.get(key),
    };
    if (!state) this.#revocations.delete(key);
    this.#writes = this.#writes
      .then(async () => {
        if (record) await this.store.set(`sub:${key}`, record);
        else await this.store.delete(`sub:${key}`);
      })
      .catch((err: unknown) =>
        this.log.warn({ err, key }, 'eventsub: could not store subscription state'),
      );
  }

  /** The stored state of one key. */
  async get(key: string): Promise<StoredSubscription | undefined> {
    await this.#writes;
    return this.store.get<StoredSubscription>(`sub:${key}`);
  }
}
