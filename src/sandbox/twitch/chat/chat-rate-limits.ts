import { SlidingWindowCounter } from './sliding-window-counter.js';
import type { ChatLimits } from './types.js';

/**
 * Twitch's published limits for a normal account (dev.twitch.tv, "Rate limits").
 *
 * @example
 * ```ts
 * DEFAULT_CHAT_LIMITS.privmsgPerWindow; // 20
 * ```
 */
export const DEFAULT_CHAT_LIMITS: Readonly<ChatLimits> = Object.freeze({
  privmsgWindowMs: 30_000,
  privmsgPerWindow: 20,
  privmsgPerWindowPrivileged: 100,
  joinWindowMs: 10_000,
  joinsPerWindow: 20,
});

/**
 * The per-account PRIVMSG and JOIN limits, enforced the way Twitch staff described them:
 * one PRIVMSG window per account across all channels, and each message is checked against
 * the limit of its target channel (100 where the account is mod or broadcaster, else 20).
 * So a bot that sent 20 lines as mod in one channel cannot then talk where it is not mod.
 * Refused lines are not counted. JOINs count per channel (`JOIN #a,#b` is two).
 *
 * @example
 * ```ts
 * const limits = new ChatRateLimits({}, () => Date.now());
 * if (limits.allowPrivmsg('mybot', false)) deliver();
 * ```
 */
export class ChatRateLimits {
  readonly limits: Readonly<ChatLimits>;
  readonly #now: () => number;
  readonly #privmsg: SlidingWindowCounter;
  readonly #joins: SlidingWindowCounter;

  constructor(overrides: Partial<ChatLimits>, now: () => number) {
    this.limits = Object.freeze({ ...DEFAULT_CHAT_LIMITS, ...overrides });
    this.#now = now;
    this.#privmsg = new SlidingWindowCounter(this.limits.privmsgWindowMs);
    this.#joins = new SlidingWindowCounter(this.limits.joinWindowMs);
  }

  /** Counts a PRIVMSG by `login` if allowed; `privileged` = mod or broadcaster in the target channel. */
  allowPrivmsg(login: string, privileged: boolean): boolean {
    const limit = privileged
      ? this.limits.privmsgPerWindowPrivileged
      : this.limits.privmsgPerWindow;
    return this.#privmsg.tryTake(login, limit, this.#now());
  }

  /** Counts one channel JOIN by `login` if allowed. */
  allowJoin(login: string): boolean {
    return this.#joins.tryTake(login, this.limits.joinsPerWindow, this.#now());
  }

  /** PRIVMSGs of `login` in the current window. */
  privmsgCount(login: string): number {
    return this.#privmsg.count(login, this.#now());
  }

  /** JOINs of `login` in the current window. */
  joinCount(login: string): number {
    return this.#joins.count(login, this.#now());
  }
}
