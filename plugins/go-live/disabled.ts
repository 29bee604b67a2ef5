import type { Store } from '../../core/index.js';

/**
 * Why a webhook's targets stopped.
 *
 * @example
 * ```ts
 * const why: DisabledWebhook | undefined = disabled.get(webhookId);
 * ```
 */
export interface DisabledWebhook {
  reason: string;
  at: string;
  channelId?: string;
}

/**
 * Webhooks Discord said are gone (404 10015): every target using one is disabled, with
 * the reason, until the channel gets a new webhook (`/live add`, the API, or bots.yaml).
 * Kept in the cog's storage (`disabled`) and cached.
 *
 * @example
 * ```ts
 * const disabled = new DisabledWebhooks(ctx.storage);
 * await disabled.load();
 * await disabled.add('123', 'the webhook was deleted');
 * disabled.get('123')?.reason;
 * ```
 */
export class DisabledWebhooks {
  #map: Record<string, DisabledWebhook> = {};
  #chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    this.#map = (await this.store.get<Record<string, DisabledWebhook>>('disabled')) ?? {};
  }

  get(webhookId: string): DisabledWebhook | undefined {
    return this.#map[webhookId];
  }

  /** Records a gone webhook; returns false when it was already recorded. */
  add(webhookId: string, reason: string, channelId?: string): Promise<boolean> {
    // One read-modify-write at a time, merged with what is stored (another process's too).
    const run = async (): Promise<boolean> => {
      const stored = (await this.store.get<Record<string, DisabledWebhook>>('disabled')) ?? {};
      this.#map = { ...stored, ...this.#map };
      if (this.#map[webhookId]) return false;
      const entry = { reason, at: new Date().toISOString(), ...(channelId ? { channelId } : {}) };
      this.#map = { ...this.#map, [webhookId]: entry };
      await this.store.set('disabled', this.#map);
      return true;
    };
    const next = this.#chain.then(run, run);
    this.#chain = next.catch(() => false);
    return next;
  }

  all(): Record<string, DisabledWebhook> {
    return { ...this.#map };
  }
}
