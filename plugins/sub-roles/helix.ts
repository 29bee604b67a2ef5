import type { ApiClient } from '@twurple/api';
import { toTier, type SubState } from './model.js';

/** Points kept free in the broadcaster's Helix bucket for other calls. */
const RESERVE = 10;

/**
 * Paces Helix calls made with one token so its bucket (`perMinute` points, refilled
 * continuously, as Twitch does) never runs dry: calls go at once while points are left and
 * then at the refill rate. It assumes a full bucket at first; if another process spent it,
 * twurple's own limiter still waits for Twitch's reset, so no call is refused.
 *
 * @example
 * ```ts
 * const pace = new HelixPacer(800);
 * for (const page of pages) { await pace.take(signal); await fetchPage(page); }
 * ```
 */
export class HelixPacer {
  #level: number;
  #at = Date.now();

  constructor(private readonly perMinute: number) {
    this.#level = perMinute;
  }

  /** Resolves when one more call may go. */
  async take(signal?: AbortSignal): Promise<void> {
    const rate = this.perMinute / 60_000;
    const now = Date.now();
    this.#level = Math.min(this.perMinute, this.#level + (now - this.#at) * rate);
    this.#at = now;
    const short = RESERVE + 1 - this.#level;
    if (short > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, Math.ceil(short / rate));
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
      this.#level += short;
      this.#at = Date.now();
    }
    this.#level -= 1;
  }
}

/**
 * One subscriber as the reconciliation needs it.
 *
 * @example
 * ```ts
 * const s: Subscriber = { userId: '141981764', login: 'ada', tier: '1000', gift: false };
 * ```
 */
export interface Subscriber extends SubState {
  userId: string;
  login: string;
}

/**
 * Reads a broadcaster's whole subscriber list, 100 per page (`GET /subscriptions`), pacing
 * the pages and handing each page to `onPage` (so memory holds one page at a time; the
 * next page is fetched without waiting for it). Returns the number of pages read.
 *
 * @example
 * ```ts
 * const pages = await readSubscribers(api, broadcasterId, new HelixPacer(800), (subs) => seen.push(...subs));
 * ```
 */
export async function readSubscribers(
  api: ApiClient,
  broadcasterId: string,
  pacer: HelixPacer,
  onPage: (subs: Subscriber[]) => unknown,
  signal?: AbortSignal,
): Promise<number> {
  const request = api.subscriptions.getSubscriptionsPaginated(broadcasterId);
  let pages = 0;
  for (;;) {
    signal?.throwIfAborted();
    await pacer.take(signal);
    const page = await request.getNext();
    if (page.length === 0) break;
    pages++;
    onPage(
      page.map((s) => ({
        userId: s.userId,
        login: s.userName,
        tier: toTier(s.tier),
        gift: s.isGift,
      })),
    );
    if (request.currentCursor === undefined) break;
  }
  return pages;
}

/**
 * The member's own view of their subscription (`GET /subscriptions/user`, with their token).
 *
 * @example
 * ```ts
 * const sub = await memberSubscription(memberApi, memberId, broadcasterId); // null when not subscribed
 * ```
 */
export async function memberSubscription(
  api: ApiClient,
  userId: string,
  broadcasterId: string,
): Promise<SubState | null> {
  const sub = await api.subscriptions.checkUserSubscription(userId, broadcasterId);
  return sub ? { tier: toTier(sub.tier), gift: sub.isGift } : null;
}
