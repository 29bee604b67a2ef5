import type { Disposer, EventSubNotification } from '../../core/index.js';
import type { SubRolesCog } from './cog.js';
import { applySub, tierName, toTier, type Link, type SubState } from './model.js';

interface SubEvent {
  user_id?: string;
  user_login?: string;
  tier?: string;
  is_gift?: boolean;
  total?: number;
}

/**
 * The EventSub types sub-roles listens to.
 *
 * @example
 * ```ts
 * SUB_EVENT_TYPES.includes('channel.subscription.end'); // true
 * ```
 */
export const SUB_EVENT_TYPES = [
  'channel.subscribe',
  'channel.subscription.message',
  'channel.subscription.gift',
  'channel.subscription.end',
] as const;

/**
 * Applies what Twitch just said about one subscriber: the link's subscription changes, a
 * role job follows at once; an ended subscription starts the grace period and the member
 * is warned by DM.
 *
 * @example
 * ```ts
 * await applySubscriberNews(cog, '141981764', { tier: '2000', gift: false }, new Date(), 'tier 2');
 * ```
 */
export async function applySubscriberNews(
  cog: SubRolesCog,
  twitchId: string,
  sub: SubState | null | ((link: Link) => SubState),
  at: Date,
  reason: string,
): Promise<void> {
  const discordId = await cog.links.byTwitch(twitchId);
  if (!discordId) return;
  let graceStarted = false;
  const link = await cog.links.update(discordId, (l) => {
    if (!l || l.twitchId !== twitchId) return undefined;
    const next = typeof sub === 'function' ? sub(l) : sub;
    const change = applySub(l, next, at.getTime(), cog.graceMs);
    graceStarted = change.graceStarted;
    return change.changed ? change.link : undefined;
  });
  if (!link) return;
  if (graceStarted && link.graceUntil !== undefined && !link.left)
    await cog.queues.dm(
      { discordId, kind: 'grace', until: link.graceUntil },
      `grace:${discordId}:${link.version}`,
    );
  await cog.syncIfNeeded(link, reason);
}

/**
 * Subscribes to the broadcaster's subscription events (`channel.subscribe`,
 * `channel.subscription.message`, `.gift`, `.end`); returns the disposer. Gift recipients
 * arrive as `channel.subscribe` with `is_gift`; the gift event itself only logs.
 *
 * @example
 * ```ts
 * const stop = listenToSubEvents(cog, broadcasterId);
 * ```
 */
export function listenToSubEvents(cog: SubRolesCog, broadcasterId: string): Disposer {
  const es = cog.ctx.twitch.eventsub;
  const condition = { broadcaster_user_id: broadcasterId };
  const on = (type: string, fn: (n: EventSubNotification<SubEvent>) => unknown): Disposer =>
    es.on<SubEvent>(type, condition, fn);
  const offs = [
    on('channel.subscribe', (n) =>
      applySubscriberNews(
        cog,
        String(n.event.user_id),
        { tier: toTier(n.event.tier), gift: n.event.is_gift === true },
        n.at,
        `subscribed (${tierName(toTier(n.event.tier))})`,
      ),
    ),
    on('channel.subscription.message', (n) =>
      applySubscriberNews(
        cog,
        String(n.event.user_id),
        (l) => ({ tier: toTier(n.event.tier), gift: l.sub?.gift ?? false }),
        n.at,
        'resubscribed',
      ),
    ),
    on('channel.subscription.gift', (n) =>
      cog.ctx.log.debug({ total: n.event.total, tier: n.event.tier }, 'subscriptions gifted'),
    ),
    on('channel.subscription.end', (n) =>
      applySubscriberNews(cog, String(n.event.user_id), null, n.at, 'subscription ended'),
    ),
  ];
  return async () => {
    for (const off of offs) await off();
  };
}
