import type { Disposer } from '../../core/disposer.js';
import type { App } from '../app.js';
import { waitUntil } from './wait.js';

/**
 * Knows which chat lines the bot has handed to every cog.
 *
 * @example
 * ```ts
 * const probe = chatProbe(app, 'test_bot');
 * await probe.saw(id);
 * ```
 */
export interface ChatProbe {
  /** Resolves once the bot gave message `id` to all its chat handlers (see `TestBot.botSaw`). */
  saw(id: string, timeoutMs?: number): Promise<void>;
  /** Registers again, after the cogs that were (re)mounted since: it must be the last handler. */
  rearm(): void;
}

/**
 * A chat handler registered on the bot's chat connection after every cog's, through the
 * platform's public `forCog`: when it sees a message, every cog's handler has been called
 * with it (handlers run in registration order), so what a cog decides synchronously, like
 * a command's permission or cooldown, is decided.
 *
 * @example
 * ```ts
 * const probe = chatProbe(app, 'test_bot');
 * await probe.saw(t.viewer('bob').says('!so artist'));
 * ```
 */
export function chatProbe(app: App, bot: string): ChatProbe {
  const seen = new Set<string>();
  let dispose: Disposer | undefined;
  const arm = (): void => {
    void dispose?.();
    const platform = app.runtime.bots.get(bot)?.platform;
    if (!platform) return;
    const abort = new AbortController();
    const { twitch } = platform.forCog({
      bot,
      cog: 'streamcogs/testing',
      log: app.log,
      signal: abort.signal,
      track: (d) => d,
      guard:
        (_label, fn) =>
        async (...args) => {
          await fn(...args);
        },
    });
    const off = twitch.chat.onMessage((m) => void seen.add(m.id));
    dispose = () => {
      abort.abort();
      return off();
    };
  };
  arm();
  return {
    async saw(id, timeoutMs = 5000) {
      await waitUntil(() => seen.has(id), `the bot to receive chat message ${id}`, timeoutMs);
    },
    rearm: arm,
  };
}
