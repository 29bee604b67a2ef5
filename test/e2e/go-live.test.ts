import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, waitUntil, type TestBot } from '../../src/testing/index.js';

let t: TestBot;
const logLines: string[] = [];
beforeAll(async () => {
  t = await startTestBot({ cogs: [], logLines });
});
afterAll(async () => {
  await t?.stop();
});

describe('go-live end to end (npm start wiring, sandbox Twitch + Discord)', () => {
  it('posts on stream.online, ignores a flap, and edits the posts when the stream ends', async () => {
    const announcements = t.discord.webhook('announcements');
    const live = t.discord.webhook('live');
    await t.setCogs([
      {
        'go-live': {
          debounce_minutes: 0.03,
          streamers: {
            streamer: [
              { webhook: announcements.url, roles: ['123456789012345678'] },
              { webhook: live.url, message: '{streamer} is playing {game}' },
            ],
          },
        },
      },
    ]);
    await t.eventsub.subscribed('stream.online');
    await t.eventsub.subscribed('stream.offline');
    const hooked = (channel: string) =>
      t.discord.posts(channel).filter((m) => m.source === 'webhook');

    t.goLive({ title: 'Live from the sandbox', game: 'Celeste', viewers: 12 });
    const [first] = await waitUntil(
      () =>
        hooked('announcements').length && hooked('live').length ? hooked('announcements') : false,
      'a post in both channels',
      10_000,
    );
    expect(first?.content).toBe(
      '<@&123456789012345678> **streamer** is live on Twitch! https://www.twitch.tv/streamer',
    );
    expect(first?.mentions.roles).toEqual(['123456789012345678']);
    expect(first?.embeds[0]).toMatchObject({
      title: 'Live from the sandbox',
      fields: [
        { name: 'Game', value: 'Celeste' },
        { name: 'Viewers', value: '12' },
      ],
    });
    expect(hooked('live')[0]?.content).toBe('streamer is playing Celeste');

    // A flap within the debounce window: the same session, no second post.
    t.goOffline();
    t.goLive({ title: 'Back again', game: 'Celeste' });
    await t.eventsub.delivered();
    t.goOffline();
    await waitUntil(
      () => hooked('announcements')[0]?.content.includes('was live'),
      'the end edit',
      15_000,
    );
    expect(hooked('announcements')).toHaveLength(1);
    expect(hooked('live')).toHaveLength(1);
    expect(hooked('announcements')[0]?.id).toBe(first?.id);
    expect((hooked('announcements')[0]?.embeds[0] as { description: string }).description).toMatch(
      /^Streamed for \d+s\.\n\[Watch the VOD\]\(https:\/\/www\.twitch\.tv\/videos\/\d+\)$/,
    );
    expect(t.sandbox.discord.received.filter((r) => r.status === 429)).toHaveLength(0);
  });
});
