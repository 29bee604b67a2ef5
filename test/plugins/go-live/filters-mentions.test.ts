import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goLiveSandbox, until } from './helpers/harness.js';

let env: Awaited<ReturnType<typeof goLiveSandbox>>;
beforeAll(async () => {
  env = await goLiveSandbox();
});
afterAll(async () => {
  await env.close();
});

describe('go-live cog: filters and mentions', () => {
  it('posts only where the filters match, and pings exactly the allowed roles', async () => {
    const roles = { fans: '111111111111111111' };
    const [celeste, speed, any, loud, art] = ['live', 'general', 'clips', 'games', 'art'].map((c) =>
      env.webhook(c),
    );
    const bot = await env.startBot({
      roles: [roles.fans], // cog-wide default: ping the fans role
      debounce_minutes: 0, // the second stream below is a new session
      streamers: {
        cy: [
          { webhook: celeste!.url, games: ['celeste'] },
          { webhook: speed!.url, title_match: 'speed ?run', roles: [] },
          { webhook: any!.url, ignore_reruns: false },
          { webhook: loud!.url, everyone: true },
          { webhook: art!.url, games: ['Art'] },
        ],
      },
    });
    try {
      await env.subscribed(['cy']);
      await env.subscribed(['cy'], 'stream.offline');
      // A rerun: only the target that takes reruns posts.
      env.world.goLive('cy', { title: 'Speedrun replay', game: 'Celeste', type: 'rerun' });
      await until(() => env.posts('clips').length === 1, 'the rerun post');
      await until(
        () => bot.logged().some((l) => String(l.msg).includes('target(s) skip this stream')),
        'the skip log',
      );
      env.world.goOffline('cy');
      await until(
        () => bot.logged().some((l) => String(l.msg).startsWith('go-live: cy went offline')),
        'the offline',
      );
      for (const c of ['live', 'general', 'games', 'art']) expect(env.posts(c)).toHaveLength(0);

      // A live stream of Celeste titled "Speed run": every target but the Art one posts.
      env.world.goLive('cy', { title: 'Speed run practice', game: 'Celeste' });
      await until(
        () => ['live', 'general', 'games'].every((c) => env.posts(c).length === 1),
        'three posts',
      );
      const [fan] = env.posts('live');
      expect(fan?.content).toBe(
        `<@&${roles.fans}> **cy** is live on Twitch! https://www.twitch.tv/cy`,
      );
      expect(fan?.mentions).toEqual({ users: [], roles: [roles.fans], everyone: false });
      // roles: [] overrides the default: no ping.
      expect(env.posts('general')[0]?.mentions).toEqual({ users: [], roles: [], everyone: false });
      const last = env.discord.received.filter(
        (r) => r.route === 'POST /webhooks/:webhookId/:token',
      );
      // allowed_mentions is always sent.
      expect(
        last.every((r) => (r.body as Record<string, unknown>).allowed_mentions !== undefined),
      ).toBe(true);
      // @everyone only where it is set, and only then in allowed_mentions.
      expect(env.posts('games')[0]?.content).toMatch(
        /^<@&111111111111111111> @everyone \*\*cy\*\*/,
      );
      expect(env.posts('games')[0]?.mentions.everyone).toBe(true);
      // The target that takes reruns posted both sessions.
      expect(env.posts('clips')).toHaveLength(2);
      expect(env.posts('art')).toHaveLength(0);
    } finally {
      await bot.stop();
    }
  });
});
