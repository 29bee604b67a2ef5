import type { TwitchChatServer } from '../twitch/chat/index.js';
import type { TwitchWorld } from '../twitch/world.js';
import type { ConsoleFeed } from './feed.js';
import type { ActionInput, ActionName } from './schemas.js';

/**
 * What the actions act on.
 *
 * @example
 * ```ts
 * const targets: ActionTargets = { world: sandbox.world, chat: sandbox.chat, feed };
 * ```
 */
export interface ActionTargets {
  world: TwitchWorld;
  chat: TwitchChatServer;
  feed: ConsoleFeed;
}

type Handlers = {
  [K in ActionName]: (t: ActionTargets, a: ActionInput<K>) => Record<string, unknown>;
};

/** The login Twitch shows for anonymous gifts. */
const ANONYMOUS_GIFTER = 'ananonymousgifter';

/**
 * Performs each console action the way Twitch would show it: EventSub notifications from
 * the world and, where Twitch also writes to chat (subs, gifts, raids), a USERNOTICE.
 *
 * @example
 * ```ts
 * actions.raid({ world, chat, feed }, { channel: 'amy', from: 'bob', viewers: 12 });
 * ```
 */
export const actions: Handlers = {
  chat({ chat }, a) {
    const b = a.badges;
    const id = chat.viewerSays(
      `#${a.channel}`,
      {
        login: a.viewer,
        badges: {
          ...(b.broadcaster ? { broadcaster: true } : {}),
          ...(b.moderator ? { moderator: true } : {}),
          ...(b.vip ? { vip: true } : {}),
          ...(b.subscriber ? { subscriber: b.subscriber } : {}),
        },
      },
      a.text,
    );
    return { id };
  },
  live({ world }, a) {
    const stream = world.goLive(a.channel, {
      title: a.title ?? 'Sandbox stream',
      game: a.game ?? 'Just Chatting',
      viewers: a.viewers ?? 42,
    });
    return { streamId: stream.id };
  },
  offline({ world }, a) {
    const video = world.goOffline(a.channel);
    return { wasLive: video !== undefined };
  },
  subscribe({ world, chat, feed }, a) {
    const sub = world.subscribe(
      a.channel,
      a.user,
      a.tier,
      a.message === undefined ? {} : { message: a.message },
    );
    const base = { user: a.user, plan: a.tier, ...(a.message ? { message: a.message } : {}) };
    if (sub.cumulativeMonths > 1)
      chat.userNotice(`#${a.channel}`, 'resub', {
        ...base,
        cumulativeMonths: sub.cumulativeMonths,
      });
    else chat.userNotice(`#${a.channel}`, 'sub', base);
    feed.push({
      kind: 'chat-notice',
      channel: `#${a.channel}`,
      text: `${a.user} subscribed at Tier ${a.tier.charAt(0)} (${sub.cumulativeMonths} month${sub.cumulativeMonths > 1 ? 's' : ''})${a.message ? `: ${a.message}` : ''}`,
    });
    return { months: sub.cumulativeMonths };
  },
  gift({ world, chat, feed }, a) {
    world.subscribe(a.channel, a.recipient, a.tier, {
      gift: a.gifter ?? { anonymous: true },
    });
    const gifter = a.gifter ?? ANONYMOUS_GIFTER;
    chat.userNotice(`#${a.channel}`, 'subgift', {
      user: gifter,
      recipient: a.recipient,
      plan: a.tier,
    });
    feed.push({
      kind: 'chat-notice',
      channel: `#${a.channel}`,
      text: `${a.gifter ?? 'An anonymous gifter'} gifted a Tier ${a.tier.charAt(0)} sub to ${a.recipient}`,
    });
    return {};
  },
  cheer({ world, feed }, a) {
    world.cheer(a.channel, a.user ?? null, a.bits, a.message ?? `Cheer${a.bits}`);
    feed.push({
      kind: 'chat-notice',
      channel: `#${a.channel}`,
      text: `${a.user ?? 'An anonymous cheerer'} cheered ${a.bits} bits${a.message ? `: ${a.message}` : ''}`,
    });
    return {};
  },
  raid({ world, chat, feed }, a) {
    world.raid(a.from, a.channel, a.viewers);
    chat.userNotice(`#${a.channel}`, 'raid', { user: a.from, viewerCount: a.viewers });
    feed.push({
      kind: 'chat-notice',
      channel: `#${a.channel}`,
      text: `${a.viewers} raiders from ${a.from} have joined!`,
    });
    return {};
  },
  follow({ world }, a) {
    const f = world.follow(a.channel, a.user);
    return { followedAt: new Date(f.followedAt).toISOString() };
  },
  redeem({ world, feed }, a) {
    const id = world.redeem(a.channel, a.user, { title: a.reward, cost: a.cost }, a.input ?? '');
    feed.push({
      kind: 'chat-notice',
      channel: `#${a.channel}`,
      text: `${a.user} redeemed ${a.reward} (${a.cost} points)${a.input ? `: ${a.input}` : ''}`,
    });
    return { redemptionId: id };
  },
};
