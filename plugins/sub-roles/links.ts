import type { Store } from '../../core/index.js';
import type { Link } from './model.js';
import { keyedSerial } from './serial.js';

/**
 * Links are kept in this many shards (by Discord id): few reads for all, small writes for one.
 *
 * @example
 * ```ts
 * for (let n = 0; n < SHARDS; n++) await links.shard(n);
 * ```
 */
export const SHARDS = 4096;

type Shard = Record<string, Link>;
/**
 * Returns the new link, `null` to delete it, or `undefined` to leave it as it is.
 *
 * @example
 * ```ts
 * const markLeft: LinkUpdate = (l) => (l ? { ...l, left: true } : undefined);
 * ```
 */
export type LinkUpdate = (link: Link | undefined) => Link | null | undefined;

/**
 * The shard a Discord id lives in (FNV-1a).
 *
 * @example
 * ```ts
 * shardOf('80351110224678912'); // 0..4095
 * ```
 */
export function shardOf(discordId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < discordId.length; i++)
    h = Math.imul(h ^ discordId.charCodeAt(i), 0x01000193) >>> 0;
  return h % SHARDS;
}

/**
 * The members' links in the cog's storage: `links:<shard>` maps Discord ids to links, and
 * `twitch:<twitch id>` points back to the Discord id (one Discord member per Twitch
 * account). Writes to a shard are serialised in this process and read the shard fresh, so
 * concurrent updates (events, role jobs, reconciliation) never undo each other here.
 *
 * @example
 * ```ts
 * const links = new LinkStore(ctx.storage);
 * await links.update('80351110224678912', (l) => l && { ...l, left: true });
 * for await (const batch of links.shards()) count += batch.length;
 * ```
 */
export class LinkStore {
  readonly #store: Store;
  readonly #serial = keyedSerial();
  readonly #onWrite: (discordId: string, link: Link | undefined) => void;

  /** @param onWrite Told of every link written (undefined: deleted), after the write. */
  constructor(
    store: Store,
    onWrite: (discordId: string, link: Link | undefined) => void = () => {},
  ) {
    this.#store = store;
    this.#onWrite = onWrite;
  }

  async get(discordId: string): Promise<Link | undefined> {
    const shard = await this.#store.get<Shard>(`links:${shardOf(discordId)}`);
    return shard?.[discordId];
  }

  /** The Discord member a Twitch account is linked to. */
  byTwitch(twitchId: string): Promise<string | undefined> {
    return this.#store.get<string>(`twitch:${twitchId}`);
  }

  /** Updates one link (see {@link LinkUpdate}); resolves with it as stored. */
  async update(discordId: string, fn: LinkUpdate): Promise<Link | undefined> {
    const done = await this.updateMany(new Map([[discordId, fn]]));
    return done.get(discordId);
  }

  /** Updates many links, one read and one write per shard; returns the links as stored. */
  async updateMany(updates: ReadonlyMap<string, LinkUpdate>): Promise<Map<string, Link>> {
    const byShard = new Map<number, [string, LinkUpdate][]>();
    for (const [id, fn] of updates) {
      const n = shardOf(id);
      byShard.set(n, [...(byShard.get(n) ?? []), [id, fn]]);
    }
    const out = new Map<string, Link>();
    await Promise.all(
      [...byShard].map(([n, list]) =>
        this.#serial(n, async () => {
          const shard = (await this.#store.get<Shard>(`links:${n}`)) ?? {};
          const index: Promise<unknown>[] = [];
          const written: [string, Link | undefined][] = [];
          for (const [id, fn] of list) {
            const before = shard[id];
            const after = fn(before);
            if (after === undefined) {
              if (before) out.set(id, before);
              continue;
            }
            written.push([id, after ?? undefined]);
            if (after === null) delete shard[id];
            else {
              shard[id] = after;
              out.set(id, after);
            }
            if (before && before.twitchId !== after?.twitchId)
              index.push(this.#store.delete(`twitch:${before.twitchId}`));
            if (after && before?.twitchId !== after.twitchId)
              index.push(this.#store.set(`twitch:${after.twitchId}`, id));
          }
          if (written.length === 0) return;
          await this.#store.set(`links:${n}`, shard);
          await Promise.all(index);
          for (const [id, link] of written) this.#onWrite(id, link);
        }),
      ),
    );
    return out;
  }

  /** The links of one shard (0..{@link SHARDS}-1). */
  async shard(n: number): Promise<Link[]> {
    return Object.values((await this.#store.get<Shard>(`links:${n}`)) ?? {});
  }

  /** Every link, one shard at a time (bounded memory per step). */
  async *shards(): AsyncGenerator<Link[]> {
    for (let n = 0; n < SHARDS; n += 32) {
      const keys = Array.from({ length: Math.min(32, SHARDS - n) }, (_, i) => `links:${n + i}`);
      const read = await Promise.all(keys.map((k) => this.#store.get<Shard>(k)));
      for (const shard of read) if (shard) yield Object.values(shard);
    }
  }

  /** Every link in memory (reconciliation, diff). */
  async all(): Promise<Link[]> {
    const out: Link[] = [];
    for await (const batch of this.shards()) for (const l of batch) out.push(l);
    return out;
  }
}
