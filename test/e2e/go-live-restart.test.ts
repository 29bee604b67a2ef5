import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildBot, type ChildBot } from '../plugins/go-live/helpers/child-bot.js';
import { freePort } from '../helpers/processes.js';
import { goLiveSandbox, until, type Hook } from '../plugins/go-live/helpers/harness.js';

let env: Awaited<ReturnType<typeof goLiveSandbox>>;
const running: ChildBot[] = [];
beforeAll(async () => {
  env = await goLiveSandbox();
});
afterAll(async () => {
  for (const b of running) if (b.child.exitCode === null) b.child.kill('SIGKILL');
  await env.close();
});

describe('go-live across kill -9', () => {
  it('a fan-out interrupted by kill -9 resumes after restart: every target holds one post (a repeat only for one in flight at the kill)', async () => {
    const targets = 120;
    const concurrency = 8;
    // 8 channels of 15 webhooks: under Discord's 30 posts per minute per channel.
    const hooks: Hook[] = Array.from({ length: targets }, (_, i) => env.webhook(`c${i % 8}`));
    env.world.ensureUser('zed');
    const port = await freePort();
    env.setCallbackTarget(`http://127.0.0.1:${port}`);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'streamcogs-golive-kill-'));
    const start = () => {
      const bot = startChildBot({
        discordApi: env.discord.apiUrl,
        twurplePort: env.twitchApi.port,
        dataDir,
        port,
        settings: {
          streamers: { zed: hooks.map((h) => ({ webhook: h.url })) },
          delivery: { concurrency, lease_seconds: 2 },
        },
      });
      running.push(bot);
      return bot;
    };
    const postsPerHook = () => {
      const counts = new Map<string, number>(hooks.map((h) => [h.id, 0]));
      for (const m of env.discord.webhookPosts())
        if (m.webhookId && counts.has(m.webhookId))
          counts.set(m.webhookId, (counts.get(m.webhookId) as number) + 1);
      return [...counts.values()];
    };

    const first = start();
    await first.waitForLog((l) => l.ready === true);
    await env.subscribed(['zed']);
    env.discord.stall(80); // every post takes 80 ms: the fan-out takes over a second
    const stream = env.world.goLive('zed', { title: 'Marathon' });
    await until(() => postsPerHook().filter((n) => n > 0).length >= targets / 3, 'a third posted');
    first.child.kill('SIGKILL');
    await first.exited;
    env.discord.stall(0);
    const atKill = postsPerHook().filter((n) => n > 0).length;
    expect(atKill).toBeLessThan(targets);

    const second = start();
    await second.waitForLog((l) => l.ready === true);
    await until(() => postsPerHook().every((n) => n >= 1), 'every target posted', 30_000);

    // Twitch re-sends the same delivery after the restart: nothing fans out again.
    const online = env.twitchApi.eventSub.deliveries.find(
      (d) => d.subscriptionType === 'stream.online' && d.messageType === 'notification',
    );
    expect(online).toBeDefined();
    const zed = env.world.ensureUser('zed');
    const [again] = await env.twitchApi.eventSub.sendRaw({
      type: 'stream.online',
      messageId: online!.messageId,
      event: {
        id: stream.id,
        broadcaster_user_id: zed.id,
        broadcaster_user_login: zed.login,
        broadcaster_user_name: zed.displayName,
        type: 'live',
        started_at: new Date(stream.startedAt).toISOString(),
      },
    });
    expect(again?.ok).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const counts = postsPerHook();
    expect(counts.every((n) => n >= 1)).toBe(true);
    const duplicated = counts.filter((n) => n > 1).length;
    // Only a post in flight at the kill may repeat: at most the concurrency.
    expect(duplicated).toBeLessThanOrEqual(concurrency);
    console.info(
      `go-live kill -9: ${atKill}/${targets} posted before the kill, ${duplicated} repeated (in flight at the kill)`,
    );
    expect(env.discord.received.filter((r) => r.status === 429)).toHaveLength(0);
  });
});
