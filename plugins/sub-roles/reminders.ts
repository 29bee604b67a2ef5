import type { Store } from '../../core/index.js';
import { keyedSerial } from './serial.js';

/**
 * Second reminders due for unlinked members (`reminders` in the cog's storage: Discord id
 * -> when). Small: only members who joined in the last days without linking.
 *
 * @example
 * ```ts
 * const reminders = new Reminders(ctx.storage);
 * await reminders.add('80351110224678912', Date.now() + 7 * 86_400_000);
 * for (const id of await reminders.due(Date.now())) sendReminder(id);
 * ```
 */
export class Reminders {
  readonly #serial = keyedSerial();

  constructor(private readonly store: Store) {}

  /** Plans a reminder for `discordId` at `at` (ms). */
  add(discordId: string, at: number): Promise<void> {
    return this.#update((all) => ({ ...all, [discordId]: at }));
  }

  /** Drops the member's pending reminder (linked, left, opted out). */
  forget(discordId: string): Promise<void> {
    return this.#update((all) => {
      if (!(discordId in all)) return undefined;
      const { [discordId]: _gone, ...rest } = all;
      return rest;
    });
  }

  /** Removes and returns the members whose reminder is due. */
  async due(now: number): Promise<string[]> {
    let out: string[] = [];
    await this.#update((all) => {
      out = Object.keys(all).filter((id) => (all[id] as number) <= now);
      if (out.length === 0) return undefined;
      return Object.fromEntries(Object.entries(all).filter(([id]) => !out.includes(id)));
    });
    return out;
  }

  #update(fn: (all: Record<string, number>) => Record<string, number> | undefined): Promise<void> {
    return this.#serial('reminders', async () => {
      const updated = fn((await this.store.get<Record<string, number>>('reminders')) ?? {});
      if (updated) await this.store.set('reminders', updated);
    });
  }
}
