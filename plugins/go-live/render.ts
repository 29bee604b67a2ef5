import type { WebhookEdit, WebhookPost } from '../../core/index.js';
import type { PostOptions } from './settings.js';
import { fill, formatDuration, type TemplateVars } from './template.js';

/**
 * What a post shows about a stream session.
 *
 * @example
 * ```ts
 * renderLive({ login: 'ada', displayName: 'Ada', title: 'Hi', game: 'Art', viewers: 3, startedAt: new Date().toISOString() }, {}, { bust: '1' });
 * ```
 */
export interface StreamView {
  login: string;
  displayName: string;
  title: string;
  game: string;
  viewers: number;
  /** ISO 8601. */
  startedAt: string;
  /** Helix `thumbnail_url` with `{width}x{height}`. */
  thumbnailUrl?: string;
  avatarUrl?: string;
}

/**
 * DEFAULT_MESSAGE.
 *
 * @example
 * ```ts
 * fill(DEFAULT_MESSAGE, vars); // '**Ada** is live on Twitch! https://www.twitch.tv/ada'
 * ```
 */
export const DEFAULT_MESSAGE = '{mentions}**{streamer}** is live on Twitch! {url}';
/**
 * TWITCH_PURPLE.
 *
 * @example
 * ```ts
 * const embed = { color: TWITCH_PURPLE };
 * ```
 */
export const TWITCH_PURPLE = 0x9146ff;
const ENDED_GREY = 0x808080;

/**
 * `<@&role> @everyone ` for a target, and the allowed_mentions that lets exactly those ping.
 *
 * @example
 * ```ts
 * mentionsOf({ roles: ['123'], everyone: true }).text; // '<@&123> @everyone '
 * ```
 */
export function mentionsOf(options: PostOptions): {
  text: string;
  allowed: NonNullable<WebhookPost['allowed_mentions']>;
} {
  type Allowed = NonNullable<WebhookPost['allowed_mentions']>;
  const roles = [...new Set(options.roles ?? [])];
  const parts = roles.map((r) => `<@&${r}>`);
  if (options.everyone === true) parts.push('@everyone');
  return {
    text: parts.length > 0 ? `${parts.join(' ')} ` : '',
    allowed: {
      parse: (options.everyone === true ? ['everyone'] : []) as Allowed['parse'],
      roles,
      users: [],
    },
  };
}

function vars(view: StreamView, mentions: string): TemplateVars {
  return {
    streamer: view.displayName,
    login: view.login,
    title: view.title,
    game: view.game || 'no category',
    url: `https://www.twitch.tv/${view.login}`,
    viewers: String(view.viewers),
    started: `<t:${Math.floor(Date.parse(view.startedAt) / 1000)}:R>`,
    mentions,
  };
}

/**
 * The preview image at 1280x720 with a query that changes, so Discord fetches it afresh.
 *
 * @example
 * ```ts
 * thumbnail(view, '41'); // '...live_user_ada-1280x720.jpg?t=41'
 * ```
 */
export function thumbnail(view: StreamView, bust: string): string | undefined {
  if (!view.thumbnailUrl) return undefined;
  const url = view.thumbnailUrl.replace('{width}', '1280').replace('{height}', '720');
  return `${url}${url.includes('?') ? '&' : '?'}t=${encodeURIComponent(bust)}`;
}

function content(template: string, v: TemplateVars, mentions: string): string {
  const text = fill(template, v);
  return template.includes('{mentions}') || !mentions ? text : `${mentions}${text}`;
}

/**
 * The go-live post for one target: the message with its mentions, an embed (title, game,
 * viewers, preview image with a cache-busting query, avatar, colour), and the
 * `allowed_mentions` that pings exactly the target's roles (@everyone only when set). A
 * test post pings nobody.
 *
 * @example
 * ```ts
 * const post = renderLive(view, { roles: ['123'] }, { bust: String(Date.now()) });
 * post.allowed_mentions; // { parse: [], roles: ['123'], users: [] }
 * ```
 */
export function renderLive(
  view: StreamView,
  options: PostOptions,
  o: { bust: string; test?: boolean },
): WebhookPost {
  const m = mentionsOf(options);
  const v = vars(view, m.text);
  const e = options.embed ?? {};
  const image = e.thumbnail === false ? undefined : thumbnail(view, o.bust);
  const text = content(options.message ?? DEFAULT_MESSAGE, v, m.text);
  return {
    content: o.test ? `🔔 Test (nobody is pinged): ${text}` : text,
    embeds: [
      {
        title: fill(e.title ?? '{title}', v).slice(0, 256) || view.displayName,
        url: v.url,
        description: e.description ? fill(e.description, v) : undefined,
        color: e.color ?? TWITCH_PURPLE,
        author: { name: view.displayName, url: v.url, icon_url: view.avatarUrl },
        fields:
          e.fields === false
            ? undefined
            : [
                { name: 'Game', value: v.game, inline: true },
                { name: 'Viewers', value: v.viewers, inline: true },
              ],
        image: image ? { url: image } : undefined,
        thumbnail: view.avatarUrl ? { url: view.avatarUrl } : undefined,
        timestamp: view.startedAt,
        footer: { text: 'Twitch' },
      },
    ],
    allowed_mentions: o.test ? { parse: [] } : m.allowed,
  };
}

/**
 * The edit once the stream ended: no mentions, "was live", how long, and the VOD link
 * when Twitch has one.
 *
 * @example
 * ```ts
 * renderEnded(view, {}, { endedAt: Date.now(), vodUrl: 'https://www.twitch.tv/videos/1' });
 * ```
 */
export function renderEnded(
  view: StreamView,
  options: PostOptions,
  o: { endedAt: number; vodUrl?: string },
): WebhookEdit {
  const v = vars(view, '');
  const duration = formatDuration(o.endedAt - Date.parse(view.startedAt));
  const lines = [`Streamed for ${duration}.`];
  if (o.vodUrl) lines.push(`[Watch the VOD](${o.vodUrl})`);
  return {
    content: `**${view.displayName}** was live on Twitch.`,
    embeds: [
      {
        title: fill(options.embed?.title ?? '{title}', v).slice(0, 256) || view.displayName,
        url: o.vodUrl ?? v.url,
        description: lines.join('\n'),
        color: ENDED_GREY,
        author: { name: view.displayName, url: v.url, icon_url: view.avatarUrl },
        fields: [{ name: 'Game', value: v.game, inline: true }],
        thumbnail: view.avatarUrl ? { url: view.avatarUrl } : undefined,
        timestamp: view.startedAt,
        footer: { text: 'Ended' },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
