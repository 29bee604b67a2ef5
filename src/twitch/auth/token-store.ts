import type { AccessToken } from '@twurple/auth';
import type { Disposer, Store } from '../../../core/index.js';
import { isSealed, type SealedValue, type SecretBox } from './secret-box.js';

/** A bot's Twitch user token as stored (encrypted) and handed to twurple. */
export interface StoredTwitchToken {
  accessToken: string;
  refreshToken: string;
  scope: string[];
  /** Seconds the access token lived for when obtained; null when it never expires. */
  expiresIn: number | null;
  /** When the access token was obtained (ms since epoch). */
  obtainmentTimestamp: number;
  /** The Twitch account the token belongs to. */
  userId: string;
  login: string;
  /** The Twitch app (client id) it was issued to: refreshing needs the same app. */
  clientId: string;
}

/**
 * The twurple view of a stored token.
 *
 * @example
 * ```ts
 * provider.addUser(token.userId, accessTokenOf(token));
 * ```
 */
export function accessTokenOf(t: StoredTwitchToken): AccessToken {
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    scope: t.scope,
    expiresIn: t.expiresIn,
    obtainmentTimestamp: t.obtainmentTimestamp,
  };
}

type SavedListener = (bot: string, token: StoredTwitchToken) => void;

/**
 * Bots' Twitch tokens in storage, encrypted at rest (AES-256-GCM, bound to the bot's
 * name). Writes for one bot are serialised: they land in the order they were made, and
 * {@link TwitchTokenStore.save} resolves once its own write is stored.
 *
 * @example
 * ```ts
 * const tokens = new TwitchTokenStore(runtime.storage.core('twitch-auth'), new SecretBox(key));
 * await tokens.save('alice', token);
 * (await tokens.load('alice'))?.login; // 'alice_bot'
 * ```
 */
export class TwitchTokenStore {
  readonly #store: Store;
  readonly #box: SecretBox;
  readonly #queues = new Map<string, Promise<void>>();
  readonly #listeners = new Set<SavedListener>();

  constructor(store: Store, box: SecretBox) {
    this.#store = store;
    this.#box = box;
  }

  /** The signing half of the key (OAuth state). */
  get box(): SecretBox {
    return this.#box;
  }

  /** The underlying namespace (single-use claims of OAuth states). */
  get store(): Store {
    return this.#store;
  }

  /** The bot's token, or undefined. Throws when it was written with another key. */
  async load(bot: string): Promise<StoredTwitchToken | undefined> {
    await this.#queues.get(bot);
    const raw = await this.#store.get<SealedValue>(key(bot));
    if (!isSealed(raw)) return undefined;
    return this.#box.open<StoredTwitchToken>(raw, bot);
  }

  /** Stores the bot's token after any write already queued for it. */
  save(bot: string, token: StoredTwitchToken): Promise<void> {
    const sealed = this.#box.seal(token, bot);
    const done = this.#enqueue(bot, () => this.#store.set(key(bot), sealed));
    return done.then(() => {
      for (const l of this.#listeners) l(bot, token);
    });
  }

  /** {@link TwitchTokenStore.save}, retried twice; resolves with the last error, or undefined once stored. */
  async saveWithRetry(bot: string, token: StoredTwitchToken): Promise<unknown> {
    let last: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.save(bot, token);
        return undefined;
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    }
    return last;
  }

  /** Forgets the bot's token. */
  async remove(bot: string): Promise<void> {
    await this.#enqueue(bot, async () => {
      await this.#store.delete(key(bot));
    });
  }

  /** Resolves once every write queued for `bot` so far is stored. */
  async flushed(bot: string): Promise<void> {
    await this.#queues.get(bot)?.catch(() => {});
  }

  /** Calls `listener` after each successful {@link TwitchTokenStore.save}; returns its disposer. */
  onSaved(listener: SavedListener): Disposer {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #enqueue(bot: string, write: () => Promise<void>): Promise<void> {
    const previous = this.#queues.get(bot) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(write);
    this.#queues.set(bot, next);
    void next
      .finally(() => {
        if (this.#queues.get(bot) === next) this.#queues.delete(bot);
      })
      .catch(() => {});
    return next;
  }
}

function key(bot: string): string {
  return `token:${bot}`;
}
