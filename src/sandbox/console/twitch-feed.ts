import type { ChatMessageEvent, ChatRecord } from '../twitch/chat/index.js';
import type { TwitchChatServer } from '../twitch/chat/index.js';
import type { DeliveryRecord } from '../twitch/eventsub/delivery.js';
import type { WorldNotification } from '../twitch/eventsub/event-payloads.js';
import type { TwitchApiServer } from '../twitch/helix/index.js';
import type { TwitchWorld } from '../twitch/world.js';
import { clip, type ConsoleFeed, type StreamFeedItem } from './feed.js';

/**
 * What {@link watchTwitch} listens to.
 *
 * @example
 * ```ts
 * const src: TwitchFeedSources = { world, chat, twitchApi, isBot: (l) => l === 'demo_bot' };
 * ```
 */
export interface TwitchFeedSources {
  world: TwitchWorld;
  chat: TwitchChatServer;
  twitchApi: TwitchApiServer;
  /** Whether a (lower-case) Twitch login is one of the configured bots. */
  isBot: (login: string) => boolean;
}

const BADGES = ['broadcaster', 'moderator', 'vip', 'subscriber'] as const;

/**
 * Feeds chat lines (delivered and dropped), bots joining, stream changes, Twitch events
 * and EventSub deliveries into `feed`; returns the function that stops listening.
 *
 * @example
 * ```ts
 * const stop = watchTwitch(feed, { world, chat, twitchApi, isBot: (l) => l === 'demo_bot' });
 * stop();
 * ```
 */
export function watchTwitch(feed: ConsoleFeed, src: TwitchFeedSources): () => void {
  const onMessage = (m: ChatMessageEvent): void => {
    const badges = (m.tags.badges ?? '')
      .split(',')
      .map((b) => b.split('/')[0] ?? '')
      .filter((b) => (BADGES as readonly string[]).includes(b));
    const replyTo = m.tags['reply-parent-msg-id'];
    feed.push({
      kind: 'chat',
      channel: m.channel,
      login: m.login,
      displayName: m.displayName,
      text: clip(m.text),
      msgId: m.id,
      bot: src.isBot(m.login),
      badges,
      ...(replyTo ? { replyTo } : {}),
    });
  };
  const onRecord = (r: ChatRecord): void => {
    if (!r.channel) return;
    if (r.command === 'PRIVMSG' && r.dropped) {
      feed.push({
        kind: 'chat-dropped',
        channel: r.channel,
        login: r.login,
        text: clip(r.text ?? ''),
        reason: r.dropped,
      });
    } else if (r.command === 'JOIN' && !r.dropped && src.isBot(r.login)) {
      feed.push({ kind: 'chat-notice', channel: r.channel, text: `${r.login} joined the chat` });
    }
  };
  const onNotification = (n: WorldNotification): void => {
    feed.push({ kind: 'twitch-event', type: n.type, summary: summarize(n) });
    if (n.type === 'stream.online' || n.type === 'stream.offline' || n.type === 'channel.update') {
      const login = String(n.event.broadcaster_user_login ?? '');
      if (login) feed.push(streamState(src.world, login));
    }
  };
  const onDelivery = (d: DeliveryRecord): void => {
    feed.push({
      kind: 'eventsub',
      type: d.subscriptionType,
      messageType: d.messageType,
      status: d.status,
      ok: d.ok,
      retry: d.retry,
      path: pathOf(d.url),
      latencyMs: Math.round(d.latencyMs),
      ...(d.error ? { error: clip(d.error, 300) } : {}),
    });
  };
  src.chat.on('message', onMessage);
  src.chat.on('record', onRecord);
  src.world.on('notification', onNotification);
  src.twitchApi.eventSub.on('delivery', onDelivery);
  return () => {
    src.chat.off('message', onMessage);
    src.chat.off('record', onRecord);
    src.world.off('notification', onNotification);
    src.twitchApi.eventSub.off('delivery', onDelivery);
  };
}

/**
 * A channel's stream state as the console shows it.
 *
 * @example
 * ```ts
 * streamState(world, 'streamer'); // { kind: 'stream', channel: '#streamer', live: false, ... }
 * ```
 */
export function streamState(world: TwitchWorld, login: string): StreamFeedItem {
  const user = world.findUser(login);
  const stream = user ? world.streams.get(user.id) : undefined;
  const info = user ? world.channel(user.id) : undefined;
  return {
    kind: 'stream',
    channel: `#${login.toLowerCase()}`,
    live: stream !== undefined,
    title: info?.title ?? '',
    game: info?.gameName ?? '',
    viewers: stream?.viewerCount ?? 0,
  };
}

/**
 * One line about an EventSub notification: who did what, with the numbers that matter.
 *
 * @example
 * ```ts
 * summarize({ type: 'channel.cheer', version: '1', match: {}, event: { user_login: 'bob', broadcaster_user_login: 'amy', bits: 100 } });
 * // 'bob → amy · 100 bits'
 * ```
 */
export function summarize(n: WorldNotification): string {
  const e = n.event;
  const str = (v: unknown): string =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  const from =
    str(e.from_broadcaster_user_login) || str(e.user_login) || (e.is_anonymous ? 'anonymous' : '');
  const to = str(e.to_broadcaster_user_login) || str(e.broadcaster_user_login);
  const parts = [from ? `${from} → ${to}` : to];
  const reward = e.reward as { title?: unknown; cost?: unknown } | undefined;
  const message = e.message as { text?: unknown } | string | undefined;
  if (str(e.tier)) parts.push(`tier ${str(e.tier).charAt(0)}`);
  if (str(e.total)) parts.push(`${str(e.total)} gift(s)`);
  if (str(e.bits)) parts.push(`${str(e.bits)} bits`);
  if (str(e.viewers)) parts.push(`${str(e.viewers)} viewers`);
  if (str(e.title)) parts.push(`“${str(e.title)}”`);
  if (str(e.category_name)) parts.push(str(e.category_name));
  if (reward && str(reward.title)) parts.push(`${str(reward.title)} (${str(reward.cost)})`);
  if (str(e.user_input)) parts.push(`“${str(e.user_input)}”`);
  const text = typeof message === 'string' ? message : str(message?.text);
  if (text) parts.push(`“${text}”`);
  return clip(parts.filter(Boolean).join(' · '), 500);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
