import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ArgumentStore,
  CommandStore,
  container,
  InteractionHandlerStore,
  ListenerStore,
  PreconditionStore,
  StoreRegistry,
  type Piece,
  type Store,
} from '@sapphire/framework';

/**
 * Why this file exists: Sapphire keeps its state on one process-global object,
 * `container` (`container.client`, `container.stores`, `container.logger`), and every
 * `SapphireClient` overwrites it. Its built-in listeners (the ones that route an
 * interaction to a command) are queued once, at import, and handed to the first client
 * only. Two bots with two tokens in one process would therefore dispatch each other's
 * interactions, or none at all.
 *
 * A realm gives one Discord connection its own `client`, `stores` and `logger`. The
 * three properties of `container` become accessors that read the realm of the current
 * async context (AsyncLocalStorage). Everything a client does runs in the context its
 * socket was opened in, so a client created and logged in inside `realm.run()` sees its
 * own stores in every listener, command and interaction handler. Outside any realm the
 * accessors fall back to Sapphire's original values, so code that builds a plain
 * SapphireClient keeps working.
 */
interface RealmState {
  client: unknown;
  stores: StoreRegistry;
  logger: unknown;
}

/** A piece class as Sapphire queues it (its constructor type is Sapphire's business). */
type ManualEntry = { name: string; piece: unknown };
const KEYS = ['client', 'stores', 'logger'] as const;
const als = new AsyncLocalStorage<RealmState>();
let fallback: RealmState | undefined;
let corePieces: { store: string; entry: ManualEntry }[] | undefined;

function manualEntries(store: Store<Piece>): ManualEntry[] {
  const symbol = Object.getOwnPropertySymbols(store).find(
    (s) => s.description === '@sapphire/pieces:ManuallyRegisteredPieces',
  );
  const map = symbol
    ? (store as unknown as Record<symbol, Map<string, ManualEntry>>)[symbol]
    : undefined;
  return map ? [...map.values()] : [];
}

/**
 * Sapphire's built-in pieces (arguments, preconditions, core listeners) are queued on
 * the global registry at import. Collect them once, then put them back in the queue.
 */
function collectCorePieces(): { store: string; entry: ManualEntry }[] {
  const registry = (fallback as RealmState).stores;
  const found: { store: string; entry: ManualEntry }[] = [];
  const stores = [
    new ArgumentStore(),
    new CommandStore(),
    new InteractionHandlerStore(),
    new ListenerStore(),
    new PreconditionStore(),
  ] as unknown as Store<Piece>[];
  for (const fresh of stores) {
    const existing = registry.get(fresh.name as never) as Store<Piece> | undefined;
    if (existing) {
      for (const entry of manualEntries(existing)) found.push({ store: fresh.name, entry });
      continue;
    }
    registry.register(fresh as never);
    const entries = manualEntries(fresh);
    registry.deregister(fresh as never);
    for (const entry of entries) {
      found.push({ store: fresh.name, entry });
      void registry.loadPiece({
        store: fresh.name as never,
        name: entry.name,
        piece: entry.piece as never,
      });
    }
  }
  return found;
}

function install(): void {
  if (fallback) return;
  const c = container as unknown as Record<string, unknown>;
  fallback = { client: c.client, stores: c.stores as StoreRegistry, logger: c.logger };
  for (const key of KEYS) {
    Object.defineProperty(container, key, {
      configurable: true,
      enumerable: true,
      get: () => (als.getStore() ?? (fallback as RealmState))[key],
      set: (value: unknown) => {
        (als.getStore() ?? (fallback as RealmState))[key] = value as never;
      },
    });
  }
  corePieces = collectCorePieces();
}

/** Options of {@link SapphireRealm}. */
export interface SapphireRealmOptions {
  /** Built-in listeners to leave out, e.g. `CoreReady` (we register commands ourselves). */
  skipCorePieces?: readonly string[];
}

/**
 * One Discord connection's private Sapphire container. Create the client and call
 * everything that loads pieces inside {@link SapphireRealm.run}.
 *
 * @example
 * ```ts
 * const realm = new SapphireRealm({ skipCorePieces: ['CoreReady'] });
 * const client = realm.run(() => new SapphireClient({ intents, baseUserDirectory: null }));
 * await realm.run(() => client.login(token));
 * await realm.run(() => realm.stores.loadPiece({ store: 'commands', name: 'alice.ping', piece: Ping }));
 * ```
 */
export class SapphireRealm {
  readonly #state: RealmState;

  constructor(options: SapphireRealmOptions = {}) {
    install();
    this.#state = { client: undefined, stores: new StoreRegistry(), logger: undefined };
    const skip = new Set(options.skipCorePieces ?? []);
    for (const { store, entry } of corePieces ?? []) {
      if (skip.has(entry.name)) continue;
      // The stores are not registered yet: this only queues them for the client's constructor.
      void this.#state.stores.loadPiece({
        store: store as never,
        name: entry.name,
        piece: entry.piece as never,
      });
    }
  }

  /** This realm's stores (`container.stores` inside {@link SapphireRealm.run}). */
  get stores(): StoreRegistry {
    return this.#state.stores;
  }

  /** Runs `fn` with `container` pointing at this realm; async work started in it stays there. */
  run<T>(fn: () => T): T {
    return als.run(this.#state, fn);
  }
}
