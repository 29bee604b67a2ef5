import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goLiveSandbox, until } from './helpers/harness.js';

let env: Awaited<ReturnType<typeof goLiveSandbox>>;
beforeAll(async () => {
  env = await goLiveSandbox();
});
afterAll(async () => {
  await env.close();
});

describe('go-live cog: posts, sessions, end of stream', () => {
  it('posts once to every target with the embed, and edits the posts when the stream ends', async () => {
    const [live, general, clips] = [
      env.webhook('live'),
      env.webhook('general'),
      env.webhook('clips'),
    ];
    env.world.ensureUser('ada', { displayName: 'Ada' });
    const bot = await env.startBot({
      debounce_minutes: 0.01,
      streamers: {
        ada: [
          { webhook: live.url },
          { webhook: general.url, message: '{streamer} plays {game}: {title}' },
          { webhook: { id: clips.id, token: clips.token }, on_end: 'delete' },
        ],
      },
    });
    try {
      await env.subscribed(['ada']);
      await env.subscribed(['ada'], 'stream.offline');
      const stream = env.world.goLive('ada', {
        title: 'Speedrun any%',
        game: 'Celeste',
        viewers: 42,
      });
      await until(
        () => env.posts('live').length && env.posts('general').length && env.posts('clips').length,
        'three posts',
      );
      const [post] = env.posts('live');
      expect(post?.content).toBe('**Ada** is live on Twitch! https://www.twitch.tv/ada');
      expect(env.posts('general')[0]?.content).toBe('Ada plays Celeste: Speedrun any%');
      const embed = post?.embeds[0] as { image: { url: string } };
      expect(embed).toMatchObject({
        title: 'Speedrun any%',
        url: 'https://www.twitch.tv/ada',
        color: 0x9146ff,
        author: { name: 'Ada' },
        fields: [
          { name: 'Game', value: 'Celeste', inline: true },
          { name: 'Viewers', value: '42', inline: true },
        ],
      });
      // Cache-busting preview image: 1280x720 with a query that changes per session.
      expect(embed.image.url).toBe(
        `https://static-cdn.jtvnw.net/previews-ttv/live_user_ada-1280x720.jpg?t=${stream.id}`,
      );
      expect(post?.mentions).toEqual({ users: [], roles: [], everyone: false });

      // Latency is logged per post, from Twitch's event time.
      const posted = () => bot.logged().filter((l) => String(l.msg).startsWith('go-live: posted'));
      await until(() => posted().length === 3, 'three post logs');
      const sent = posted();
      expect(
        sent.every((l) => typeof l.latencyMs === 'number' && (l.latencyMs as number) >= 0),
      ).toBe(true);
      const metrics = await bot.runtime.metrics.registry.metrics();
      expect(metrics).toMatch(
        /streamcogs_webhook_delivery_latency_seconds_count\{bot="alice",cog="go-live"\} 3/,
      );

      env.world.goOffline('ada');
      await until(() => env.posts('live')[0]?.content.includes('was live'), 'the end edit');
      const ended = env.posts('live')[0]!;
      expect(ended.id).toBe(post!.id);
      expect(ended.content).toBe('**Ada** was live on Twitch.');
      const vod = env.world.videos.find((v) => v.streamId === stream.id)!;
      expect((ended.embeds[0] as { description: string }).description).toMatch(
        new RegExp(
          `^Streamed for \\d+s\\.\\n\\[Watch the VOD\\]\\(https://www.twitch.tv/videos/${vod.id}\\)$`,
        ),
      );
      // on_end: delete removed the third post; every channel still got exactly one.
      await until(() => env.posts('clips').length === 0, 'the deleted post');
      expect(env.posts('general')).toHaveLength(1);
      expect(env.discord.received.filter((r) => r.status === 429)).toHaveLength(0);
    } finally {
      await bot.stop();
    }
  });

  it('edits the posts of targets that ask for it when title or game change, at most once per interval', async () => {
    const [editing, steady] = [env.webhook('general'), env.webhook('clips')];
    env.world.ensureUser('cyd', { displayName: 'Cyd' });
    const bot = await env.startBot({
      edit_interval_minutes: 0.1,
      streamers: {
        cyd: [{ webhook: editing.url, edit_on_change: true }, { webhook: steady.url }],
      },
    });
    const title = (channel: string): string | undefined =>
      (env.posts(channel).at(-1)?.embeds[0] as { title?: string } | undefined)?.title;
    const edits = () =>
      env.discord.received.filter(
        (r) => r.method === 'PATCH' && r.path.includes(`/webhooks/${editing.id}/`),
      );
    try {
      await env.subscribed(['cyd']);
      await env.subscribed(['cyd'], 'channel.update');
      env.world.goLive('cyd', { title: 'Warm-up', game: 'Celeste' });
      await until(() => title('general') && title('clips'), 'both posts');

      env.world.updateChannel('cyd', { title: 'Any% attempts' });
      await until(() => title('general') === 'Any% attempts', 'the edit for the new title');
      env.world.updateChannel('cyd', { title: 'Any% attempts, round 2' });
      await until(() => title('general') === 'Any% attempts, round 2', 'the second edit', 20_000);

      const [first, second] = edits();
      expect(edits()).toHaveLength(2);
      // edit_interval_minutes: 0.1 (6 s) between two edits of one post.
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(6000 - 50);
      expect(title('clips')).toBe('Warm-up');
      expect(
        env.discord.received.filter((r) => r.method === 'PATCH' && r.path.includes(steady.id)),
      ).toHaveLength(0);
    } finally {
      await bot.stop();
    }
  }, 40_000);

  it('a flap inside the debounce window is the same session: no second post', async () => {
    const hook = env.webhook('games');
    const bot = await env.startBot({
      debounce_minutes: 10,
      streamers: { bea: { webhook: hook.url } },
    });
    try {
      await env.subscribed(['bea']);
      await env.subscribed(['bea'], 'stream.offline');
      const first = env.world.goLive('bea', { title: 'Part 1' });
      await until(() => env.posts('games').length === 1, 'the first post');
      env.world.goOffline('bea');
      const second = env.world.goLive('bea', { title: 'Part 1 (back)' });
      expect(second.id).not.toBe(first.id);
      await until(
        () => bot.logged().some((l) => String(l.msg).includes('same session, no new post')),
        'the rejoin',
      );
      await bot.eventsub.settled();
      await env.twitchApi.eventSub.idle();
      expect(env.posts('games')).toHaveLength(1);
      expect(env.posts('games')[0]?.content).toContain('is live');
    } finally {
      await bot.stop();
    }
  });
});
