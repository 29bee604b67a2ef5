import { randomUUID } from 'node:crypto';
import type { Store, WebhookRef } from '../../core/index.js';

/**
 * Who added a channel's tracking, and so who is told when its webhook is deleted.
 *
 * @example
 * ```ts
 * const owner: TrackingOwner = { kind: 'api', client: 'shard-0' };
 * ```
 */
export type TrackingOwner =
  | { kind: 'api'; client: string }
  | { kind: 'discord'; userId: string; guildId?: string };

/**
 * One tracked streamer in a channel.
 *
 * @example
 * ```ts
 * const name: TrackedName = { roleId: '123', addedAt: new Date().toISOString() };
 * ```
 */
export interface TrackedName {
  /** A role to ping (from `/live add ... role`). */
  roleId?: string;
  addedAt: string;
}

/**
 * The tracking of one Discord channel (the Tatsumaki service's model): one webhook per
 * channel, reused for every streamer it follows.
 *
 * @example
 * ```ts
 * const ch: ChannelTracking = { channelId: '1', webhook: { id: '2', token: 't' }, names: {}, owner: { kind: 'api', client: 'bot' }, updatedAt: '' };
 * ```
 */
export interface ChannelTracking {
  channelId: string;
  guildId?: string;
  webhook: WebhookRef;
  /** Twitch login -> details. */
  names: Record<string, TrackedName>;
  owner: TrackingOwner;
  updatedAt: string;
}

/**
 * Channels tracked through the API or `/live add`, in the cog's storage (`ch:<id>`, the
 * list in `channels`, a revision in `rev` so other processes notice changes). Reads come
 * from a cache reloaded when the revision changed.
 *
 * @example
 * ```ts
 * const tracking = new TrackingStore(ctx.storage.namespace('tracking'));
 * await tracking.track('123', 'shroud', { id: '9', token: 'abc' }, { kind: 'api', client: 'bot' });
 * (await tracking.channelsFor('shroud')).map((c) => c.channelId); // ['123']
 * ```
 */
export class TrackingStore {
  #cache = new Map<string, ChannelTracking>();
  #rev: string | undefined;
  #loading: Promise<void> | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /** Every tracked channel (fresh when another process changed something). */
  async all(): Promise<ChannelTracking[]> {
    await this.#fresh();
    return [...this.#cache.values()];
  }

  async get(channelId: string): Promise<ChannelTracking | undefined> {
    await this.#fresh();
    return this.#cache.get(channelId);
  }

  /** Channels following `login`. */
  async channelsFor(login: string): Promise<ChannelTracking[]> {
    return (await this.all()).filter((c) => login in c.names);
  }

  /**
   * Starts tracking `login` in a channel with its webhook. A different webhook replaces the
   * channel's old one (one webhook per channel; this is how a deleted one is repaired).
   */
  track(
    channelId: string,
    login: string,
    webhook: WebhookRef,
    owner: TrackingOwner,
    extra: { roleId?: string; guildId?: string } = {},
  ): Promise<{ channel: ChannelTracking; created: boolean; replacedWebhook?: string }> {
    return this.#write(async () => {
      const existing = await this.store.get<ChannelTracking>(`ch:${channelId}`);
      const replaced =
        existing && existing.webhook.id !== webhook.id ? existing.webhook.id : undefined;
      const names = { ...existing?.names };
      const created = !(login in names);
      names[login] = {
        ...(extra.roleId ? { roleId: extra.roleId } : {}),
        addedAt: names[login]?.addedAt ?? new Date().toISOString(),
      };
      const channel: ChannelTracking = {
        channelId,
        guildId: extra.guildId ?? existing?.guildId,
        webhook,
        names,
        owner: existing?.owner ?? owner,
        updatedAt: new Date().toISOString(),
      };
      await this.#save(channel, !existing);
      return { channel, created, replacedWebhook: replaced };
    });
  }

  /** Stops tracking; `not_tracked`, or `wrong_webhook` when `webhookId` is not the channel's. */
  untrack(
    channelId: string,
    login: string,
    webhookId?: string,
  ): Promise<'removed' | 'not_tracked' | 'wrong_webhook'> {
    return this.#write(async () => {
      const existing = await this.store.get<ChannelTracking>(`ch:${channelId}`);
      if (!existing || !(login in existing.names)) return 'not_tracked';
      if (webhookId !== undefined && existing.webhook.id !== webhookId) return 'wrong_webhook';
      const names = { ...existing.names };
      delete names[login];
      if (Object.keys(names).length === 0) await this.#remove(channelId);
      else await this.#save({ ...existing, names, updatedAt: new Date().toISOString() }, false);
      return 'removed';
    });
  }

  async #save(channel: ChannelTracking, isNew: boolean): Promise<void> {
    await this.store.set(`ch:${channel.channelId}`, channel);
    if (isNew) {
      const ids = (await this.store.get<string[]>('channels')) ?? [];
      if (!ids.includes(channel.channelId))
        await this.store.set('channels', [...ids, channel.channelId]);
    }
    this.#cache.set(channel.channelId, channel);
    await this.#bump();
  }

  async #remove(channelId: string): Promise<void> {
    await this.store.delete(`ch:${channelId}`);
    const ids = (await this.store.get<string[]>('channels')) ?? [];
    await this.store.set(
      'channels',
      ids.filter((i) => i !== channelId),
    );
    this.#cache.delete(channelId);
    await this.#bump();
  }

  async #bump(): Promise<void> {
    this.#rev = randomUUID();
    await this.store.set('rev', this.#rev);
  }

  /** Writes one at a time in this process (read-modify-write of the channel list). */
  #write<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(fn, fn);
    this.#chain = next.catch(() => {});
    return next;
  }

  async #fresh(): Promise<void> {
    const rev = await this.store.get<string>('rev');
    if (rev !== undefined && rev === this.#rev) return;
    if (rev === undefined && this.#rev === undefined && this.#cache.size > 0) return;
    this.#loading ??= (async () => {
      const ids = (await this.store.get<string[]>('channels')) ?? [];
      const loaded = await Promise.all(
        ids.map((id) => this.store.get<ChannelTracking>(`ch:${id}`)),
      );
      this.#cache = new Map(
        loaded.filter((c): c is ChannelTracking => !!c).map((c) => [c.channelId, c]),
      );
      this.#rev = rev;
    })().finally(() => (this.#loading = undefined));
    await this.#loading;
  }
}
