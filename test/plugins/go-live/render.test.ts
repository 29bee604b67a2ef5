import { describe, expect, it } from 'vitest';
import { skipReason } from '../../../plugins/go-live/filters.js';
import {
  mentionsOf,
  renderEnded,
  renderLive,
  type StreamView,
} from '../../../plugins/go-live/render.js';
import { fill, formatDuration, type TemplateVars } from '../../../plugins/go-live/template.js';

const view: StreamView = {
  login: 'ada',
  displayName: 'Ada',
  title: 'Speedrun @everyone',
  game: 'Celeste',
  viewers: 7,
  startedAt: '2026-01-01T10:00:00.000Z',
  thumbnailUrl: 'https://static-cdn.jtvnw.net/previews-ttv/live_user_ada-{width}x{height}.jpg',
  avatarUrl: 'https://example.test/ada.png',
};

describe('go-live rendering', () => {
  it('fills templates, leaving unknown names as written', () => {
    expect(
      fill('{streamer} plays {game} {nope}', { streamer: 'Ada', game: 'Art' } as TemplateVars),
    ).toBe('Ada plays Art {nope}');
    expect(formatDuration(7_980_000)).toBe('2h 13m');
    expect(formatDuration(45_000)).toBe('45s');
  });

  it('allows exactly the target roles, @everyone only when set', () => {
    expect(mentionsOf({})).toEqual({ text: '', allowed: { parse: [], roles: [], users: [] } });
    expect(mentionsOf({ roles: ['1', '1', '2'], everyone: true })).toEqual({
      text: '<@&1> <@&2> @everyone ',
      allowed: { parse: ['everyone'], roles: ['1', '2'], users: [] },
    });
  });

  it('a live post: mentions first, embed with a cache-busting preview; a test pings nobody', () => {
    const post = renderLive(view, { roles: ['9'] }, { bust: 's1' });
    expect(post.content).toBe('<@&9> **Ada** is live on Twitch! https://www.twitch.tv/ada');
    expect(post.allowed_mentions).toEqual({ parse: [], roles: ['9'], users: [] });
    expect(post.embeds?.[0]).toMatchObject({
      title: 'Speedrun @everyone',
      image: { url: 'https://static-cdn.jtvnw.net/previews-ttv/live_user_ada-1280x720.jpg?t=s1' },
      thumbnail: { url: 'https://example.test/ada.png' },
      timestamp: view.startedAt,
    });
    const test = renderLive(view, { roles: ['9'], everyone: true }, { bust: 'x', test: true });
    expect(test.allowed_mentions).toEqual({ parse: [] });
    expect(test.content).toMatch(/^🔔 Test \(nobody is pinged\): /);
    const custom = renderLive(
      view,
      { message: 'Now: {title} ({viewers})', embed: { thumbnail: false, fields: false, color: 1 } },
      { bust: 'x' },
    );
    expect(custom.content).toBe('Now: Speedrun @everyone (7)');
    expect(custom.embeds?.[0]).toMatchObject({ color: 1, image: undefined, fields: undefined });
  });

  it('the end edit: no mentions, duration and VOD', () => {
    const end = renderEnded(
      view,
      { roles: ['9'] },
      {
        endedAt: Date.parse(view.startedAt) + 3_660_000,
        vodUrl: 'https://www.twitch.tv/videos/5',
      },
    );
    expect(end.content).toBe('**Ada** was live on Twitch.');
    expect(end.allowed_mentions).toEqual({ parse: [] });
    expect(end.embeds?.[0]?.description).toBe(
      'Streamed for 1h 1m.\n[Watch the VOD](https://www.twitch.tv/videos/5)',
    );
  });
});

describe('go-live filters', () => {
  const live = { title: 'Chill art stream', game: 'Art', gameId: '509660', type: 'live' };
  it('skips reruns unless asked, other categories, and titles that do not match', () => {
    expect(skipReason({}, live)).toBeUndefined();
    expect(skipReason({}, { ...live, type: 'rerun' })).toMatch(/rerun/);
    expect(skipReason({ ignore_reruns: false }, { ...live, type: 'rerun' })).toBeUndefined();
    expect(skipReason({ games: ['art'] }, live)).toBeUndefined();
    expect(skipReason({ games: ['509660'] }, live)).toBeUndefined();
    expect(skipReason({ games: ['Chess'] }, live)).toBe('category "Art" is not one of: Chess');
    expect(skipReason({ title_match: 'CHILL' }, live)).toBeUndefined();
    expect(skipReason({ title_match: '^speedrun' }, live)).toMatch(/does not match/);
  });
});
