import type { EventBus } from '../../core/events.js';
import type { Disposer } from '../../core/index.js';
import type { StreamStatusApi } from '../../plugins/eventsub/index.js';

/** Which bot a request acts for, or why none could be picked. */
export type BotChoice =
  | { ok: true; api: StreamStatusApi }
  | { ok: false; status: 404 | 503; message: string };

/**
 * The stream status services the eventsub cogs publish (`eventsub:api.ready`), by bot.
 * A request picks one with `?bot=<name>`; without it, the first bot in bots.yaml order that
 * runs the eventsub cog (the only one, in the usual setup).
 *
 * @example
 * ```ts
 * const directory = new StatusApiDirectory(runtime.bus, () => runtime.config.bots.map((b) => b.name));
 * const choice = directory.pick(ctx.query.bot);
 * if (choice.ok) ctx.body = await choice.api.live();
 * ```
 */
export class StatusApiDirectory {
  readonly #apis = new Map<string, StreamStatusApi>();
  readonly #off: Disposer[];

  constructor(
    bus: EventBus,
    private readonly order: () => readonly string[],
  ) {
    this.#off = [
      bus.on('eventsub:api.ready', ({ bot, api }) => void this.#apis.set(bot, api)),
      bus.on('eventsub:api.stopped', ({ bot }) => void this.#apis.delete(bot)),
    ];
  }

  /** Bots serving the API, in bots.yaml order. */
  bots(): string[] {
    const order = this.order();
    const rank = (b: string): number => {
      const i = order.indexOf(b);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...this.#apis.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }

  /** The service for `?bot=` (or the default bot). */
  pick(bot: unknown): BotChoice {
    if (typeof bot === 'string' && bot !== '') {
      const api = this.#apis.get(bot);
      if (api) return { ok: true, api };
      return {
        ok: false,
        status: 404,
        message: `bot "${bot}" does not run the eventsub cog; bots that do: ${this.bots().join(', ') || 'none'}`,
      };
    }
    const first = this.bots()[0];
    const api = first === undefined ? undefined : this.#apis.get(first);
    if (api) return { ok: true, api };
    return {
      ok: false,
      status: 503,
      message: 'no bot runs the eventsub cog: add `- eventsub` to a bot in bots.yaml',
    };
  }

  /** Stops listening to the bus. */
  close(): void {
    for (const off of this.#off) void off();
  }
}
