import type { Store } from '../../core/index.js';

/**
 * `{count}`: one persistent counter per command and channel, in the cog's storage.
 * Updates of one counter are serialised in this process, so concurrent uses never lose
 * a count.
 *
 * @example
 * ```ts
 * const counters = new Counters(ctx.storage.namespace('count'));
 * await counters.next('alice', 'deaths'); // 1
 * await counters.set('alice', 'deaths', 0);
 * ```
 */
export class Counters {
  readonly #chains = new Map<string, Promise<unknown>>();

  constructor(private readonly store: Store) {}

  /** Adds one and returns the new value. */
  next(channel: string, name: string): Promise<number> {
    return this.#update(channel, name, (n) => n + 1);
  }

  /** Sets the value (a moderator's `-count=N`). */
  set(channel: string, name: string, value: number): Promise<number> {
    return this.#update(channel, name, () => value);
  }

  /** The current value (0 when never used). */
  async get(channel: string, name: string): Promise<number> {
    await this.#chains.get(this.#key(channel, name));
    return (await this.store.get<number>(this.#key(channel, name))) ?? 0;
  }

  /** Forgets a counter (its command was deleted). */
  async delete(channel: string, name: string): Promise<void> {
    await this.#update(channel, name, () => undefined);
  }

  #key(channel: string, name: string): string {
    return `${channel}:${name.toLowerCase()}`;
  }

  #update(channel: string, name: string, change: (n: number) => number): Promise<number>;
  #update(channel: string, name: string, change: (n: number) => undefined): Promise<void>;
  #update(
    channel: string,
    name: string,
    change: (n: number) => number | undefined,
  ): Promise<number | void> {
    const key = this.#key(channel, name);
    const run = async (): Promise<number | void> => {
      const value = change((await this.store.get<number>(key)) ?? 0);
      if (value === undefined) await this.store.delete(key);
      else await this.store.set(key, value);
      return value;
    };
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.catch(() => {});
    this.#chains.set(key, settled);
    void settled.then(() => {
      if (this.#chains.get(key) === settled) this.#chains.delete(key);
    });
    return next;
  }
}
